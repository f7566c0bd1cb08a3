package dev.tasks.feed;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tasks.db.Sql;
import dev.tasks.support.Management;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The limits of change streams: a client that stops reading is cut off once its queue has stayed full
 * for the stall timeout while the others keep receiving; one stream more than allowed is a 503 problem;
 * an idle stream gets heartbeat comments.
 */
@QuarkusTest
@TestProfile(StreamLimitsTest.Limits.class)
class StreamLimitsTest {

    public static class Limits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tasks.feed.stream.max-subscribers", "3", "tasks.feed.stream.queue", "16",
                    "tasks.feed.stream.stall-timeout", "2s", "tasks.feed.stream.heartbeat", "1s",
                    // Only notifications wake the streams here: no polling safety net.
                    "tasks.feed.stream.poll-interval", "1h");
        }
    }

    @TestHTTPResource("/tasks/changes/stream")
    URI stream;

    @Inject
    DataSource dataSource;

    @Inject
    Sql sql;

    @Test
    void anIdleStreamGetsHeartbeats() throws Exception {
        try (SseClient client = new SseClient(URI.create(stream + "?after=" + Mirror.end(dataSource)), null,
                HttpClient.Version.HTTP_1_1)) {
            assertEquals("keep-alive", client.nextComment(Duration.ofSeconds(5)));
        }
    }

    @Test
    void notificationsResumeByThemselvesWhenTheirConnectionIsKilled() throws Exception {
        try (SseClient client = new SseClient(URI.create(stream + "?after=" + Mirror.end(dataSource)), null,
                HttpClient.Version.HTTP_1_1)) {
            sql.update("INSERT INTO tasks (title) VALUES ('before the kill')");
            assertEquals(1, client.take(1, Duration.ofSeconds(10)).size());
            assertEquals(1, sql.value("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    + "WHERE datname = current_database() AND query LIKE 'LISTEN%'", Long.class));
            // The subscriber reconnects within a second; a write after that is announced again.
            Thread.sleep(1500);
            sql.update("INSERT INTO tasks (title) VALUES ('after the kill')");
            SseClient.Event event = client.take(1, Duration.ofSeconds(10)).get(0);
            assertTrue(event.data().contains("after the kill"), event.data());
        }
    }

    @Test
    void oneStreamMoreThanAllowedIsA503Problem() throws Exception {
        URI uri = URI.create(stream + "?after=" + Mirror.end(dataSource));
        try (SseClient a = new SseClient(uri, null, HttpClient.Version.HTTP_1_1);
                SseClient b = new SseClient(uri, null, HttpClient.Version.HTTP_1_1);
                SseClient c = new SseClient(uri, null, HttpClient.Version.HTTP_1_1)) {
            assertEquals(List.of(200, 200, 200), List.of(a.status(), b.status(), c.status()));
            given().accept("text/event-stream").when().get("/tasks/changes/stream")
                    .then().statusCode(503).contentType("application/problem+json").header("Retry-After", "5");
        }
        // Closed streams free their places.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int status;
        do {
            Thread.sleep(100);
            try (SseClient again = new SseClient(uri, null, HttpClient.Version.HTTP_1_1)) {
                status = again.status();
            }
        } while (status != 200 && System.nanoTime() < deadline);
        assertEquals(200, status);
    }

    /**
     * Clients that give up while their stream is still opening (its first read waits, here behind a lock on
     * the audit trail) give their places back: afterwards every place can be taken again.
     */
    @Test
    void clientsThatLeaveWhileTheirStreamOpensFreeTheirPlaces() throws Exception {
        URI uri = URI.create(stream + "?after=" + Mirror.end(dataSource));
        try (java.sql.Connection locker = dataSource.getConnection()) {
            locker.setAutoCommit(false);
            locker.createStatement().execute("LOCK TABLE audit_log IN ACCESS EXCLUSIVE MODE");
            for (int i = 0; i < 3; i++) {
                try (Socket leaving = new Socket()) {
                    leaving.connect(new InetSocketAddress(stream.getHost(), stream.getPort()), 5000);
                    leaving.getOutputStream().write(("GET " + uri.getRawPath() + "?" + uri.getRawQuery() + " HTTP/1.1\r\n"
                            + "Host: " + stream.getHost() + "\r\nAccept: text/event-stream\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    Thread.sleep(300);
                }
            }
            Thread.sleep(300);
            locker.rollback();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<Integer> statuses;
        do {
            Thread.sleep(100);
            try (SseClient a = new SseClient(uri, null, HttpClient.Version.HTTP_1_1);
                    SseClient b = new SseClient(uri, null, HttpClient.Version.HTTP_1_1);
                    SseClient c = new SseClient(uri, null, HttpClient.Version.HTTP_1_1)) {
                statuses = List.of(a.status(), b.status(), c.status());
            }
        } while (!statuses.equals(List.of(200, 200, 200)) && System.nanoTime() < deadline);
        assertEquals(List.of(200, 200, 200), statuses);
    }

    @Test
    void aStalledSubscriberIsCutOffWhileAnotherKeepsReceiving() throws Exception {
        String cursor = Mirror.end(dataSource);
        int rows = 20_000;
        try (SseClient reader = new SseClient(URI.create(stream + "?after=" + cursor), null, HttpClient.Version.HTTP_1_1);
                Socket stalled = new Socket()) {
            // A client that sends its request and then never reads: a small window, soon full.
            stalled.setReceiveBufferSize(4096);
            stalled.connect(new InetSocketAddress(stream.getHost(), stream.getPort()), 5000);
            OutputStream out = stalled.getOutputStream();
            out.write(("GET " + stream.getPath() + "?after=" + cursor + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(300);
            sql.update("INSERT INTO tasks (title) SELECT 'flood ' || n FROM generate_series(1, ?) n", rows);

            List<SseClient.Event> events = reader.take(rows, Duration.ofSeconds(90));
            assertEquals(rows, events.size(), "the reading subscriber got every change");

            // The stalled one was disconnected: reading what the server sent ends, well short of everything.
            Thread.sleep(2500);
            stalled.setSoTimeout(10_000);
            InputStream in = stalled.getInputStream();
            byte[] buffer = new byte[65536];
            long received = 0;
            try {
                for (int n; (n = in.read(buffer)) >= 0;) {
                    received += n;
                }
            } catch (java.net.SocketException reset) {
                // Reset by the server: also disconnected.
            }
            long sent = events.stream().mapToLong(e -> e.data().length()).sum();
            assertTrue(received < sent / 2, "the stalled client got " + received + " bytes of " + sent);
        } finally {
            sql.update("DELETE FROM tasks WHERE title LIKE 'flood %'");
        }
        String metrics = Management.management().when().get("/q/metrics").then().statusCode(200).extract().asString();
        String cutoffs = metrics.lines().filter(l -> l.startsWith("tasks_feed_stream_cutoffs_total")).findFirst().orElse(null);
        assertNotNull(cutoffs, metrics);
        assertTrue(Double.parseDouble(cutoffs.substring(cutoffs.lastIndexOf(' ') + 1)) >= 1, cutoffs);
    }
}
