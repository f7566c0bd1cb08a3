package dev.tasks.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tasks.support.Commands;
import dev.tasks.support.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Dump and restore with PostgreSQL's own tools (pg_dump, pg_restore, psql), as docs/database-roles.md
 * describes them: a whole database into an empty one, and the data of tasks and audit_log into a freshly
 * migrated one with scripts/restore-data.sh. Both keep every row of both tables exactly (the times,
 * field_updated_at and every audit column), leave the triggers as they were (ENABLE ALWAYS included),
 * move the identity sequences past the restored ids and leave nothing drifted. A plain load, for contrast,
 * rewrites every created_at.
 */
@QuarkusTest
class RestoreTest {


    Scratch scratch;
    Path dump;
    String source;

    @BeforeEach
    void sourceWithHistory() throws Exception {
        scratch = new Scratch();
        dump = Files.createTempFile("tasks-dump", ".out");
        source = scratch.database("rsrc");
        Scratch.update(source, null, Map.of());
        try (Connection c = Scratch.connect(source)) {
            // Separate transactions, so times differ from row to row and from the restore's.
            for (int i = 0; i < 5; i++) {
                Sql.rows(c, "INSERT INTO tasks (title) VALUES (?) RETURNING id", "task " + i);
            }
            Sql.rows(c, "SELECT set_config('app.actor', 'restorer', false)");
            c.createStatement().execute("UPDATE tasks SET done = true WHERE id % 2 = 0");
            c.createStatement().execute("UPDATE tasks SET title = title || ' renamed' WHERE id = 3");
            c.createStatement().execute("DELETE FROM tasks WHERE id = 5");
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        scratch.close();
        Files.deleteIfExists(dump);
    }

    /** Runs a PostgreSQL client program against the test server as the configured login, bounded in time. */
    static String run(String database, String... command) throws IOException, InterruptedException {
        TestDatabase server = Scratch.server();
        return Commands.run(List.of(command), Map.of("PGHOST", server.host(), "PGPORT", Integer.toString(server.port()),
                "PGUSER", server.user(), "PGPASSWORD", server.password(), "PGDATABASE", database));
    }

    /** Every row of tasks and audit_log as text, and each table's triggers with their enabled state. */
    static Map<String, Object> contents(String url) throws SQLException {
        try (Connection c = Scratch.connect(url)) {
            Map<String, Object> contents = new HashMap<>();
            contents.put("tasks", Sql.rows(c, "SELECT t::text AS r FROM tasks t ORDER BY id"));
            contents.put("audit_log", Sql.rows(c, "SELECT a::text AS r FROM audit_log a ORDER BY id"));
            contents.put("triggers", triggers(c));
            return contents;
        }
    }

    static List<Map<String, Object>> triggers(Connection c) throws SQLException {
        return Sql.rows(c, "SELECT tgrelid::regclass::text AS t, tgname::text AS name, tgenabled::text AS enabled "
                + "FROM pg_trigger WHERE tgrelid IN ('tasks'::regclass, 'audit_log'::regclass) AND NOT tgisinternal ORDER BY 1, 2");
    }

    /** New writes after a restore: ids follow the restored ones, the triggers stamp and audit them, nothing drifted. */
    static void writesContinue(String url) throws SQLException {
        try (Connection c = Scratch.connect(url)) {
            long maxTask = ((Number) Sql.rows(c, "SELECT max(id) AS m FROM tasks").get(0).get("m")).longValue();
            long maxAudit = ((Number) Sql.rows(c, "SELECT max(id) AS m FROM audit_log").get(0).get("m")).longValue();
            Map<String, Object> row = Sql.rows(c, "INSERT INTO tasks (title) VALUES ('after restore') "
                    + "RETURNING id, created_at = now() AS stamped").get(0);
            assertEquals(6L, ((Number) row.get("id")).longValue(), "the restored sequence hands out the next id after the dumped ones");
            assertTrue(((Number) row.get("id")).longValue() > maxTask);
            assertEquals(true, row.get("stamped"));
            List<Map<String, Object>> audit = Sql.rows(c, "SELECT id FROM audit_log WHERE row_id = ? AND operation = 'INSERT'",
                    row.get("id").toString());
            assertEquals(1, audit.size());
            assertTrue(((Number) audit.get(0).get("id")).longValue() > maxAudit);
            assertEquals(List.of(), Sql.rows(c, "SELECT object, problem FROM tracking_check() WHERE problem IS NOT NULL"));
        }
    }

    @Test
    void wholeDatabaseDumpRestoresIntoAnEmptyDatabaseExactly() throws Exception {
        try (Connection c = Scratch.connect(source)) {
            c.createStatement().execute("ALTER TABLE tasks ENABLE ALWAYS TRIGGER zz_90_audit");
            Sql.rows(c, "SELECT tracking_record()");
        }
        Map<String, Object> before = contents(source);
        run(Scratch.databaseName(source), "pg_dump", "--format=custom", "--file=" + dump);
        String target = scratch.database("rall");
        run(Scratch.databaseName(target), "pg_restore", "--exit-on-error", "--dbname=" + Scratch.databaseName(target), dump.toString());
        assertEquals(before, contents(target));
        writesContinue(target);
    }

    @Test
    void dataOnlyDumpRestoresIntoAMigratedDatabaseExactlyWithTheScript() throws Exception {
        Map<String, Object> before = contents(source);
        run(Scratch.databaseName(source), "pg_dump", "--data-only", "--table=tasks", "--table=audit_log*",
                "--load-via-partition-root", "--file=" + dump);
        String target = scratch.database("rdata");
        Scratch.update(target, null, Map.of());
        List<Map<String, Object>> triggersBefore;
        try (Connection c = Scratch.connect(target)) {
            // A hardened target: an ENABLE ALWAYS audit trigger, which session_replication_role would not stop.
            c.createStatement().execute("ALTER TABLE tasks ENABLE ALWAYS TRIGGER zz_90_audit");
            Sql.rows(c, "SELECT tracking_record()");
            triggersBefore = triggers(c);
        }
        run(Scratch.databaseName(target), "scripts/restore-data.sh", dump.toString());

        Map<String, Object> after = contents(target);
        assertEquals(before.get("tasks"), after.get("tasks"));
        assertEquals(before.get("audit_log"), after.get("audit_log"));
        assertEquals(triggersBefore, after.get("triggers"));
        writesContinue(target);
    }

    @Test
    void dataOnlyRestoreRefusesATargetThatHoldsRowsAndChangesNothing() throws Exception {
        run(Scratch.databaseName(source), "pg_dump", "--data-only", "--table=tasks", "--table=audit_log*",
                "--load-via-partition-root", "--file=" + dump);
        String target = scratch.database("rfull");
        Scratch.update(target, null, Map.of());
        try (Connection c = Scratch.connect(target)) {
            Sql.rows(c, "INSERT INTO tasks (title) VALUES ('already here') RETURNING id");
        }
        Map<String, Object> before = contents(target);
        List<String> command = new ArrayList<>(List.of("scripts/restore-data.sh", dump.toString()));
        IOException refused = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> run(Scratch.databaseName(target), command.toArray(String[]::new)));
        assertTrue(refused.getMessage().contains("must be empty"), refused.getMessage());
        assertEquals(before, contents(target));
    }

