package dev.tasks.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The findings of the database review, each replayed by the writer that caused it, with plain JDBC:
 * a role with only DML on tasks, a role with no privilege at all, and the owner. Each test asserts that
 * nothing was diverted, forged, backdated or lost.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WriterHardeningTest {

    static final String PASSWORD = "h11-" + UUID.randomUUID();

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @ConfigProperty(name = "quarkus.datasource.username")
    String ownerName;

    @ConfigProperty(name = "quarkus.datasource.password")
    String ownerPassword;

    @Inject
    Sql sql;
    /** A role with SELECT, INSERT, UPDATE, DELETE on tasks and nothing else, as a request role has. */
    String dml;
    /** A role with no privilege on any table. */
    String nobody;

    @BeforeAll
    void createRoles() {
        String database = sql.value("SELECT current_database()", String.class);
        String suffix = database.length() > 40 ? database.substring(database.length() - 40) : database;
        dml = "trk_dml_" + suffix;
        nobody = "trk_none_" + suffix;
        for (String role : List.of(dml, nobody)) {
            dropRole(role);
            sql.update("CREATE ROLE " + role + " LOGIN PASSWORD '" + PASSWORD + "'");
        }
        sql.update("GRANT SELECT, INSERT, UPDATE, DELETE ON tasks TO " + dml);
        // The writer of finding 2 owns a schema named after itself, first on the default search path.
        sql.update("CREATE SCHEMA " + dml + " AUTHORIZATION " + dml);
    }

    @AfterAll
    void dropRoles() {
        sql.update("DROP SCHEMA IF EXISTS " + dml + " CASCADE");
        dropRole(dml);
        dropRole(nobody);
    }

    private void dropRole(String role) {
        if (sql.value("SELECT count(*) FROM pg_roles WHERE rolname = ?", Long.class, role) > 0) {
            sql.update("DROP OWNED BY " + role);
            sql.update("DROP ROLE " + role);
        }
    }

    Connection as(String role) throws SQLException {
        return DriverManager.getConnection(jdbcUrl, role, PASSWORD);
    }

    /** The owner (the login that ran the migrations), on a connection of its own: temporary tables die with it. */
    Connection owner() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, ownerName, ownerPassword);
    }

    static void exec(Connection c, String statement) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    /** Drops a table a test tracked, with its generated functions. */
    void dropTracked(String table) {
        sql.update("DROP TABLE IF EXISTS " + table);
        sql.update("DROP FUNCTION IF EXISTS " + table + "_tracking_before(), " + table + "_tracking_audit()");
    }

    long insertTask(String title) {
        return sql.value("INSERT INTO tasks (title) VALUES (?) RETURNING id", Long.class, title);
    }

    List<Map<String, Object>> audit(long id) {
        return sql.rows("SELECT operation, table_schema, changes::text AS changes, tx_time FROM audit_log "
                + "WHERE table_name = 'tasks' AND row_id = ? ORDER BY id", Long.toString(id));
    }

    /** Finding 1: a temporary audit_log of the writer's own does not catch the audit rows. */
    @Test
    void dmlRolesTemporaryAuditLogDoesNotDivertTheAudit() throws SQLException {
        long id = insertTask("diverted?");
        try (Connection c = as(dml)) {
            exec(c, "CREATE TEMP TABLE audit_log (id bigint GENERATED ALWAYS AS IDENTITY, table_schema text, table_name text, "
                    + "row_id text, operation text, old_row jsonb, new_row jsonb, changes jsonb, txid xid8, tx_time timestamptz, "
                    + "statement_time timestamptz, clock_time timestamptz, db_user text, actor text, request_id text)");
            exec(c, "UPDATE public.tasks SET title = 'renamed by the dml role' WHERE id = " + id);
            assertEquals(0L, Sql.rows(c, "SELECT count(*) AS n FROM pg_temp.audit_log").get(0).get("n"),
                    "nothing went to the writer's temporary table");
        }
        List<Map<String, Object>> entries = audit(id);
        assertEquals(List.of("INSERT", "UPDATE"), entries.stream().map(e -> e.get("operation")).toList());
        assertTrue(((String) entries.get(1).get("changes")).contains("renamed by the dml role"));
    }

    /** Finding 2: the writer's own next_row_time() and now() in its schema do not backdate anything. */
    @Test
    void dmlRolesOwnFunctionsOnItsSearchPathDoNotBackdateUpdatedAt() throws SQLException {
        long id = insertTask("backdated?");
        OffsetDateTime before = sql.value("SELECT updated_at FROM tasks WHERE id = ?", OffsetDateTime.class, id);
        try (Connection c = as(dml)) {
            assertEquals(dml, Sql.rows(c, "SELECT current_schema() AS s").get(0).get("s"));
            for (String signature : List.of("next_row_time(timestamptz)", "now()", "to_char(timestamp, text)")) {
                exec(c, "CREATE FUNCTION " + dml + "." + signature.replace("timestamptz", "p timestamptz")
                        .replace("timestamp, text", "t timestamp, f text") + " RETURNS "
                        + (signature.startsWith("to_char") ? "text" : "timestamptz")
                        + " LANGUAGE sql AS $$ SELECT " + (signature.startsWith("to_char") ? "'2001-01-01T00:00:00.000000Z'"
                                : "'2001-01-01T00:00:00Z'::timestamptz") + " $$");
            }
            exec(c, "UPDATE tasks SET done = true WHERE id = " + id);
        }
        Map<String, Object> row = sql.row("SELECT updated_at, field_updated_at ->> 'done' AS done_time, "
                + "to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') AS updated_text "
                + "FROM tasks WHERE id = ?", id);
        OffsetDateTime updated = sql.value("SELECT updated_at FROM tasks WHERE id = ?", OffsetDateTime.class, id);
        assertTrue(updated.isAfter(before), "updated_at moved forward, not to 2001: " + updated);
        assertEquals(row.get("updated_text"), row.get("done_time"), "the field time is the row time");
        assertTrue(audit(id).get(1).get("tx_time").toString().startsWith(updated.getYear() + "-"));
    }

    /**
     * Finding 3: a role with no privilege cannot attach the audit functions to a temporary table of its own,
     * and even the owner, who can, gets a refusal instead of a forged entry.
     */
    @Test
    void roleWithoutPrivilegesCannotForgeAuditOrFeedEntries() throws SQLException {
        long before = sql.value("SELECT count(*) FROM audit_log WHERE table_name = 'tasks' AND row_id = '7001'", Long.class);
        for (String function : List.of("public.audit_row('id')", "public.tasks_tracking_audit()")) {
            try (Connection c = as(nobody)) {
                exec(c, "CREATE TEMP TABLE tasks (id bigint PRIMARY KEY, title text, done boolean)");
                SQLException refused = assertThrows(SQLException.class, () -> exec(c,
                        "CREATE TRIGGER zz_90_audit AFTER INSERT OR UPDATE OR DELETE ON pg_temp.tasks "
                                + "FOR EACH ROW EXECUTE FUNCTION " + function));
                assertEquals("42501", refused.getSQLState(), refused.getMessage());
            }
            try (Connection owner = owner()) {
                exec(owner, "CREATE TEMP TABLE tasks (id bigint PRIMARY KEY, title text, done boolean, "
                        + "created_at timestamptz, updated_at timestamptz)");
                exec(owner, "CREATE TRIGGER zz_90_audit AFTER INSERT OR UPDATE OR DELETE ON pg_temp.tasks "
                        + "FOR EACH ROW EXECUTE FUNCTION " + function);
                SQLException refused = assertThrows(SQLException.class,
                        () -> exec(owner, "INSERT INTO pg_temp.tasks (id, title, done) VALUES (7001, 'forged', false)"));
                assertTrue(refused.getMessage().contains("audit"), refused.getMessage());
                exec(owner, "DROP TABLE pg_temp.tasks");
            }
        }
        assertEquals(before, sql.value("SELECT count(*) FROM audit_log WHERE table_name = 'tasks' AND row_id = '7001'", Long.class));
    }

    /** Finding 3, the other way in: enabling tracking on a temporary table is refused. */
    @Test
    void enablingTrackingOnATemporaryTableIsRefused() throws SQLException {
        try (Connection owner = owner()) {
            exec(owner, "CREATE TEMP TABLE notes (id bigint PRIMARY KEY, body text, created_at timestamptz, updated_at timestamptz)");
            SQLException refused = assertThrows(SQLException.class, () -> exec(owner, "SELECT enable_tracking('pg_temp.notes')"));
            assertTrue(refused.getMessage().contains("temporary"), refused.getMessage());
        }
    }

    /** The tracking and enable functions are not executable by PUBLIC. */
    @Test
    void noTrackingFunctionIsExecutableByPublic() {
        List<Map<String, Object>> executable = sql.rows("SELECT p.oid::regprocedure::text AS f FROM pg_proc p "
                + "WHERE p.pronamespace = 'public'::regnamespace AND (p.proname IN ('next_row_time', 'primary_key_column', "
                + "'set_timestamps', 'set_field_times', 'audit_row', 'refuse_truncate', 'tracking_generate', 'tracking_drift') "
                + "OR p.proname LIKE 'enable\\_%' OR p.proname LIKE '%\\_tracking\\_before' OR p.proname LIKE '%\\_tracking\\_audit') "
                + "AND has_function_privilege(?, p.oid, 'EXECUTE')", nobody);
        assertEquals(List.of(), executable);
        assertTrue(sql.value("SELECT count(*) FROM pg_proc WHERE proname LIKE 'enable\\_%' "
                + "AND pronamespace = 'public'::regnamespace", Long.class) >= 4);
    }

    /** Finding 4: TRUNCATE is refused even for the owner, so the feed never misses a removed row. */
    @Test
    void truncateOfTasksIsRefusedAndNoRowIsLost() throws SQLException {
        long id = insertTask("survives truncate");
        long rows = sql.value("SELECT count(*) FROM tasks", Long.class);
        try (Connection owner = owner()) {
            SQLException refused = assertThrows(SQLException.class, () -> exec(owner, "TRUNCATE tasks"));
            assertTrue(refused.getMessage().contains("TRUNCATE of public.tasks is refused"), refused.getMessage());
        }
        try (Connection c = as(dml)) {
            assertThrows(SQLException.class, () -> exec(c, "TRUNCATE tasks"));
        }
        assertEquals(rows, sql.value("SELECT count(*) FROM tasks", Long.class));
        assertEquals(1L, sql.value("SELECT count(*) FROM tasks WHERE id = ?", Long.class, id));
    }

    /** Finding 6: a session with an empty search path still writes, and every trigger still works. */
    @Test
    void writerWithAnEmptySearchPathStillGetsTimesAndHistory() throws SQLException {
        long id;
        try (Connection c = as(dml)) {
            exec(c, "SET search_path = ''");
            id = (Long) Sql.rows(c, "INSERT INTO public.tasks (title) VALUES ('no path') RETURNING id").get(0).get("id");
            exec(c, "UPDATE public.tasks SET title = 'still no path' WHERE id = " + id);
            exec(c, "DELETE FROM public.tasks WHERE id = " + id);
        }
        assertEquals(List.of("INSERT", "UPDATE", "DELETE"), audit(id).stream().map(e -> e.get("operation")).toList());
        assertEquals("public", audit(id).get(0).get("table_schema"));
    }

    /**
     * Finding 11: T1 starts first, T2 changes the row and commits, then T1 changes it: the row gets T2's
     * time plus one microsecond, and so does T1's audit entry, so the row's history never goes back.
     */
    @Test
    void auditTimeOfAnUpdateIsTheUpdatedAtTheRowGotEvenWhenTheEarlierTransactionCommitsLast() throws SQLException {
        long id = insertTask("race for history");
        try (Connection t1 = as(dml); Connection t2 = as(dml)) {
            t1.setAutoCommit(false);
            Sql.rows(t1, "SELECT now()");
            t2.setAutoCommit(false);
            Sql.rows(t2, "SELECT pg_sleep(0.01)::text");
            exec(t2, "UPDATE tasks SET title = 'by t2' WHERE id = " + id);
            t2.commit();
            exec(t1, "UPDATE tasks SET title = 'by t1' WHERE id = " + id);
            t1.commit();
        }
        List<Map<String, Object>> entries = sql.rows("SELECT a.tx_time, a.tx_time = t.updated_at AS is_row_time, "
                + "a.tx_time >= lag(a.tx_time) OVER (ORDER BY a.id) AS not_backwards, a.changes ->> 'title' AS title "
                + "FROM audit_log a JOIN tasks t ON t.id::text = a.row_id "
                + "WHERE a.table_name = 'tasks' AND a.row_id = ? ORDER BY a.id", Long.toString(id));
        assertEquals(3, entries.size());
        assertEquals(true, entries.get(2).get("is_row_time"), "the last entry's time is the row's updated_at");
        assertEquals(true, entries.get(1).get("not_backwards"));
        assertEquals(true, entries.get(2).get("not_backwards"), "history does not go back in time: " + entries);
        assertEquals(((java.sql.Timestamp) entries.get(1).get("tx_time")).toInstant().plusNanos(1_000),
                ((java.sql.Timestamp) entries.get(2).get("tx_time")).toInstant());
    }

    /**
     * Finding 7: one notion of "changed" (IS DISTINCT FROM per column) for updated_at, the field times and
     * the audit; generated columns are not mistaken for changes; types without equality are refused.
     */
    @Test
    void updatedAtFieldTimesAndAuditAgreeOnWhatChanged() {
        String table = "kinds_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        sql.update("CREATE EXTENSION IF NOT EXISTS citext");
        try {
            sql.update("CREATE TABLE " + table + " (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, title text NOT NULL, "
                    + "amount numeric, span interval, tag citext, shout text GENERATED ALWAYS AS (upper(title)) STORED, "
                    + "created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now(), "
                    + "field_updated_at jsonb NOT NULL DEFAULT '{}')");
            sql.update("SELECT enable_tracking('" + table + "')");
            long id = sql.value("INSERT INTO " + table + " (title, amount, span, tag) VALUES ('a', 1.0, '1 day', 'Tag') "
                    + "RETURNING id", Long.class);
            Map<String, Object> before = sql.row("SELECT updated_at, field_updated_at::text AS f FROM " + table + " WHERE id = ?", id);
            long entries = sql.value("SELECT count(*) FROM audit_log WHERE table_name = ? AND row_id = ?", Long.class,
                    table, Long.toString(id));

            // Equal by the types' own equality: no change anywhere, and the stored row is kept as it was.
            sql.update("UPDATE " + table + " SET title = title, amount = 1.00, span = '24 hours', tag = 'TAG' WHERE id = ?", id);
            assertEquals(before, sql.row("SELECT updated_at, field_updated_at::text AS f FROM " + table + " WHERE id = ?", id));
            assertEquals(entries, sql.value("SELECT count(*) FROM audit_log WHERE table_name = ? AND row_id = ?", Long.class,
                    table, Long.toString(id)));
            assertEquals("1.0|1 day|Tag|A", sql.value("SELECT amount || '|' || span || '|' || tag || '|' || shout FROM "
                    + table + " WHERE id = ?", String.class, id));

            // A real change: all three see the same column, and only that one; an equal value written
            // beside it keeps its stored form too.
            sql.update("UPDATE " + table + " SET amount = 2, span = '24 hours', tag = 'tAg' WHERE id = ?", id);
            assertEquals("2|1 day|Tag", sql.value("SELECT amount || '|' || span || '|' || tag FROM " + table
                    + " WHERE id = ?", String.class, id));
            Map<String, Object> after = sql.row("SELECT field_updated_at ->> 'amount' = to_char(updated_at AT TIME ZONE 'UTC', "
                    + "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') AS amount_is_row_time, field_updated_at ->> 'title' AS title_time, "
                    + "jsonb_exists(field_updated_at, 'shout') AS shout_stamped, "
                    + "(SELECT string_agg(k, ',') FROM audit_log a, jsonb_object_keys(a.changes) k "
                    + "  WHERE a.id = (SELECT max(id) FROM audit_log WHERE table_name = ? AND row_id = ?)) AS audited "
                    + "FROM " + table + " WHERE id = ?", table, Long.toString(id), id);
            assertEquals(true, after.get("amount_is_row_time"));
            assertFalse((Boolean) after.get("shout_stamped"), "a generated column gets no field time");
            assertEquals("amount", after.get("audited"));

            for (String type : List.of("json", "point")) {
                sql.update("ALTER TABLE " + table + " ADD COLUMN bad_" + type + " " + type);
                IllegalStateException refused = assertThrows(IllegalStateException.class,
                        () -> sql.update("SELECT enable_tracking('" + table + "')"));
                assertTrue(refused.getCause().getMessage().contains("has no equality operator"), refused.getCause().getMessage());
                sql.update("ALTER TABLE " + table + " DROP COLUMN bad_" + type);
            }
        } finally {
            dropTracked(table);
        }
    }

    /**
     * Finding 7, DDL: a column added later is written but not tracked until regenerated, tracking_drift()
     * names the table and the one call that fixes it.
     */
    @Test
    void columnAddedToATrackedTableIsNamedByTrackingDriftUntilTheOneCallThatFixesIt() {
        String table = "grow_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try {
            sql.update("CREATE TABLE " + table + " (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, title text, "
                    + "created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now(), "
                    + "field_updated_at jsonb NOT NULL DEFAULT '{}')");
            sql.update("SELECT enable_tracking('" + table + "')");
            assertEquals(0L, sql.value("SELECT count(*) FROM tracking_drift() WHERE table_name = ?::regclass", Long.class, table));
            sql.update("ALTER TABLE " + table + " ADD COLUMN priority int");
            // Until regenerated, a write to the new column is stored, untracked: nothing is lost.
            long early = sql.value("INSERT INTO " + table + " (title) VALUES ('before') RETURNING id", Long.class);
            sql.update("UPDATE " + table + " SET priority = 7 WHERE id = ?", early);
            assertEquals(7, sql.value("SELECT priority FROM " + table + " WHERE id = ?", Integer.class, early));
            Map<String, Object> drift = sql.row("SELECT problem, fix FROM tracking_drift() WHERE table_name = ?::regclass", table);
            assertEquals("SELECT public.enable_tracking('" + table + "')", drift.get("fix"));
            sql.update((String) drift.get("fix"));
            assertEquals(0L, sql.value("SELECT count(*) FROM tracking_drift() WHERE table_name = ?::regclass", Long.class, table));
            long id = sql.value("INSERT INTO " + table + " (title) VALUES ('x') RETURNING id", Long.class);
            sql.update("UPDATE " + table + " SET priority = 1 WHERE id = ?", id);
            assertEquals(true, sql.value("SELECT field_updated_at ->> 'priority' = to_char(updated_at AT TIME ZONE 'UTC', "
                    + "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') FROM " + table + " WHERE id = ?", Boolean.class, id));
        } finally {
            dropTracked(table);
        }
    }

    /**
     * Finding 8: history of a partitioned table is recorded under its own name, not the partition's, and a
     * row moving to another partition keeps its created_at and is audited as one UPDATE. A writer cannot
     * fake a move: it has no privilege on the markers, and a plain insert gets the insert's times.
     */
    @Test
    void partitionedTableIsAuditedUnderItsOwnNameAndARowMovingPartitionsKeepsItsCreatedAt() throws SQLException {
        String table = "parts_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try {
            sql.update("CREATE TABLE " + table + " (id bigint PRIMARY KEY, title text, "
                    + "created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now(), "
                    + "field_updated_at jsonb NOT NULL DEFAULT '{}') PARTITION BY RANGE (id)");
            sql.update("CREATE TABLE " + table + "_0 PARTITION OF " + table + " FOR VALUES FROM (1) TO (100)");
            sql.update("CREATE TABLE " + table + "_1 PARTITION OF " + table + " FOR VALUES FROM (100) TO (200)");
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> sql.update("SELECT enable_tracking('" + table + "_0')"));
            assertTrue(refused.getCause().getMessage().contains("is a partition"), refused.getCause().getMessage());
            sql.update("SELECT enable_tracking('" + table + "')");
            sql.update("GRANT SELECT, INSERT, UPDATE, DELETE ON " + table + " TO " + dml);
            sql.update("INSERT INTO " + table + " (id, title) SELECT g, 't' || g FROM generate_series(1, 4) g");
            sql.update("UPDATE " + table + " SET title = title || '!'");
            assertEquals(8L, sql.value("SELECT count(*) FROM audit_log WHERE table_name = ? AND table_schema = 'public'",
                    Long.class, table));
            assertEquals(0L, sql.value("SELECT count(*) FROM audit_log WHERE table_name LIKE ?", Long.class, table + "\\_%"));

            OffsetDateTime created = sql.value("SELECT created_at FROM " + table + " WHERE id = 2", OffsetDateTime.class);
            long before = sql.value("SELECT max(id) FROM audit_log", Long.class);
            try (Connection c = as(dml)) {
                exec(c, "UPDATE " + table + " SET id = 150, title = 'moved' WHERE id = 2");
                SQLException denied = assertThrows(SQLException.class, () -> exec(c,
                        "INSERT INTO tracking_moves (txid, root, row_key, old_key, created_at) "
                                + "VALUES (pg_current_xact_id(), 'public." + table + "', '160', '3', '2001-01-01Z')"));
                assertEquals("42501", denied.getSQLState());
                exec(c, "INSERT INTO " + table + " (id, title, created_at) VALUES (170, 'forged', '2001-01-01Z')");
            }
            Map<String, Object> moved = sql.row("SELECT tableoid::regclass::text AS part, created_at FROM " + table + " WHERE id = 150");
            assertEquals(table + "_1", moved.get("part"));
            assertEquals(created.toInstant(), ((java.sql.Timestamp) moved.get("created_at")).toInstant(), "the move kept created_at");
            assertTrue(sql.value("SELECT created_at FROM " + table + " WHERE id = 170", OffsetDateTime.class).getYear() > 2001);
            List<Map<String, Object>> entries = sql.rows("SELECT row_id, operation, changes -> 'id' ->> 'old' AS old_id, "
                    + "tx_time = (SELECT updated_at FROM " + table + " WHERE id = 150) AS is_row_time "
                    + "FROM audit_log WHERE id > ? AND table_name = ? ORDER BY id", before, table);
            assertEquals(2, entries.size(), () -> "one UPDATE for the move, one INSERT: " + entries);
            assertEquals(List.of("150", "UPDATE", "2", true), List.copyOf(entries.get(0).values()));
            assertEquals("INSERT", entries.get(1).get("operation"));
            assertEquals(0L, sql.value("SELECT count(*) FROM tracking_moves", Long.class), "no marker outlives its statement");
        } finally {
            dropTracked(table);
        }
    }

    /**
     * PostgreSQL does not clone statement triggers to partitions, so TRUNCATE naming a partition of an
     * audited table, even one created after tracking was enabled, must be refused by the partition's own
     * trigger, and a write naming a partition must still wake the change streams.
     */
    @Test
    void partitionsOfAnAuditedTableRefuseTruncateAndNotifyEvenWhenAddedLater() throws SQLException {
        String table = "parts_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String notifyStates = "SELECT string_agg(tgrelid::regclass::text || ' ' || tgenabled::text, ', ' ORDER BY tgrelid::regclass::text) "
                + "FROM pg_trigger WHERE tgname = 'tracking_notify' AND tgrelid::regclass::text LIKE '" + table + "%'";
        try {
            sql.update("CREATE TABLE " + table + " (id bigint PRIMARY KEY, title text, "
                    + "created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now(), "
                    + "field_updated_at jsonb NOT NULL DEFAULT '{}') PARTITION BY RANGE (id)");
            sql.update("CREATE TABLE " + table + "_0 PARTITION OF " + table + " FOR VALUES FROM (1) TO (100)");
            sql.update("SELECT enable_tracking('" + table + "')");
            sql.update("INSERT INTO " + table + " (id, title) VALUES (1, 'kept')");

            // A partition added later, one level down: named by tracking_drift() until the call it gives.
            sql.update("CREATE TABLE " + table + "_1 (LIKE " + table + " INCLUDING ALL) PARTITION BY RANGE (id)");
            sql.update("ALTER TABLE " + table + " ATTACH PARTITION " + table + "_1 FOR VALUES FROM (100) TO (200)");
            sql.update("CREATE TABLE " + table + "_1a PARTITION OF " + table + "_1 FOR VALUES FROM (100) TO (150)");
            sql.update("INSERT INTO " + table + " (id, title) VALUES (120, 'kept too')");
            Map<String, Object> drift = sql.row("SELECT problem, fix FROM tracking_drift() WHERE table_name = ?::regclass", table);
            assertEquals("partitions without the TRUNCATE refusal or the change notification: " + table + "_1, " + table + "_1a",
                    drift.get("problem"));
            assertEquals("SELECT public.enable_tracking('" + table + "')", drift.get("fix"));
            sql.update((String) drift.get("fix"));
            assertEquals(0L, sql.value("SELECT count(*) FROM tracking_drift() WHERE table_name = ?::regclass", Long.class, table));

            try (Connection owner = owner()) {
                for (String partition : List.of(table + "_0", table + "_1", table + "_1a")) {
                    SQLException refused = assertThrows(SQLException.class, () -> exec(owner, "TRUNCATE " + partition));
                    assertTrue(refused.getMessage().contains("TRUNCATE of public." + partition + " is refused"), refused.getMessage());
                }
            }
            assertEquals(2L, sql.value("SELECT count(*) FROM " + table, Long.class), "no row lost");

            // A write naming a partition fires that partition's statement trigger only.
            try (Connection listener = owner(); Connection writer = owner()) {
                exec(listener, "LISTEN audit_log");
                listener.unwrap(PGConnection.class).getNotifications(100);
                exec(writer, "INSERT INTO " + table + "_1a (id, title) VALUES (130, 'direct')");
                PGNotification[] received = listener.unwrap(PGConnection.class).getNotifications(2000);
                assertTrue(received != null && received.length > 0, "no notification for a write naming a partition");
            }
            assertEquals(1L, sql.value("SELECT count(*) FROM audit_log WHERE table_name = ? AND row_id = '130'", Long.class, table));

            // Switching the notification switches every partition's; regenerating keeps the choice.
            sql.update("SELECT tracking_set_notify('" + table + "', false)");
            sql.update("SELECT enable_tracking('" + table + "')");
            assertEquals(table + " D, " + table + "_0 D, " + table + "_1 D, " + table + "_1a D", sql.value(notifyStates, String.class));
            IllegalStateException partitionSwitch = assertThrows(IllegalStateException.class,
                    () -> sql.update("SELECT tracking_set_notify('" + table + "_0', true)"));
            assertTrue(partitionSwitch.getCause().getMessage().contains("is a partition"), partitionSwitch.getCause().getMessage());
            sql.update("SELECT tracking_set_notify('" + table + "', true)");
            assertEquals(table + " O, " + table + "_0 O, " + table + "_1 O, " + table + "_1a O", sql.value(notifyStates, String.class));
        } finally {
            dropTracked(table);
        }
    }

    /** What readiness reports, read on the given connection (inside its transaction). */
    static Map<String, Object> drift(Connection c) throws SQLException {
        Map<String, Object> problems = new TreeMap<>();
        for (Map<String, Object> row : Sql.rows(c, "SELECT object, problem FROM tracking_check() WHERE problem IS NOT NULL")) {
            problems.put((String) row.get("object"), row.get("problem"));
        }
        return problems;
    }

    /**
     * The owner's ways around the record that readiness must show, each tried in a transaction that is
     * rolled back: a trigger on audit_log or on one of its partitions that swallows every entry, and a
     * generated function of a table in another schema given a search path of the writer's choosing.
     */
    @Test
    void triggersOnTheAuditLogAndFunctionsOfTablesInOtherSchemasAreWatched() throws SQLException {
        try (Connection owner = owner()) {
            owner.setAutoCommit(false);
            try {
                exec(owner, "CREATE FUNCTION public.swallow_entries() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NULL; END'");
                // On the table (PostgreSQL clones it to every partition), then on one partition alone.
                exec(owner, "CREATE TRIGGER a_swallow BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION public.swallow_entries()");
                Map<String, Object> problems = drift(owner);
                assertEquals("not recorded", problems.get("trigger a_swallow on public.audit_log"), problems::toString);
                assertEquals("not recorded", problems.get("trigger a_swallow on public.audit_log_default"), problems::toString);
                exec(owner, "DROP TRIGGER a_swallow ON audit_log");
                exec(owner, "CREATE TRIGGER b_swallow BEFORE INSERT ON audit_log_default FOR EACH ROW EXECUTE FUNCTION public.swallow_entries()");
                problems = drift(owner);
                assertEquals("not recorded", problems.get("trigger b_swallow on public.audit_log_default"), problems::toString);
                owner.rollback();

                exec(owner, "CREATE SCHEMA elsewhere");
                exec(owner, "CREATE TABLE elsewhere.notes (id bigint PRIMARY KEY, body text, created_at timestamptz, "
                        + "updated_at timestamptz, field_updated_at jsonb NOT NULL DEFAULT '{}')");
                exec(owner, "SELECT enable_tracking('elsewhere.notes')");
                assertEquals(Map.of(), drift(owner));
                exec(owner, "ALTER FUNCTION elsewhere.notes_tracking_before() SET search_path = elsewhere, pg_catalog, pg_temp");
                exec(owner, "GRANT EXECUTE ON FUNCTION elsewhere.notes_tracking_audit() TO PUBLIC");
                problems = drift(owner);
                assertEquals("definition differs from the recorded one", problems.get("function elsewhere.notes_tracking_before()"),
                        problems::toString);
                assertEquals("definition differs from the recorded one", problems.get("function elsewhere.notes_tracking_audit()"),
                        problems::toString);
            } finally {
                owner.rollback();
            }
        }
    }

    /**
     * enable_tracking() and tracking_set_notify(), run by hand, record their own change and nothing else:
     * a trigger disabled by hand on tasks, or an extra trigger on the very table enabled, stays reported.
     * A TRUNCATE refusal made ENABLE ALWAYS stays so when the table is generated again. In a transaction
     * that is rolled back.
     */
    @Test
    void enablingOrSwitchingByHandRecordsOnlyItsOwnChange() throws SQLException {
        String table = "byhand_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection owner = owner()) {
            owner.setAutoCommit(false);
            try {
                exec(owner, "CREATE TABLE " + table + " (id bigint PRIMARY KEY, title text, created_at timestamptz, "
                        + "updated_at timestamptz, field_updated_at jsonb NOT NULL DEFAULT '{}')");
                exec(owner, "SELECT enable_tracking('" + table + "')");
                exec(owner, "ALTER TABLE tasks DISABLE TRIGGER zz_90_audit");
                exec(owner, "CREATE TRIGGER zz_95_extra AFTER INSERT ON " + table + " FOR EACH ROW EXECUTE FUNCTION public.notify_changes()");
                exec(owner, "ALTER TABLE " + table + " ENABLE ALWAYS TRIGGER tracking_refuse_truncate");
                exec(owner, "ALTER TABLE " + table + " ADD COLUMN priority int");
                Map<String, Object> expected = new TreeMap<>(Map.of(
                        "trigger zz_90_audit on public.tasks", "disabled",
                        "trigger zz_95_extra on public." + table, "not recorded"));
                // The call readiness gives for the new column.
                exec(owner, "SELECT enable_tracking('" + table + "')");
                assertEquals(expected, drift(owner));
                assertEquals("A", Sql.rows(owner, "SELECT tgenabled::text AS e FROM pg_trigger WHERE tgrelid = '" + table
                        + "'::regclass AND tgname = 'tracking_refuse_truncate'").get(0).get("e"));
                exec(owner, "SELECT tracking_set_notify('" + table + "', false)");
                assertEquals(expected, drift(owner));
                // The owner's deliberate acceptance still takes everything.
                exec(owner, "SELECT tracking_record()");
                assertEquals(Map.of(), drift(owner));
            } finally {
                owner.rollback();
            }
        }
    }

    /**
     * A writer's session settings change nothing in the trail: a table keyed by a timestamptz, with a float
     * column, written by the DML role under two time zones and a negative extra_float_digits, files both
     * entries under one id with the values exact. The audit function of tasks pins only its time zone beyond its
     * search path.
     */
    @Test
    void writerSettingsChangeNeitherTheKeyNorTheValuesTheTrailRecords() throws SQLException {
        String table = "pinned_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try {
            sql.update("CREATE TABLE " + table + " (at timestamptz PRIMARY KEY, price float8, note text, "
                    + "created_at timestamptz, updated_at timestamptz, field_updated_at jsonb NOT NULL DEFAULT '{}')");
            sql.update("SELECT enable_tracking('" + table + "')");
            sql.update("GRANT SELECT, INSERT, UPDATE ON " + table + " TO " + dml);
            assertEquals(0L, sql.value("SELECT count(*) FROM tracking_drift() WHERE table_name = ?::regclass", Long.class, table),
                    "the pinned settings read back as generated");
            try (Connection c = as(dml)) {
                exec(c, "SET extra_float_digits = -15");
                exec(c, "SET TimeZone = 'Asia/Tokyo'");
                exec(c, "INSERT INTO " + table + " (at, price) VALUES ('2026-06-01 00:00:00Z', 98765.4321)");
                exec(c, "SET TimeZone = 'America/New_York'");
                exec(c, "UPDATE " + table + " SET price = 0.123456789 WHERE at = '2026-06-01 00:00:00Z'");
            }
            List<Map<String, Object>> entries = sql.rows("SELECT row_id, operation, new_row ->> 'price' AS price, "
                    + "changes -> 'price' ->> 'old' AS old_price FROM audit_log WHERE table_name = ? ORDER BY id", table);
            assertEquals(2, entries.size(), entries::toString);
            assertEquals(entries.get(0).get("row_id"), entries.get(1).get("row_id"), () -> "one row, one id: " + entries);
            assertEquals("98765.4321", entries.get(0).get("price"));
            assertEquals("0.123456789", entries.get(1).get("price"));
            assertEquals("98765.4321", entries.get(1).get("old_price"));
            assertEquals(List.of("search_path=pg_catalog, pg_temp", "TimeZone=utc"), List.of((Object[]) sql.value(
                    "SELECT proconfig FROM pg_proc WHERE oid = 'tasks_tracking_audit()'::regprocedure", Array.class).getArray()));
        } finally {
            dropTracked(table);
        }
    }

    /** A no-op update keeps the stored row: the tracking columns a writer sends with it are discarded. */
    @Test
    void trackingColumnsSentWithANoOpUpdateAreDiscardedAndNothingIsAudited() {
        long id = insertTask("unchanged");
        Map<String, Object> before = sql.row("SELECT updated_at, field_updated_at::text AS f FROM tasks WHERE id = ?", id);
        sql.update("UPDATE tasks SET title = 'unchanged', field_updated_at = '{}', updated_at = now() + interval '1 year' "
                + "WHERE id = ?", id);
        assertEquals(before, sql.row("SELECT updated_at, field_updated_at::text AS f FROM tasks WHERE id = ?", id));
        assertNull(sql.rows("SELECT 1 FROM audit_log WHERE table_name = 'tasks' AND row_id = ? AND operation = 'UPDATE'",
                Long.toString(id)).stream().findFirst().orElse(null));
    }
}
