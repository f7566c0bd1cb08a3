package dev.tasks.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.changelog.ChangeLogParameters;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.LiquibaseException;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.ClassLoaderResourceAccessor;

/**
 * The changelogs in operation, each test in empty databases of its own (named after the test database,
 * dropped afterwards): every changeset rolls back to nothing and applies again to exactly the schema of a
 * fresh install, and two instances migrating the same empty database at once apply each changeset once.
 */
@QuarkusTest
class MigrationOperationsTest {

    static final String MASTER = Scratch.MASTER;

    /**
     * Every object of the public schema as one sorted line each: tables and columns (type, nullability,
     * default, identity, comments), constraints, indexes, sequences, triggers (pg_get_triggerdef and
     * enabled state) and functions (signature, body hash, full definition hash).
     */
    static final String SCHEMA = """
            SELECT 'table ' || c.relname || ' kind=' || c.relkind::text || ' comment=' || coalesce(obj_description(c.oid, 'pg_class'), '-')
              FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
            UNION ALL
            SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' nullable=' || is_nullable
                   || ' default=' || coalesce(column_default, '-') || ' identity=' || is_identity
                   || ' ' || coalesce(identity_generation, '-')
                   || ' comment=' || coalesce(col_description(format('%I.%I', table_schema, table_name)::regclass, ordinal_position::int), '-')
              FROM information_schema.columns WHERE table_schema = 'public'
            UNION ALL
            SELECT 'constraint ' || conrelid::regclass || '.' || conname || ' ' || pg_get_constraintdef(oid)
              FROM pg_constraint WHERE connamespace = 'public'::regnamespace
            UNION ALL
            SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
            UNION ALL
            SELECT 'sequence ' || sequencename || ' ' || data_type || ' start=' || start_value || ' by=' || increment_by
              FROM pg_sequences WHERE schemaname = 'public'
            UNION ALL
            SELECT 'trigger ' || tgrelid::regclass || ' enabled=' || tgenabled::text || ' ' || pg_get_triggerdef(oid)
              FROM pg_trigger WHERE NOT tgisinternal AND tgrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'public'::regnamespace)
            UNION ALL
            SELECT 'function ' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ') returns '
                   || pg_get_function_result(p.oid) || ' body=' || md5(p.prosrc) || ' definition=' || md5(pg_get_functiondef(p.oid))
              FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
            UNION ALL
            SELECT 'type ' || t.typname || ' ' || t.typtype::text FROM pg_type t
             WHERE t.typnamespace = 'public'::regnamespace AND t.typtype IN ('e', 'd', 'c')
               AND NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.reltype = t.oid)
            ORDER BY 1
            """;

    Scratch scratch = new Scratch();

    static Connection connect(String url) throws SQLException {
        return Scratch.connect(url);
    }

    /** Creates an empty database named after the test database and returns its JDBC URL. */
    String createDatabase(String purpose) throws SQLException {
        return scratch.database(purpose);
    }

    @AfterEach
    void dropDatabases() throws SQLException {
        scratch.close();
    }

    static List<String> schema(String url) throws SQLException {
        try (Connection c = connect(url)) {
            return Sql.rows(c, SCHEMA).stream().map(row -> (String) row.values().iterator().next()).toList();
        }
    }

    static List<Map<String, Object>> history(String url) throws SQLException {
        try (Connection c = connect(url)) {
            return Sql.rows(c, "SELECT id, author, filename, deployment_id FROM databasechangelog ORDER BY orderexecuted");
        }
    }

    /** Runs one Liquibase command on its own connection, as an instance of the service does at start. */
    static void liquibase(String url, Scratch.LiquibaseCommand command) throws SQLException, LiquibaseException {
        Scratch.liquibase(url, null, new ClassLoaderResourceAccessor(), Map.of(), command);
    }

    static void update(String url) throws SQLException, LiquibaseException {
        liquibase(url, l -> l.update(new Contexts(), new LabelExpression()));
    }

