package dev.tasks.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import io.quarkus.test.junit.QuarkusTest;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.resource.ClassLoaderResourceAccessor;

/**
 * The switch for commit notifications, with Liquibase itself on databases of its own: the changelog
 * parameter feed-notify turns the tracking_notify trigger of tasks off and on again, a writer's commit
 * notifies or not accordingly, readiness' record follows, regenerating the tracking keeps the choice, and
 * a rollback of the switch's changesets leaves tasks notifying as before them.
 */
@QuarkusTest
class FeedNotifySwitchTest {

    static final String TRIGGER_STATE = "SELECT tgenabled::text FROM pg_trigger "
            + "WHERE tgrelid = 'tasks'::regclass AND tgname = 'tracking_notify'";
    static final String DRIFT = "SELECT count(*) FROM tracking_check() WHERE problem IS NOT NULL";
    static final String DRIFTED = "SELECT object, problem FROM tracking_check() WHERE problem IS NOT NULL";

    Scratch scratch = new Scratch();

    @AfterEach
    void dropDatabases() throws SQLException {
        scratch.close();
    }

    static void update(String url, String notify) throws Exception {
        Scratch.update(url, null, Map.of("feed-notify", notify));
    }

    static Object value(Connection c, String sql) throws SQLException {
        return Sql.rows(c, sql).get(0).values().iterator().next();
    }

    /** Notifications a listener receives for one committed insert by another session. */
    static int notificationsFor(String url, Connection writer) throws SQLException {
        try (Connection listener = Scratch.connect(url)) {
            listener.createStatement().execute("LISTEN audit_log");
            writer.createStatement().execute("INSERT INTO tasks (title) VALUES ('notify?')");
            PGNotification[] received = listener.unwrap(PGConnection.class).getNotifications(1000);
            return received == null ? 0 : received.length;
        }
    }

    @Test
    void theParameterTurnsNotificationsOffAndOnAndReadinessFollows() throws Exception {
        String url = scratch.database("notify_switch");
        update(url, "false");
        try (Connection c = Scratch.connect(url)) {
            assertEquals("D", value(c, TRIGGER_STATE));
            assertEquals(0L, value(c, DRIFT));
            assertEquals(0, notificationsFor(url, c));
            assertEquals(1L, value(c, "SELECT count(*) FROM audit_log WHERE new_row ->> 'title' = 'notify?'"),
                    "the audit trail is written all the same");
        }
        update(url, "true");
        try (Connection c = Scratch.connect(url)) {
            assertEquals("O", value(c, TRIGGER_STATE));
            assertEquals(0L, value(c, DRIFT));
            assertEquals(1, notificationsFor(url, c));
        }
    }

    /**
     * A migration that runs something (here the switch, whose parameter changed) records what it changed,
     * not what was changed by hand before it: the audit trigger disabled by hand stays reported, and a
     * restart that runs nothing does not record it either. The owner's own tracking_record() accepts it.
     */
    @Test
    void aMigrationDoesNotRecordDriftMadeBeforeIt() throws Exception {
        String url = scratch.database("notify_drift");
        update(url, "true");
        try (Connection c = Scratch.connect(url)) {
            c.createStatement().execute("ALTER TABLE tasks DISABLE TRIGGER zz_90_audit");
        }
        List<Map<String, Object>> disabled = List.of(Map.of("object", "trigger zz_90_audit on public.tasks", "problem", "disabled"));
        update(url, "false");
        try (Connection c = Scratch.connect(url)) {
            assertEquals("D", value(c, TRIGGER_STATE), "the migration did its own change");
            assertEquals(disabled, Sql.rows(c, DRIFTED));
        }
        update(url, "false");
        try (Connection c = Scratch.connect(url)) {
            assertEquals(disabled, Sql.rows(c, DRIFTED));
            c.createStatement().execute("SELECT tracking_record()");
            assertEquals(0L, value(c, DRIFT));
        }
    }

    @Test
    void regeneratingTheTrackingKeepsTheChoiceAndDisablingByHandIsDrift() throws Exception {
        String url = scratch.database("notify_keep");
        update(url, "false");
        try (Connection c = Scratch.connect(url)) {
            c.createStatement().execute("SELECT enable_tracking('tasks')");
            assertEquals("D", value(c, TRIGGER_STATE));
            assertEquals(0L, value(c, DRIFT));

            c.createStatement().execute("SELECT tracking_set_notify('tasks', true)");
            c.createStatement().execute("ALTER TABLE tasks ENABLE ALWAYS TRIGGER tracking_notify");
            c.createStatement().execute("SELECT enable_tracking('tasks')");
            assertEquals("A", value(c, TRIGGER_STATE), "a hardening step survives regeneration too");

            // Turned off by hand, not through the function: readiness reports it.
            c.createStatement().execute("ALTER TABLE tasks DISABLE TRIGGER tracking_notify");
            List<Map<String, Object>> drift = Sql.rows(c, DRIFTED);
            assertEquals(List.of(Map.of("object", "trigger tracking_notify on public.tasks", "problem", "disabled")), drift);

            SQLException notAudited = assertThrows(SQLException.class,
                    () -> c.createStatement().execute("SELECT tracking_set_notify('audit_log', false)"));
            assertTrue(notAudited.getMessage().contains("is not audited"), notAudited.getMessage());
        }
    }

    @Test
    void rollingTheSwitchBackLeavesTasksNotifying() throws Exception {
        String url = scratch.database("notify_rollback");
        update(url, "false");
        int count;
        try (Connection c = Scratch.connect(url)) {
            count = ((Number) value(c, "SELECT count(*) FROM databasechangelog WHERE orderexecuted >= "
                    + "(SELECT orderexecuted FROM databasechangelog WHERE id = '0021-function-tracking-set-notify')")).intValue();
        }
        Scratch.liquibase(url, null, new ClassLoaderResourceAccessor(), Map.of("feed-notify", "false"),
                l -> l.rollback(count, new Contexts(), new LabelExpression()));
        try (Connection c = Scratch.connect(url)) {
            assertEquals("O", value(c, TRIGGER_STATE));
            assertNull(value(c, "SELECT to_regprocedure('tracking_set_notify(regclass, boolean)')::text"));
            assertEquals(1, notificationsFor(url, c));
        }
    }
}