    /**
     * A dump from a cluster further along: its audit trail holds transaction ids this cluster has not
     * handed out, so the change feed would miss every write after the restore. The script refuses, names
     * the epoch to give this cluster, and leaves the target as it was.
     */
    @Test
    void dataOnlyRestoreRefusesAnAuditTrailAheadOfThisCluster() throws Exception {
        try (Connection c = Scratch.connect(source)) {
            // What the source cluster's ids would be one epoch further on; its triggers stay out of this.
            c.createStatement().execute("SET session_replication_role = replica");
            c.createStatement().execute("UPDATE audit_log SET txid = (txid::text::numeric + 4294967296)::text::xid8");
        }
        run(Scratch.databaseName(source), "pg_dump", "--data-only", "--table=tasks", "--table=audit_log*",
                "--load-via-partition-root", "--file=" + dump);
        String target = scratch.database("rahead");
        Scratch.update(target, null, Map.of());
        Map<String, Object> before = contents(target);
        IOException refused = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> run(Scratch.databaseName(target), "scripts/restore-data.sh", dump.toString()));
        assertTrue(refused.getMessage().contains("the change feed would miss every new write"), refused.getMessage());
        assertTrue(refused.getMessage().contains("pg_resetwal -e 2"), refused.getMessage());
        assertEquals(before, contents(target));
    }

    @Test
    void aPlainDataLoadWithTheTriggersOnRewritesCreatedAtWhichIsWhyTheScriptExists() throws Exception {
        run(Scratch.databaseName(source), "pg_dump", "--data-only", "--table=tasks", "--file=" + dump);
        String target = scratch.database("rplain");
        Scratch.update(target, null, Map.of());
        run(Scratch.databaseName(target), "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "--output=/dev/null", "-f", dump.toString());
        try (Connection c = Scratch.connect(source); Connection t = Scratch.connect(target)) {
            Object original = Sql.rows(c, "SELECT created_at FROM tasks WHERE id = 1").get(0).get("created_at");
            Object loaded = Sql.rows(t, "SELECT created_at FROM tasks WHERE id = 1").get(0).get("created_at");
            assertNotEquals(original, loaded);
            assertEquals(4L, ((Number) Sql.rows(t, "SELECT count(*) AS n FROM audit_log WHERE operation = 'INSERT'")
                    .get(0).get("n")).longValue(), "every loaded row got an INSERT entry of the restore's time");
        }
    }
}
