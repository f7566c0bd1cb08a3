package dev.tasks.health;

import static dev.tasks.support.Management.management;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.tasks.db.Sql;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The readiness probe against the real database, acting as the owner would by hand: UP as the last
 * migration recorded it, DOWN naming the object when a function or trigger of the tracking set is dropped,
 * disabled, redefined, weakened ({@code SECURITY INVOKER}, a redirected {@code search_path}, a grant to
 * PUBLIC) or added without a migration, when a rule, row level security or a policy is put on a tracked
 * table or the audit trail, UP for a trigger made {@code ENABLE ALWAYS}, and UP again once it is put back.
 * The objects are found from the catalog (the trigger functions of {@code tasks}), not named, so the tests
 * hold whatever the tracking functions are called. Every test repairs what it broke, and
 * {@link #schemaIsRepaired} checks it.
 */
@QuarkusTest
class SchemaHealthCheckTest {

    @Inject
    Sql sql;

    @Inject
    DataSource dataSource;

    @AfterEach
    void schemaIsRepaired() {
        assertEquals("UP", schemaCheck(200).get("status"), "a test left the schema broken: " + schemaCheck(200));
    }

    /** The "Database schema" check of /q/health/ready, expecting the given HTTP status. */
    static Map<String, Object> schemaCheck(int status) {
        JsonPath health = management().when().get("/q/health/ready").then().statusCode(status).extract().jsonPath();
        List<Map<String, Object>> checks = health.getList("checks");
        return checks.stream().filter(c -> SchemaHealthCheck.NAME.equals(c.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no schema check in " + health.prettify()));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> data(Map<String, Object> check) {
        return (Map<String, Object>) check.get("data");
    }

    /** The one problem the check reports while DOWN. */
    static Map<String, Object> onlyProblem(Map<String, Object> check) {
        assertEquals("DOWN", check.get("status"));
        Map<String, Object> data = data(check);
        assertEquals(1, data.get("drifted"), () -> "expected one drifted object: " + data);
        return data;
    }

    /** A trigger of tasks whose function is SECURITY DEFINER (the audit trigger), as name and function. */
    Map<String, Object> securityDefinerTrigger() {
        return sql.row("""
                SELECT t.tgname AS trigger, t.tgfoid::regprocedure::text AS function
                  FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
                 WHERE t.tgrelid = 'tasks'::regclass AND NOT t.tgisinternal AND p.prosecdef
                 ORDER BY t.tgname LIMIT 1""");
    }

    /** A BEFORE row trigger of tasks (a timestamp trigger), as name and function. */
    Map<String, Object> beforeTrigger() {
        return sql.row("""
                SELECT t.tgname AS trigger, t.tgfoid::regprocedure::text AS function
                  FROM pg_trigger t
                 WHERE t.tgrelid = 'tasks'::regclass AND NOT t.tgisinternal AND (t.tgtype & 2) <> 0
                 ORDER BY t.tgname DESC LIMIT 1""");
    }

    static String triggerKey(Map<String, Object> trigger) {
        return "trigger " + trigger.get("trigger") + " on public.tasks";
    }

    /** How the check names a function of tasks' triggers: schema-qualified, whatever the search path. */
    static String functionKey(Object function) {
        return "function public." + function;
    }

    String definition(Object function) {
        return sql.value("SELECT pg_get_functiondef(?::regprocedure)", String.class, function);
    }

    @Test
    void asRecordedTheSchemaIsUpAndEveryFunctionOfTheSchemaAndTriggerOfTasksIsChecked() {
        Map<String, Object> check = schemaCheck(200);
        assertEquals("UP", check.get("status"));
        Map<String, Object> data = data(check);
        assertEquals(0, data.get("drifted"));
        assertEquals(sql.value("SELECT count(*)::int FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace "
                + "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')",
                Integer.class),
                data.get("functions checked"));
        int triggers = sql.value("SELECT count(*)::int FROM pg_trigger WHERE tgrelid = 'tasks'::regclass AND NOT tgisinternal",
                Integer.class);
        assertTrue(triggers >= 3, "tasks has " + triggers + " triggers");
        assertEquals(triggers, data.get("triggers checked"));
    }

    /**
     * Hides one applied changeset from Liquibase's history, as a database one migration behind this build
     * looks, runs the check, and puts the record back. Answers the hidden changeset as the check names it.
     */
    static String withChangesetPending(Sql sql, Runnable check) {
        Map<String, Object> changeset = sql.row(
                "SELECT filename, id, author FROM databasechangelog WHERE filename LIKE '%/0006-change-feed-index.yaml'");
        sql.update("UPDATE databasechangelog SET id = id || ' (hidden)' WHERE filename = ? AND id = ?",
                changeset.get("filename"), changeset.get("id"));
        try {
            check.run();
        } finally {
            sql.update("UPDATE databasechangelog SET id = ? WHERE filename = ? AND id = ?",
                    changeset.get("id"), changeset.get("filename"), changeset.get("id") + " (hidden)");
        }
        return changeset.get("filename") + "::" + changeset.get("id") + "::" + changeset.get("author");
    }

    @Test
    void changesetOfThisBuildNotAppliedIsDownNamingIt() {
        AtomicReference<Map<String, Object>> seen = new AtomicReference<>();
        String hidden = withChangesetPending(sql, () -> seen.set(schemaCheck(503)));
        assertEquals("DOWN", seen.get().get("status"));
        assertEquals(1, data(seen.get()).get("pending changesets"));
        assertEquals(hidden, data(seen.get()).get("first pending"));
        assertEquals("UP", schemaCheck(200).get("status"));
    }

    @Test
    void droppedTriggerIsDownNamingItAndUpOnceRestored() {
        Map<String, Object> trigger = beforeTrigger();
        String definition = sql.value("SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = 'tasks'::regclass AND tgname = ?",
                String.class, trigger.get("trigger"));
        sql.update("DROP TRIGGER " + trigger.get("trigger") + " ON tasks");
        try {
            assertEquals("missing", onlyProblem(schemaCheck(503)).get(triggerKey(trigger)));
        } finally {
            sql.update(definition);
        }
        assertEquals("UP", schemaCheck(200).get("status"));
    }

    @Test
    void disabledTriggerIsDown() {
        Map<String, Object> trigger = securityDefinerTrigger();
        sql.update("ALTER TABLE tasks DISABLE TRIGGER " + trigger.get("trigger"));
        try {
            assertEquals("disabled", onlyProblem(schemaCheck(503)).get(triggerKey(trigger)));
        } finally {
            sql.update("ALTER TABLE tasks ENABLE TRIGGER " + trigger.get("trigger"));
        }
    }

    @Test
    void auditTriggerMadeEnableAlwaysIsAHardeningStepNotDrift() {
        Map<String, Object> trigger = securityDefinerTrigger();
        String recorded = sql.value("SELECT tgenabled::text FROM pg_trigger WHERE tgrelid = 'tasks'::regclass AND tgname = ?",
                String.class, trigger.get("trigger"));
        sql.update("ALTER TABLE tasks ENABLE ALWAYS TRIGGER " + trigger.get("trigger"));
        try {
            Map<String, Object> check = schemaCheck(200);
            assertEquals("UP", check.get("status"));
            assertEquals(0, data(check).get("drifted"));
        } finally {
            sql.update("ALTER TABLE tasks ENABLE " + ("A".equals(recorded) ? "ALWAYS " : "") + "TRIGGER " + trigger.get("trigger"));
        }
    }

    @Test
    void triggerLeftFiringOnlyForReplicationIsDown() {
        Map<String, Object> trigger = securityDefinerTrigger();
        String recorded = sql.value("SELECT tgenabled::text FROM pg_trigger WHERE tgrelid = 'tasks'::regclass AND tgname = ?",
                String.class, trigger.get("trigger"));
        sql.update("ALTER TABLE tasks ENABLE REPLICA TRIGGER " + trigger.get("trigger"));
        try {
            assertEquals("fires only in replica sessions", onlyProblem(schemaCheck(503)).get(triggerKey(trigger)));
        } finally {
            sql.update("ALTER TABLE tasks ENABLE " + ("A".equals(recorded) ? "ALWAYS " : "") + "TRIGGER " + trigger.get("trigger"));
        }
    }

    @Test
    void triggerRecreatedWithAnotherDefinitionIsDown() {
        Map<String, Object> trigger = beforeTrigger();
        String definition = sql.value("SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = 'tasks'::regclass AND tgname = ?",
                String.class, trigger.get("trigger"));
        sql.update("DROP TRIGGER " + trigger.get("trigger") + " ON tasks");
        sql.update("CREATE TRIGGER " + trigger.get("trigger") + " BEFORE INSERT ON tasks FOR EACH ROW EXECUTE FUNCTION "
                + trigger.get("function"));
        try {
            assertEquals("definition differs from the recorded one", onlyProblem(schemaCheck(503)).get(triggerKey(trigger)));
        } finally {
            sql.update("DROP TRIGGER IF EXISTS " + trigger.get("trigger") + " ON tasks");
            sql.update(definition);
        }
    }

    @Test
    void triggerAddedToATrackedTableByHandIsDownAsNotRecorded() {
        Map<String, Object> trigger = beforeTrigger();
        // Named to fire after the timestamp trigger: it could rewrite updated_at.
        sql.update("CREATE TRIGGER zzz_by_hand BEFORE UPDATE ON tasks FOR EACH ROW EXECUTE FUNCTION " + trigger.get("function"));
        try {
            assertEquals("not recorded", onlyProblem(schemaCheck(503)).get("trigger zzz_by_hand on public.tasks"));
        } finally {
            sql.update("DROP TRIGGER zzz_by_hand ON tasks");
        }
    }

    /**
     * A rule leaves every trigger as recorded, yet can make audit entries vanish: this one is shown to drop
     * the entry of a write (in a transaction rolled back, so nothing stays without its entry), then named.
     */
    @Test
    void aRuleThatDropsAuditEntriesIsDown() throws Exception {
        sql.update("CREATE RULE drop_entries AS ON INSERT TO audit_log DO INSTEAD NOTHING");
        try {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                s.execute("INSERT INTO tasks (title) VALUES ('written while a rule drops its audit entry')");
                try (ResultSet r = s.executeQuery("SELECT count(*) FROM audit_log WHERE txid = pg_current_xact_id()")) {
                    r.next();
                    assertEquals(0, r.getInt(1), "the rule dropped the write's audit entry");
                }
                c.rollback();
            }
            assertEquals("not recorded", onlyProblem(schemaCheck(503)).get("rule drop_entries on public.audit_log"));
        } finally {
            sql.update("DROP RULE drop_entries ON audit_log");
        }
    }

    /** Row level security, or a policy, on a tracked table or the audit trail: neither is installed. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY | ALTER TABLE audit_log DISABLE ROW LEVEL SECURITY | row level security on public.audit_log",
            "CREATE POLICY by_hand ON audit_log FOR SELECT USING (false) | DROP POLICY by_hand ON audit_log | policy by_hand on public.audit_log",
            "CREATE POLICY by_hand ON tasks USING (true) | DROP POLICY by_hand ON tasks | policy by_hand on public.tasks" })
    void rowSecurityAddedByHandIsDownAsNotRecorded(String change, String undo, String object) {
        sql.update(change);
        try {
            assertEquals("not recorded", onlyProblem(schemaCheck(503)).get(object));
        } finally {
            sql.update(undo);
        }
    }

    @Test
    void auditFunctionMadeSecurityInvokerIsDown() {
        Object function = securityDefinerTrigger().get("function");
        sql.update("ALTER FUNCTION " + function + " SECURITY INVOKER");
        try {
            assertEquals("definition differs from the recorded one", onlyProblem(schemaCheck(503)).get(functionKey(function)));
        } finally {
            sql.update("ALTER FUNCTION " + function + " SECURITY DEFINER");
        }
    }

    @Test
    void triggerFunctionWithARedirectedSearchPathIsDown() {
        Object function = beforeTrigger().get("function");
        String original = definition(function);
        sql.update("ALTER FUNCTION " + function + " SET search_path = pg_temp");
        try {
            assertEquals("definition differs from the recorded one", onlyProblem(schemaCheck(503)).get(functionKey(function)));
        } finally {
            // CREATE OR REPLACE sets every option, the pinned settings included, as the definition states them.
            sql.update("ALTER FUNCTION " + function + " RESET ALL");
            sql.update(original);
        }
    }

    @Test
    void functionBodyReplacedByHandIsDownNamingItAndUpOnceReapplied() {
        Object function = beforeTrigger().get("function");
        String original = definition(function);
        // Same behaviour, one more comment line: only the body's text differs.
        String edited = original.replaceFirst("(?i)\\bBEGIN\\b", "BEGIN\n    -- edited by hand\n");
        assertTrue(!edited.equals(original), original);
        sql.update(edited);
        try {
            assertEquals("definition differs from the recorded one", onlyProblem(schemaCheck(503)).get(functionKey(function)));
        } finally {
            sql.update(original);
        }
        assertEquals("UP", schemaCheck(200).get("status"));
    }

    @Test
    void executeGrantedToPublicIsDown() {
        sql.update("GRANT EXECUTE ON FUNCTION public.tracking_record() TO PUBLIC");
        try {
            assertEquals("definition differs from the recorded one",
                    onlyProblem(schemaCheck(503)).get("function public.tracking_record()"));
        } finally {
            sql.update("REVOKE EXECUTE ON FUNCTION public.tracking_record() FROM PUBLIC");
        }
    }

    @Test
    void droppedFunctionIsDownAndFunctionAddedByHandIsNotRecorded() {
        String original = definition("public.tracking_record()");
        sql.update("DROP FUNCTION public.tracking_record()");
        sql.update("CREATE FUNCTION public.by_hand() RETURNS int LANGUAGE sql AS 'SELECT 1'");
        try {
            Map<String, Object> data = data(schemaCheck(503));
            assertEquals(2, data.get("drifted"), data::toString);
            assertEquals("missing", data.get("function public.tracking_record()"));
            assertEquals("not recorded", data.get("function public.by_hand()"));
        } finally {
            sql.update("DROP FUNCTION IF EXISTS public.by_hand()");
            sql.update(original);
            sql.update("REVOKE EXECUTE ON FUNCTION public.tracking_record() FROM PUBLIC");
        }
    }

    @Test
    void aChangeTheOwnerAcceptsIsRecordedAndUpAgain() {
        sql.update("CREATE FUNCTION public.accepted_helper() RETURNS int LANGUAGE sql AS 'SELECT 2'");
        try {
            assertEquals("not recorded", onlyProblem(schemaCheck(503)).get("function public.accepted_helper()"));
            sql.rows("SELECT tracking_record()");
            assertEquals("UP", schemaCheck(200).get("status"));
        } finally {
            sql.update("DROP FUNCTION public.accepted_helper()");
            sql.rows("SELECT tracking_record()");
        }
    }

    @Test
    void driftIsCountedByAGauge() {
        Map<String, Object> trigger = securityDefinerTrigger();
        sql.update("ALTER TABLE tasks DISABLE TRIGGER " + trigger.get("trigger"));
        try {
            schemaCheck(503);
            assertTrue(gauge().contains("tasks_schema_drift 1.0"), gauge());
        } finally {
            sql.update("ALTER TABLE tasks ENABLE TRIGGER " + trigger.get("trigger"));
        }
        schemaCheck(200);
        assertTrue(gauge().contains("tasks_schema_drift 0.0"), gauge());
    }

    static String gauge() {
        return management().when().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(line -> line.startsWith("tasks_schema_drift")).findFirst().orElse("no tasks_schema_drift gauge");
    }

    @Test
    void livenessDoesNotDependOnTheSchema() {
        Map<String, Object> trigger = securityDefinerTrigger();
        sql.update("ALTER TABLE tasks DISABLE TRIGGER " + trigger.get("trigger"));
        try {
            management().when().get("/q/health/live").then().statusCode(200);
        } finally {
            sql.update("ALTER TABLE tasks ENABLE TRIGGER " + trigger.get("trigger"));
        }
    }
}
