package dev.tasks.resilience;

import static dev.tasks.resilience.ProblemChecks.JSON;
import static dev.tasks.resilience.ProblemChecks.assertUnavailable;
import static dev.tasks.resilience.ProblemChecks.describe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import dev.tasks.support.Management;
import dev.tasks.db.Sql;
import dev.tasks.resilience.ServiceClient.Answer;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * 500 clients at once against a pool of {@value ConstrainedDatabaseProfile#POOL_SIZE} connections with a
 * wait queue of {@value ConstrainedDatabaseProfile#WAIT_QUEUE}: every client gets an answer, a success or
 * a 503 with Retry-After, within {@link #ANSWER_BOUND_MS}; nothing deadlocks, no connection leaks, and the
 * service serves normally right after.
 */
@QuarkusTest
@TestProfile(ConstrainedDatabaseProfile.class)
class OverloadTest {

    static final int CLIENTS = 500;
    /** The pool wait bound of the profile, plus room for 500 connections on a small, busy machine. */
    static final long ANSWER_BOUND_MS = ConstrainedDatabaseProfile.ACQUIRE_TIMEOUT_MS + 8_000;

    @TestHTTPResource("/")
    URI base;

    @Inject
    Sql sql;

    record Call(String method, String title, Answer answer) {
    }

    @Test
    void fiveHundredConcurrentClientsAllGetASuccessOr503InBoundAndTheServiceStaysHealthy() throws Exception {
        String prefix = "overload-" + Long.toHexString(System.nanoTime());
        try (ServiceClient client = new ServiceClient(base, 8, Duration.ofSeconds(60))) {
            // Open every pooled connection before the burst, as a busy service would have them.
            List<CompletableFuture<Answer>> warmup = new ArrayList<>();
            for (int i = 0; i < ConstrainedDatabaseProfile.POOL_SIZE; i++) {
                warmup.add(client.sendAsync("POST", "/tasks", "application/json",
                        "{\"title\":\"" + prefix + "-warmup\"}", null));
            }
            for (CompletableFuture<Answer> answer : warmup) {
                assertEquals(201, answer.get(30, TimeUnit.SECONDS).status(), "service ready before the burst");
            }

            List<CompletableFuture<Call>> calls = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                if (i % 2 == 0) {
                    String title = prefix + "-" + i;
                    calls.add(client.sendAsync("POST", "/tasks", "application/json",
                            "{\"title\":\"" + title + "\",\"done\":" + (i % 4 == 0) + "}", title)
                            .thenApply(answer -> new Call("POST", title, answer)));
                } else {
                    calls.add(client.sendAsync("GET", "/tasks?size=20", null, null, null)
                            .thenApply(answer -> new Call("GET", null, answer)));
                }
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(90, TimeUnit.SECONDS);

            Map<Integer, Integer> statuses = new TreeMap<>();
            long slowest = 0;
            Map<String, Boolean> created = new HashMap<>();
            for (CompletableFuture<Call> future : calls) {
                Call call = future.join();
                Answer answer = call.answer();
                assertTrue(answer.answered(), () -> call.method() + ": " + describe(answer));
                statuses.merge(answer.status(), 1, Integer::sum);
                slowest = Math.max(slowest, answer.millis());
                assertTrue(answer.millis() <= ANSWER_BOUND_MS,
                        () -> call.method() + " answered after more than " + ANSWER_BOUND_MS + " ms: "
                                + describe(answer));
                if (answer.status() == 503) {
                    assertUnavailable(answer, "/tasks");
                } else if (call.method().equals("POST")) {
                    assertEquals(201, answer.status(), () -> "create: " + describe(answer));
                    JsonNode body = parse(answer);
                    assertEquals(call.title(), body.path("title").asText());
                    created.put(call.title(), body.path("done").asBoolean());
                } else {
                    assertEquals(200, answer.status(), () -> "list: " + describe(answer));
                    assertTrue(parse(answer).path("items").isArray(), "list answers a page");
                }
            }
            System.out.println("Overload: " + CLIENTS + " clients, statuses " + statuses + ", slowest " + slowest
                    + " ms");
            assertTrue(Set.of(200, 201, 503).containsAll(statuses.keySet()), "only successes and 503: " + statuses);
            assertTrue(statuses.getOrDefault(503, 0) > 0, "the burst overloaded the pool: " + statuses);
            assertTrue(statuses.getOrDefault(201, 0) + statuses.getOrDefault(200, 0) > 0,
                    "the pool kept serving during the burst: " + statuses);

            // A 503 under overload is answered before any statement is sent: exactly the acknowledged creates exist.
            List<Map<String, Object>> rows = sql.rows("SELECT title, done FROM tasks WHERE title LIKE ?",
                    prefix + "-%");
            Map<String, Boolean> stored = new HashMap<>();
            rows.forEach(row -> stored.put((String) row.get("title"), (Boolean) row.get("done")));
            stored.remove(prefix + "-warmup");
            assertEquals(created, stored, "the acknowledged creates, and only those, are stored");

            // Healthy afterwards: ready, serving every request, and no more connections than the pool allows.
            assertEquals(200, client.send("GET", Management.url("/q/health/ready"), null, null, null).status(),
                    "ready after the burst");
            for (int i = 0; i < 20; i++) {
                Answer answer = create(client, prefix + "-after-" + i);
                assertEquals(201, answer.status(), () -> "create after the burst: " + describe(answer));
                assertTrue(answer.millis() < ConstrainedDatabaseProfile.ACQUIRE_TIMEOUT_MS,
                        () -> "served without waiting for the pool: " + describe(answer));
            }
            long connections = sql.value("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    + "AND application_name = 'vertx-pg-client'", Long.class);
            assertTrue(connections >= 1 && connections <= ConstrainedDatabaseProfile.POOL_SIZE,
                    "at most " + ConstrainedDatabaseProfile.POOL_SIZE + " service connections, found " + connections);
        }
    }

    private static Answer create(ServiceClient client, String title) {
        return client.send("POST", "/tasks", "application/json", "{\"title\":\"" + title + "\"}", title);
    }

    private static JsonNode parse(Answer answer) {
        try {
            return JSON.readTree(answer.body());
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + describe(answer), e);
        }
    }
}
