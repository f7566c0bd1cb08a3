package dev.tasks.resilience;

import static dev.tasks.resilience.ProblemChecks.assertUnavailable;
import static dev.tasks.resilience.ProblemChecks.describe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tasks.db.Sql;
import dev.tasks.resilience.ServiceClient.Answer;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The read client's bounds: with one read connection taking one statement at a time, a wait queue of one
 * and a short acquire timeout, a read beyond the queue is answered 503 at once and a queued read that gets
 * no connection in time is answered 503 after the timeout, both as problem+json with {@code Retry-After},
 * while the read in flight answers once PostgreSQL lets it.
 */
@QuarkusTest
@TestProfile(ReadClientLimitsTest.OneReadAtATime.class)
class ReadClientLimitsTest {

    static final long ACQUIRE_TIMEOUT_MS = 1_000;

    public static class OneReadAtATime implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "tasks.db.read-connections", "1",
                    "tasks.db.read-pipelining-limit", "1",
                    "tasks.db.max-wait-queue", "1",
                    "tasks.db.acquire-timeout", ACQUIRE_TIMEOUT_MS + "ms");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Inject
    Sql sql;

    @Test
    void readsBeyondTheReadClientsBoundsGet503NotA500() throws Exception {
        long id = sql.value("INSERT INTO tasks (title) VALUES ('bounded read') RETURNING id", Long.class);
        String path = "/tasks/" + id;
        try (ServiceClient client = new ServiceClient(base, 4, Duration.ofSeconds(30));
                Connection locker = sql.dataSource().getConnection();
                Statement lock = locker.createStatement()) {
            // Opens the read connection first, so the read below does not wait for a connection.
            assertEquals(200, client.send("GET", path, null, null, null).status());
            locker.setAutoCommit(false);
            lock.execute("LOCK TABLE tasks IN ACCESS EXCLUSIVE MODE");
            CompletableFuture<Answer> inFlight = client.sendAsync("GET", path, null, null, null);
            assertTrue(ReadConnections.awaitWaitingOnALock(sql, Duration.ofSeconds(10)) > 0,
                    "no read waits on the lock");
            CompletableFuture<Answer> queued = client.sendAsync("GET", path, null, null, null);
            Thread.sleep(200);
            Answer refused = client.send("GET", path, null, null, null);
            assertUnavailable(refused, path);
            assertTrue(refused.millis() < ACQUIRE_TIMEOUT_MS / 2, () -> "refused at once: " + describe(refused));

            Answer timedOut = queued.get(10, TimeUnit.SECONDS);
            assertUnavailable(timedOut, path);
            assertTrue(timedOut.millis() >= ACQUIRE_TIMEOUT_MS - 300,
                    () -> "refused after the acquire timeout: " + describe(timedOut));
            assertFalse(inFlight.isDone(), "the read on the connection still waits on the lock");
            locker.rollback();
            Answer served = inFlight.get(10, TimeUnit.SECONDS);
            assertEquals(200, served.status(), () -> describe(served));
        }
    }
}
