package dev.tasks.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tasks.db.Sql;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * With {@code tasks.schema.on-drift=report}, drift stays in rotation: UP, with the drifted object named.
 * A changeset not applied is not drift: the instance leaves rotation all the same.
 */
@QuarkusTest
@TestProfile(SchemaDriftReportedTest.ReportOnly.class)
class SchemaDriftReportedTest {

    public static class ReportOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tasks.schema.on-drift", "report");
        }
    }

    @Inject
    Sql sql;

    @Test
    void driftIsReportedWhileTheInstanceStaysReady() {
        String trigger = sql.value("""
                SELECT t.tgname FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
                 WHERE t.tgrelid = 'tasks'::regclass AND NOT t.tgisinternal AND p.prosecdef ORDER BY 1 LIMIT 1""",
                String.class);
        sql.update("ALTER TABLE tasks DISABLE TRIGGER " + trigger);
        try {
            Map<String, Object> check = SchemaHealthCheckTest.schemaCheck(200);
            assertEquals("UP", check.get("status"));
            Map<String, Object> data = SchemaHealthCheckTest.data(check);
            assertEquals(1, data.get("drifted"));
            assertEquals("disabled", data.get("trigger " + trigger + " on public.tasks"));
            assertEquals("tasks_schema_drift 1.0", SchemaHealthCheckTest.gauge());
        } finally {
            sql.update("ALTER TABLE tasks ENABLE TRIGGER " + trigger);
        }
    }

    @Test
    void aPendingChangesetIsDownEvenWhenDriftIsOnlyReported() {
        String hidden = SchemaHealthCheckTest.withChangesetPending(sql, () -> {
            Map<String, Object> check = SchemaHealthCheckTest.schemaCheck(503);
            assertEquals("DOWN", check.get("status"));
            assertEquals(1, SchemaHealthCheckTest.data(check).get("pending changesets"));
        });
        assertEquals("UP", SchemaHealthCheckTest.schemaCheck(200).get("status"), "back once " + hidden + " is recorded");
    }
}
