package dev.tasks.feed;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tasks.db.Sql;
import dev.tasks.resilience.DatabaseProxyResource;
import dev.tasks.support.StandbyCluster;
import dev.tasks.support.TestDatabase;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A failover to a standby that had not received the latest commits, played for real: the service reaches
 * the database through a proxy, and the proxy moves its connections to a cluster of the test's own that
 * holds a copy taken before those commits. The transaction ids of that cluster are far behind the ones
 * the open streams have sent, so the changes the streams sent are lost, and the ids will be handed out
 * again to other changes. A stream must end there rather than wait, silent, until the ids come round and
 * then skip what it has not seen; its reconnect is answered 400 with what to do; a stream started
 * afresh follows the new database.
 */
@QuarkusTest
@TestProfile(StreamFailoverTest.BehindAProxy.class)
class StreamFailoverTest {

    public static class BehindAProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tasks.feed.stream.heartbeat", "1s", "tasks.feed.stream.poll-interval", "1s");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(DatabaseProxyResource.class));
        }
    }

    @TestHTTPResource("/tasks/changes/stream")
    URI stream;

    @Inject
    DataSource dataSource;

    @Inject
    Sql sql;

    private long transactionId() {
        return Long.parseLong(sql.value("SELECT pg_current_xact_id()::text", String.class));
    }

    @Test
    void aStreamPastTheDatabaseAfterAFailoverEnds() throws Exception {
        TestDatabase primary = TestDatabase.fromConfig();
        try (StandbyCluster standby = StandbyCluster.start()) {
            sql.update("INSERT INTO tasks (title) VALUES ('on both sides of the failover')");
            standby.loadCopyOf(primary);
            // A new test server may not be far ahead of a new cluster yet: hand out ids until it is.
            long behind = standby.nextTransaction() + 1_000;
            for (long id = transactionId(); id < behind; id = transactionId()) {
                // Each call is a transaction of its own, with an id of its own.
            }
            sql.update("INSERT INTO tasks (title) VALUES ('lost in the failover')");
            String end = Mirror.end(dataSource);

            try (SseClient live = new SseClient(URI.create(stream + "?after=" + end), null, HttpClient.Version.HTTP_1_1)) {
                assertEquals(200, live.status());
                sql.update("INSERT INTO tasks (title) VALUES ('sent, then lost in the failover')");
                SseClient.Event sent = live.take(1, Duration.ofSeconds(10)).get(0);
                assertTrue(sent.data().contains("sent, then lost in the failover"), sent.data());

                DatabaseProxyResource.proxy().failOver(standby.port());

                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (!live.ended() && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertTrue(live.ended(), "the stream is still open 20 s after the failover");
                assertEquals(List.of(), live.drained(), "no event after the failover");

                // As EventSource reconnects: the same URL, with the last event's id.
                try (SseClient again = new SseClient(stream, sent.id(), HttpClient.Version.HTTP_1_1)) {
                    assertEquals(400, again.status());
                    assertEquals("application/problem+json",
                            again.response().headers().firstValue("Content-Type").orElse(""));
                    String problem = again.response().body().collect(Collectors.joining("\n"));
                    assertTrue(problem.contains("restore or a failover"), problem);
                }
                given().queryParam("after", sent.id()).when().get("/tasks/changes")
                        .then().statusCode(400).body("detail", containsString("restore or a failover"));
            }

            // Followed afresh from the new database's end, the feed is that database's.
            try (Connection c = standby.connect(primary.name());
                    SseClient fresh = new SseClient(URI.create(stream + "?after=" + Mirror.end(c)), null,
                            HttpClient.Version.HTTP_1_1)) {
                assertEquals(200, fresh.status());
                try (Statement s = c.createStatement()) {
                    s.execute("INSERT INTO tasks (title) VALUES ('written after the failover')");
                }
                SseClient.Event next = fresh.take(1, Duration.ofSeconds(10)).get(0);
                assertTrue(next.data().contains("written after the failover"), next.data());
            }
        }
    }
}