    static int changeSetsInChangelog() throws Exception {
        var accessor = new ClassLoaderResourceAccessor();
        return Scope.child(Map.of(Scope.Attr.resourceAccessor.name(), accessor),
                () -> ChangeLogParserFactory.getInstance().getParser(MASTER, accessor)
                        .parse(MASTER, new ChangeLogParameters(), accessor).getChangeSets().size());
    }

    static void assertEachChangeSetOnce(List<Map<String, Object>> history, int expected) {
        Set<String> distinct = history.stream()
                .map(row -> row.get("filename") + "::" + row.get("id") + "::" + row.get("author"))
                .collect(Collectors.toSet());
        assertEquals(expected, history.size(), () -> "history: " + history);
        assertEquals(expected, distinct.size(), () -> "a changeset ran twice: " + history);
    }

    @Test
    void rollingEveryChangeSetBackLeavesNothingAndReapplyingMatchesAFreshInstall() throws Exception {
        String fresh = createDatabase("mig");
        String cycled = createDatabase("mig");
        update(fresh);
        List<String> freshSchema = schema(fresh);
        assertTrue(freshSchema.stream().anyMatch(line -> line.startsWith("trigger ")), "no trigger in " + freshSchema);
        assertTrue(freshSchema.stream().anyMatch(line -> line.startsWith("function ")), "no function in " + freshSchema);

        update(cycled);
        int applied = history(cycled).size();
        assertEquals(changeSetsInChangelog(), applied);
        liquibase(cycled, l -> l.rollback(applied, new Contexts(), new LabelExpression()));

        assertTrue(history(cycled).isEmpty(), "changesets left in the history after rolling all back");
        // Liquibase's own two tables stay; nothing of the changelogs may.
        List<String> leftOver = schema(cycled).stream().filter(line -> !line.contains("databasechangelog")).toList();
        assertEquals(List.of(), leftOver, "rollback left objects behind");

        update(cycled);
        assertEquals(freshSchema, schema(cycled));
        assertEachChangeSetOnce(history(cycled), applied);
    }

