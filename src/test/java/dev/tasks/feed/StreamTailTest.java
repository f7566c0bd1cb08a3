package dev.tasks.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tasks.db.Sql;
import dev.tasks.service.FeedCursor;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The streams' shared tail starts where the first stream reached the end of the feed. A client that makes
 * up a cursor past the end (the last transaction, an audit id no entry has) and comes first must not move
 * that start past the real end: every stream at the real end would then read on its own, back to back,
 * until the next change. An instance of its own, so that no stream came before.
 */
@QuarkusTest
@TestProfile(StreamTailTest.FreshTail.class)
class StreamTailTest {

    public static class FreshTail implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tasks.feed.stream.heartbeat", "1s");
        }
    }

    @TestHTTPResource("/tasks/changes/stream")
    URI stream;

    @Inject
    DataSource dataSource;

    @Inject
    Sql sql;

    private long commits() {
        return sql.value("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()", Long.class);
    }

    @Test
    void aMadeUpCursorPastTheEndDoesNotMoveTheTail() throws Exception {
        sql.update("INSERT INTO tasks (title) VALUES ('the end of the feed')");
        String end = Mirror.end(dataSource);
        FeedCursor real = FeedCursor.decode(end);
        String madeUp = new FeedCursor(real.txid(), 999_999_999_999_999_999L).encode();
        try (SseClient first = new SseClient(URI.create(stream + "?after=" + madeUp), null, HttpClient.Version.HTTP_1_1)) {
            assertEquals(200, first.status());
            Thread.sleep(500);
            try (SseClient atTheEnd = new SseClient(URI.create(stream + "?after=" + end), null, HttpClient.Version.HTTP_1_1)) {
                assertEquals(200, atTheEnd.status());
                Thread.sleep(1500);
                long before = commits();
                Thread.sleep(3000);
                long idle = commits() - before;
                // Reading on its own again and again is a transaction each time: thousands in 3 s.
                assertTrue(idle < 200, () -> idle + " transactions in 3 idle seconds");
                sql.update("INSERT INTO tasks (title) VALUES ('after the made-up cursor')");
                SseClient.Event event = atTheEnd.take(1, Duration.ofSeconds(10)).get(0);
                assertTrue(event.data().contains("after the made-up cursor"), event.data());
            }
        }
    }
}
