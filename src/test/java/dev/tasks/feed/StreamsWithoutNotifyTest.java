package dev.tasks.feed;

import static dev.tasks.support.Management.management;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import dev.tasks.db.Sql;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A deployment without commit notifications ({@code tasks.feed.notify=false}): the migration turns the
 * tracking_notify trigger of tasks off, writes send no NOTIFY, readiness stays UP, and a change stream
 * still sends every change, found by its periodic read of the feed.
 */
@QuarkusTest
@TestProfile(StreamsWithoutNotifyTest.NoNotify.class)
class StreamsWithoutNotifyTest {

    public static class NoNotify implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tasks.feed.notify", "false", "tasks.feed.stream.poll-interval", "300ms");
        }
    }

    @TestHTTPResource("/tasks/changes/stream")
    URI stream;

    @Inject
    DataSource dataSource;

    @Inject
    Sql sql;

    @Test
    void theMigrationTurnedTheTriggerOffAndReadinessAcceptsIt() throws Exception {
        assertEquals("D", sql.value("SELECT tgenabled::text FROM pg_trigger "
                + "WHERE tgrelid = 'tasks'::regclass AND tgname = 'tracking_notify'", String.class));
        assertEquals(0L, sql.value("SELECT count(*) FROM tracking_check() WHERE problem IS NOT NULL", Long.class));
        management().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void writesSendNoNotificationAndStreamsStillSendEveryChange() throws Exception {
        try (Connection listener = dataSource.getConnection();
                SseClient client = new SseClient(URI.create(stream + "?after=" + Mirror.end(dataSource)), null,
                        HttpClient.Version.HTTP_1_1)) {
            listener.createStatement().execute("LISTEN audit_log");
            sql.update("INSERT INTO tasks (title) VALUES ('no notify 1')");
            sql.update("UPDATE tasks SET done = true WHERE title = 'no notify 1'");
            sql.update("INSERT INTO tasks (title) VALUES ('no notify 2')");

            List<SseClient.Event> events = client.take(3, Duration.ofSeconds(10));
            assertTrue(events.get(0).data().contains("\"no notify 1\""), events.get(0).data());
            assertTrue(events.get(1).data().contains("\"UPDATE\""), events.get(1).data());
            assertTrue(events.get(2).data().contains("\"no notify 2\""), events.get(2).data());

            PGNotification[] received = listener.unwrap(PGConnection.class).getNotifications(500);
            listener.createStatement().execute("UNLISTEN *");
            assertEquals(0, received == null ? 0 : received.length, "notifications received");
        }
    }
}