    /**
     * Finding 6: installed with Liquibase's default schema set to another schema, the functions name that
     * schema themselves, so a session whose search path is empty still gets times and history.
     */
    @Test
    void installedIntoAnotherSchemaTheTriggersWorkForASessionWithAnEmptySearchPath() throws Exception {
        String url = createDatabase("schema");
        try (Connection c = connect(url)) {
            c.createStatement().execute("CREATE SCHEMA app");
        }
        try (Connection c = connect(url)) {
            Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(c));
            database.setDefaultSchemaName("app");
            try (Liquibase liquibase = new Liquibase(MASTER, new ClassLoaderResourceAccessor(), database)) {
                liquibase.update(new Contexts(), new LabelExpression());
            }
        }
        try (Connection c = connect(url)) {
            assertEquals(0, Sql.rows(c, "SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename = 'tasks'").size());
            c.createStatement().execute("SET search_path = ''");
            long id = (Long) Sql.rows(c, "INSERT INTO app.tasks (title, created_at) VALUES ('elsewhere', '2001-01-01Z') "
                    + "RETURNING id").get(0).get("id");
            c.createStatement().execute("UPDATE app.tasks SET done = true WHERE id = " + id);
            c.createStatement().execute("DELETE FROM app.tasks WHERE id = " + id);
            List<Map<String, Object>> entries = Sql.rows(c, "SELECT operation, table_schema, table_name, "
                    + "(new_row ->> 'created_at')::timestamptz > '2001-01-02Z' AS created_now "
                    + "FROM app.audit_log WHERE row_id = ? ORDER BY id", Long.toString(id));
            assertEquals(List.of("INSERT", "UPDATE", "DELETE"), entries.stream().map(e -> e.get("operation")).toList());
            assertEquals("app", entries.get(0).get("table_schema"));
            assertEquals("tasks", entries.get(0).get("table_name"));
            assertEquals(true, entries.get(0).get("created_now"), "created_at is the database's, not the writer's");
            assertTrue(Sql.rows(c, "SELECT * FROM app.tracking_drift()").isEmpty());
        }
    }

    /**
     * Rolling the generated tracking back (0007) returns tasks to the generic functions, and writes keep
     * working: from the first changeset of 0007 (audit_log loses table_schema too), and from the one that
     * generates the functions of tasks (audit_log keeps table_schema, which the generic audit then fills).
     */
    @ParameterizedTest
    @ValueSource(strings = { "0007-", "0007-tasks-generated-tracking" })
    void rollingBackTheGeneratedTrackingLeavesWritesTimedAndAudited(String from) throws Exception {
        String url = createDatabase("gen");
        update(url);
        // That changeset and every changeset applied after it (the later ones are undone first).
        List<Map<String, Object>> applied = history(url);
        int generated = applied.size() - applied.stream().map(row -> (String) row.get("id")).toList()
                .indexOf(applied.stream().map(row -> (String) row.get("id")).filter(id -> id.startsWith(from)).findFirst().orElseThrow());
        liquibase(url, l -> l.rollback(generated, new Contexts(), new LabelExpression()));
        try (Connection c = connect(url)) {
            assertEquals(List.of("zz_05_field_times set_field_times", "zz_10_timestamps set_timestamps", "zz_90_audit audit_row"),
                    Sql.rows(c, "SELECT tgname || ' ' || tgfoid::regproc AS t FROM pg_trigger WHERE tgrelid = 'tasks'::regclass "
                            + "AND NOT tgisinternal ORDER BY tgname").stream().map(r -> r.get("t")).toList());
            long id = (Long) Sql.rows(c, "INSERT INTO tasks (title) VALUES ('rolled back') RETURNING id").get(0).get("id");
            c.createStatement().execute("UPDATE tasks SET done = true WHERE id = " + id);
            Map<String, Object> row = Sql.rows(c, "SELECT updated_at > created_at AS moved, jsonb_exists(field_updated_at, 'done') AS stamped, "
                    + "(SELECT count(*) FROM audit_log WHERE table_name = 'tasks' AND row_id = tasks.id::text) AS entries "
                    + "FROM tasks WHERE id = " + id).get(0);
            assertEquals(true, row.get("moved"));
            assertEquals(true, row.get("stamped"));
            assertEquals(2L, row.get("entries"));
            if (!from.equals("0007-")) {
                assertEquals(List.of("public"), Sql.rows(c, "SELECT DISTINCT table_schema FROM audit_log WHERE row_id = ?",
                        Long.toString(id)).stream().map(r -> r.get("table_schema")).toList());
            }
        }
        update(url);
        try (Connection c = connect(url)) {
            assertEquals(List.of("tracking_notify", "tracking_refuse_truncate", "zz_10_timestamps", "zz_90_audit"),
                    Sql.rows(c, "SELECT tgname FROM pg_trigger WHERE tgrelid = 'tasks'::regclass AND NOT tgisinternal "
                            + "ORDER BY tgname").stream().map(r -> r.get("tgname")).toList());
        }
    }

    /**
     * 0025 gives the partitions of an audited partitioned table that exists before it (enabled by an
     * earlier generator, which put the statement triggers on the table only) their own TRUNCATE refusal
     * and notification. Its rollback leaves them: readiness would report a partition without them.
     */
    @Test
    void upgradingGivesThePartitionsOfAnAuditedTableTheirStatementTriggers() throws Exception {
        String url = createDatabase("parts");
        update(url);
        String statementTriggers = "SELECT string_agg(tgrelid::regclass::text || ' ' || tgname, ', ' ORDER BY tgrelid::regclass::text, tgname) "
                + "FROM pg_trigger WHERE tgname IN ('tracking_refuse_truncate', 'tracking_notify') AND tgrelid::regclass::text LIKE 'parts%'";
        String all = "parts tracking_notify, parts tracking_refuse_truncate, parts_0 tracking_notify, parts_0 tracking_refuse_truncate";
        try (Connection c = connect(url)) {
            c.createStatement().execute("CREATE TABLE parts (id bigint PRIMARY KEY, title text, created_at timestamptz, "
                    + "updated_at timestamptz, field_updated_at jsonb NOT NULL DEFAULT '{}') PARTITION BY RANGE (id)");
            c.createStatement().execute("CREATE TABLE parts_0 PARTITION OF parts FOR VALUES FROM (1) TO (100)");
            c.createStatement().execute("SELECT enable_tracking('parts')");
            assertEquals(all, Sql.rows(c, statementTriggers).get(0).get("string_agg"));
        }
        List<Map<String, Object>> applied = history(url);
        List<String> ids = applied.stream().map(row -> (String) row.get("id")).toList();
        int from0025 = applied.size() - ids.indexOf("0025-tracked-tables-regenerated");
        liquibase(url, l -> l.rollback(from0025, new Contexts(), new LabelExpression()));
        try (Connection c = connect(url)) {
            assertEquals(all, Sql.rows(c, statementTriggers).get(0).get("string_agg"), "the rollback keeps them");
            // What the generator before 0025 left, recorded as such.
            c.createStatement().execute("DROP TRIGGER tracking_refuse_truncate ON parts_0");
            c.createStatement().execute("DROP TRIGGER tracking_notify ON parts_0");
            c.createStatement().execute("SELECT tracking_record()");
            c.createStatement().execute("INSERT INTO parts (id, title) VALUES (1, 'a')");
            c.createStatement().execute("TRUNCATE parts_0");
            assertEquals(0L, Sql.rows(c, "SELECT count(*) AS n FROM parts").get(0).get("n"), "before 0025: not refused");
        }
        update(url);
        try (Connection c = connect(url)) {
            assertEquals(all, Sql.rows(c, statementTriggers).get(0).get("string_agg"));
            assertEquals(List.of(), Sql.rows(c, "SELECT * FROM tracking_check() WHERE problem IS NOT NULL"));
            c.createStatement().execute("INSERT INTO parts (id, title) VALUES (2, 'b')");
            SQLException refused = assertThrows(SQLException.class, () -> c.createStatement().execute("TRUNCATE parts_0"));
            assertTrue(refused.getMessage().contains("TRUNCATE of public.parts_0 is refused"), refused.getMessage());
        }
    }

    /**
     * The race itself, made deterministic: another instance has created DATABASECHANGELOG but not yet
     * committed when this one, having seen no table, creates it too. PostgreSQL makes the second CREATE
     * wait and then fail; the service must read the other instance's table and carry on.
     */
    @Test
    void historyTableCreatedByAnotherInstanceMeanwhileIsReadNotCreatedTwice() throws Exception {
        String url = createDatabase("race");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection other = connect(url)) {
            other.setAutoCommit(false);
            other.createStatement().execute("""
                    CREATE TABLE public.databasechangelog (id varchar(255) NOT NULL, author varchar(255) NOT NULL,
                        filename varchar(255) NOT NULL, dateexecuted timestamp NOT NULL, orderexecuted integer NOT NULL,
                        exectype varchar(10) NOT NULL, md5sum varchar(35), description varchar(255),
                        comments varchar(255), tag varchar(255), liquibase varchar(20), contexts varchar(255),
                        labels varchar(255), deployment_id varchar(10))""");
            Future<?> instance = pool.submit(() -> {
                update(url);
                return null;
            });
            awaitBlockedOnALock(url, instance);
            other.commit();
            instance.get(5, TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
        }
        assertEachChangeSetOnce(history(url), changeSetsInChangelog());
    }

    /** Waits (bounded) until a session of the database waits on a lock: the instance's CREATE TABLE. */
    static void awaitBlockedOnALock(String url, Future<?> instance) throws Exception {
        String database = url.replaceAll(".*/([^/?]+)(\\?.*)?$", "$1");
        try (Connection c = connect(url)) {
            for (int i = 0; i < 600; i++) {
                if (instance.isDone()) {
                    instance.get(); // failed early: show why
                    throw new AssertionError("the instance finished without waiting for the other one");
                }
                var waiting = Sql.rows(c, "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = ? AND wait_event_type = 'Lock'",
                        database);
                if (((Number) waiting.get(0).get("n")).intValue() > 0) {
                    return;
                }
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the instance never reached CREATE TABLE databasechangelog");
    }
}
