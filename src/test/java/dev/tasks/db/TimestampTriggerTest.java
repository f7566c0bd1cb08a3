package dev.tasks.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tasks.support.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The timestamp guarantees, proven with plain SQL from outside the service: whoever writes the table
 * gets the same behaviour from the {@code zz_10_timestamps} trigger.
 */
@QuarkusTest
class TimestampTriggerTest {

    @Inject
    DataSource dataSource;

    @Inject
    Sql sql;

    private long insert(String title) {
        return sql.value("INSERT INTO tasks (title) VALUES (?) RETURNING id", Long.class, title);
    }

    private OffsetDateTime time(String column, long id) {
        return sql.value("SELECT " + column + " FROM tasks WHERE id = ?", OffsetDateTime.class, id);
    }

    @Test
    void insertIgnoresCreatedAtAndUpdatedAtSentByTheWriter() throws SQLException {
        for (String forged : List.of("2000-01-01T00:00:00Z", "2999-12-31T23:59:59Z")) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                OffsetDateTime txTime = single(c, "SELECT now()");
                Map<String, Object> row = Sql.rows(c,
                        "INSERT INTO tasks (title, created_at, updated_at) VALUES ('forged', ?::timestamptz, ?::timestamptz) "
                                + "RETURNING created_at = now() AS created_is_now, updated_at = now() AS updated_is_now",
                        forged, forged).get(0);
                c.commit();
                assertEquals(true, row.get("created_is_now"), "created_at is the transaction time, not " + forged);
                assertEquals(true, row.get("updated_is_now"), "updated_at is the transaction time, not " + forged);
                assertTrue(txTime.getYear() > 2000 && txTime.getYear() < 2999);
            }
        }
    }

    @Test
    void updateCannotChangeCreatedAtAndKeepsItSilently() {
        long id = insert("immutable created_at");
        OffsetDateTime created = time("created_at", id);
        int rows = sql.update("UPDATE tasks SET created_at = '2001-02-03T04:05:06Z', title = 'renamed' WHERE id = ?", id);
        assertEquals(1, rows);
        assertEquals(created, time("created_at", id));
        assertEquals("renamed", sql.value("SELECT title FROM tasks WHERE id = ?", String.class, id));
    }

    @Test
    void updateThatChangesAColumnMovesUpdatedAtAndKeepsCreatedAt() {
        long id = insert("plain sql");
        OffsetDateTime created = time("created_at", id);
        OffsetDateTime before = time("updated_at", id);
        sql.update("UPDATE tasks SET done = true WHERE id = ?", id);
        assertTrue(time("updated_at", id).isAfter(before), "updated_at moved");
        assertEquals(created, time("created_at", id), "created_at kept");
    }

    @Test
    void noOpUpdateLeavesUpdatedAtAlone() {
        long id = insert("no-op");
        OffsetDateTime before = time("updated_at", id);
        sql.update("UPDATE tasks SET title = title, done = done WHERE id = ?", id);
        sql.update("UPDATE tasks SET title = 'no-op', updated_at = '2999-01-01T00:00:00Z' WHERE id = ?", id);
        assertEquals(before, time("updated_at", id));
    }

    @Test
    void oneStatementOverTenThousandRowsStampsThemAllWithOneLaterTime() {
        String tag = "bulk-" + UUID.randomUUID();
        sql.update("INSERT INTO tasks (title) SELECT ? || '-' || g FROM generate_series(1, 10000) g", tag);
        OffsetDateTime before = sql.value("SELECT max(updated_at) FROM tasks WHERE title LIKE ?",
                OffsetDateTime.class, tag + "-%");

        assertEquals(10000, sql.update("UPDATE tasks SET done = NOT done WHERE title LIKE ?", tag + "-%"));

        Map<String, Object> stats = sql.row("SELECT count(DISTINCT updated_at) AS distinct_times, "
                + "min(updated_at) AS earliest, count(*) AS n FROM tasks WHERE title LIKE ?", tag + "-%");
        assertEquals(1L, stats.get("distinct_times"));
        assertEquals(10000L, stats.get("n"));
        OffsetDateTime after = sql.value("SELECT min(updated_at) FROM tasks WHERE title LIKE ?",
                OffsetDateTime.class, tag + "-%");
        assertTrue(after.isAfter(before));
    }

    @Test
    void everyRowWrittenInOneTransactionCarriesTheTransactionTime() throws SQLException {
        long existing = insert("touched in the same transaction");
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            OffsetDateTime txTime = single(c, "SELECT now()");
            long inserted = single(c, "INSERT INTO tasks (title) VALUES ('same tx') RETURNING id");
            try (Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE tasks SET done = true WHERE id = " + existing);
            }
            c.commit();
            assertEquals(txTime.toInstant(), time("created_at", inserted).toInstant());
            assertEquals(txTime.toInstant(), time("updated_at", inserted).toInstant());
            assertEquals(txTime.toInstant(), time("updated_at", existing).toInstant());
        }
    }

    /**
     * T1 starts first but writes the row after T2 committed a change to it: now() of T1 is older than
     * the stored updated_at, so the trigger writes the stored value plus one microsecond instead.
     */
    @Test
    void updatedAtNeverGoesBackwardsWhenTheEarlierTransactionCommitsLast() throws SQLException {
        long id = insert("race");
        OffsetDateTime afterT2;
        try (Connection t1 = dataSource.getConnection(); Connection t2 = dataSource.getConnection()) {
            t1.setAutoCommit(false);
            OffsetDateTime t1Start = single(t1, "SELECT now()");

            t2.setAutoCommit(false);
            single(t2, "SELECT pg_sleep(0.002)::text");
            try (Statement s = t2.createStatement()) {
                s.executeUpdate("UPDATE tasks SET title = 'by t2' WHERE id = " + id);
            }
            t2.commit();
            afterT2 = time("updated_at", id);
            assertTrue(afterT2.isAfter(t1Start));

            try (Statement s = t1.createStatement()) {
                s.executeUpdate("UPDATE tasks SET title = 'by t1' WHERE id = " + id);
            }
            t1.commit();
        }
        assertEquals("by t1", sql.value("SELECT title FROM tasks WHERE id = ?", String.class, id));
        assertEquals(afterT2.plusNanos(1_000).toInstant(), time("updated_at", id).toInstant(),
                "the later-committing, earlier-started transaction writes previous + 1 microsecond");
    }

    /**
     * A transaction whose time equals the stored updated_at, because another transaction that started in the
     * same microsecond changed the row and committed first: the row gets that time plus one microsecond, so
     * the two committed states (and their ETags) differ. The other transaction is played by the superuser in
     * a replica session, which writes the row with exactly this transaction's time; the audit entry gets the
     * row's new time too.
     */
    @Test
    void aChangeAfterAnotherTransactionOfTheSameMicrosecondGetsALaterTime() throws SQLException {
        long id = insert("same microsecond");
        OffsetDateTime txTime;
        try (Connection t1 = dataSource.getConnection(); Connection other = dataSource.getConnection()) {
            t1.setAutoCommit(false);
            txTime = single(t1, "SELECT now()");
            try (Statement replica = other.createStatement();
                    PreparedStatement s = other.prepareStatement("UPDATE tasks SET title = 'by the other', updated_at = ? WHERE id = ?")) {
                replica.execute("SET session_replication_role = replica");
                s.setObject(1, txTime);
                s.setLong(2, id);
                s.executeUpdate();
                replica.execute("RESET session_replication_role");
            }
            try (Statement s = t1.createStatement()) {
                s.executeUpdate("UPDATE tasks SET title = 'by t1' WHERE id = " + id);
            }
            t1.commit();
        }
        assertEquals(txTime.plusNanos(1_000).toInstant(), time("updated_at", id).toInstant(),
                "a state of its own, one microsecond after the other transaction's");
        assertEquals(txTime.plusNanos(1_000).toInstant(), sql.value("SELECT tx_time FROM audit_log WHERE table_name = 'tasks' "
                + "AND row_id = ? ORDER BY id DESC LIMIT 1", OffsetDateTime.class, Long.toString(id)).toInstant());
    }

    /** A row this transaction changed before keeps the transaction time through every later change of it. */
    @Test
    void aRowChangedAgainInItsTransactionKeepsTheTransactionTime() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            OffsetDateTime txTime = single(c, "SELECT now()");
            long id = single(c, "INSERT INTO tasks (title) VALUES ('again and again') RETURNING id");
            try (Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE tasks SET title = 'again' WHERE id = " + id);
                s.executeUpdate("UPDATE tasks SET done = true WHERE id = " + id);
            }
            c.commit();
            assertEquals(txTime.toInstant(), time("updated_at", id).toInstant());
            assertEquals(List.of(txTime.toInstant(), txTime.toInstant(), txTime.toInstant()),
                    sql.rows("SELECT tx_time FROM audit_log WHERE table_name = 'tasks' AND row_id = ? ORDER BY id",
                            Long.toString(id)).stream().map(r -> ((Timestamp) r.get("tx_time")).toInstant()).toList());
        }
    }

    @Test
    void anotherDatabaseRoleGetsTheSameBehaviour() throws SQLException {
        TestDatabase database = TestDatabase.fromConfig();
        // Roles are cluster-wide: one per run, named after the test database, with a password as on any server.
        String role = database.derivedName("other");
        String password = UUID.randomUUID().toString();
        sql.update("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
        try {
            sql.update("GRANT SELECT, INSERT, UPDATE ON tasks TO " + role);
            try (Connection other = database.connectAs(role, password)) {
                assertEquals(role, single(other, "SELECT current_user"));
                long id = single(other, "INSERT INTO tasks (title, created_at, updated_at) VALUES "
                        + "('other program', '2000-01-01Z', '2000-01-01Z') RETURNING id");
                OffsetDateTime created = time("created_at", id);
                OffsetDateTime updated = time("updated_at", id);
                assertTrue(created.getYear() > 2000);
                try (Statement s = other.createStatement()) {
                    s.executeUpdate("UPDATE tasks SET title = title WHERE id = " + id);
                    assertEquals(updated, time("updated_at", id), "no-op keeps updated_at");
                    s.executeUpdate("UPDATE tasks SET done = true, created_at = '1999-01-01Z' WHERE id = " + id);
                }
                assertEquals(created, time("created_at", id));
                assertTrue(time("updated_at", id).isAfter(updated));
                // A row it changes twice in one transaction: the second change asks the audit trail, which
                // this role cannot read, through tracking_changed_in_transaction().
                other.setAutoCommit(false);
                OffsetDateTime txTime = single(other, "SELECT now()");
                long again = single(other, "INSERT INTO tasks (title) VALUES ('twice') RETURNING id");
                try (Statement s = other.createStatement()) {
                    s.executeUpdate("UPDATE tasks SET done = true WHERE id = " + again);
                }
                other.commit();
                assertEquals(txTime.toInstant(), time("updated_at", again).toInstant());
            }
        } finally {
            sql.update("DROP OWNED BY " + role);
            sql.update("DROP ROLE " + role);
        }
    }

    @Test
    void theTimestampTriggerFiresAfterEveryOtherBeforeTrigger() {
        String table = "notes_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try {
            sql.update("CREATE TABLE " + table + " (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body text NOT NULL, "
                    + "touched int NOT NULL DEFAULT 0, created_at timestamptz NOT NULL DEFAULT now(), "
                    + "updated_at timestamptz NOT NULL DEFAULT now())");
            // A user trigger that changes the row on every update, named to sort late but before zz_.
            sql.update("CREATE FUNCTION " + table + "_touch() RETURNS trigger LANGUAGE plpgsql AS "
                    + "$$ BEGIN NEW.touched := OLD.touched + 1; RETURN NEW; END $$");
            sql.update("CREATE TRIGGER yy_touch BEFORE UPDATE ON " + table + " FOR EACH ROW EXECUTE FUNCTION "
                    + table + "_touch()");
            sql.update("SELECT enable_timestamps('" + table + "')");

            List<String> order = sql.rows("SELECT tgname FROM pg_trigger WHERE tgrelid = ?::regclass "
                    + "AND NOT tgisinternal ORDER BY tgname", table).stream()
                    .map(r -> (String) r.get("tgname")).toList();
            assertEquals(List.of("yy_touch", "zz_10_timestamps"), order);

            long id = sql.value("INSERT INTO " + table + " (body) VALUES ('x') RETURNING id", Long.class);
            OffsetDateTime before = sql.value("SELECT updated_at FROM " + table + " WHERE id = ?", OffsetDateTime.class, id);
            // The statement itself changes nothing; the earlier trigger does, and the time follows it.
            sql.update("UPDATE " + table + " SET body = body WHERE id = ?", id);
            OffsetDateTime after = sql.value("SELECT updated_at FROM " + table + " WHERE id = ?", OffsetDateTime.class, id);
            assertEquals(1, sql.value("SELECT touched FROM " + table + " WHERE id = ?", Integer.class, id));
            assertTrue(after.isAfter(before));
        } finally {
            sql.update("DROP TABLE IF EXISTS " + table);
            // The generated tracking functions do not go with the table.
            sql.update("DROP FUNCTION IF EXISTS " + table + "_tracking_before(), " + table + "_tracking_audit()");
            sql.update("DROP FUNCTION IF EXISTS " + table + "_touch()");
            // enable_timestamps() recorded the schema with the user function in it: record it again without,
            // or readiness reports the function missing to every test after this one.
            sql.rows("SELECT tracking_record()");
        }
    }

    @Test
    void enableTimestampsAttachesTheSameGuaranteesToAnotherTable() {
        String table = "projects_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try {
            sql.update("CREATE TABLE " + table + " (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL, "
                    + "created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now())");
            sql.update("SELECT enable_timestamps('" + table + "')");
            long id = sql.value("INSERT INTO " + table + " (name, created_at) VALUES ('p', '2000-01-01Z') RETURNING id", Long.class);
            Map<String, Object> inserted = sql.row("SELECT created_at, updated_at FROM " + table + " WHERE id = ?", id);
            assertNotEquals(OffsetDateTime.parse("2000-01-01T00:00:00Z").toInstant(),
                    ((java.sql.Timestamp) inserted.get("created_at")).toInstant());
            OffsetDateTime updated = sql.value("SELECT updated_at FROM " + table + " WHERE id = ?", OffsetDateTime.class, id);
            sql.update("UPDATE " + table + " SET name = name WHERE id = ?", id);
            assertEquals(updated, sql.value("SELECT updated_at FROM " + table + " WHERE id = ?", OffsetDateTime.class, id));
            sql.update("UPDATE " + table + " SET name = 'q', created_at = '1990-01-01Z' WHERE id = ?", id);
            assertTrue(sql.value("SELECT updated_at FROM " + table + " WHERE id = ?", OffsetDateTime.class, id).isAfter(updated));
            assertEquals(((java.sql.Timestamp) inserted.get("created_at")).toInstant(),
                    sql.value("SELECT created_at FROM " + table + " WHERE id = ?", OffsetDateTime.class, id).toInstant());
        } finally {
            sql.update("DROP TABLE IF EXISTS " + table);
            // The generated tracking functions do not go with the table.
            sql.update("DROP FUNCTION IF EXISTS " + table + "_tracking_before(), " + table + "_tracking_audit()");
        }
    }

    @Test
    void enableTimestampsRefusesATableWithoutTheTimeColumns() {
        String table = "bare_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try {
            sql.update("CREATE TABLE " + table + " (id int PRIMARY KEY, created_at timestamp)");
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> sql.update("SELECT enable_timestamps('" + table + "')"));
            assertTrue(e.getCause().getMessage().contains("created_at, updated_at"), e.getCause().getMessage());
        } finally {
            sql.update("DROP TABLE IF EXISTS " + table);
            // The generated tracking functions do not go with the table.
            sql.update("DROP FUNCTION IF EXISTS " + table + "_tracking_before(), " + table + "_tracking_audit()");
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T single(Connection c, String query) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            Object value = rs.getObject(1);
            if (value instanceof java.sql.Timestamp) {
                return (T) rs.getObject(1, OffsetDateTime.class);
            }
            return (T) value;
        }
    }
}
