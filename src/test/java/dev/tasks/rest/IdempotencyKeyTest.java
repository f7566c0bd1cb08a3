package dev.tasks.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tasks.db.Sql;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

/**
 * {@code Idempotency-Key} on {@code POST /tasks}: a retry answers what the first request got and creates
 * nothing, a reused key with another body is refused, concurrent requests with one key make one row, an
 * expired key counts as new. Rows and audit entries are counted with plain SQL.
 */
@QuarkusTest
class IdempotencyKeyTest {

    @Inject
    DataSource dataSource;

    @TestHTTPResource("/tasks")
    URI tasksUri;

    @Inject
    Sql sql;

    static String newKey() {
        return UUID.randomUUID().toString();
    }

    static ExtractableResponse<Response> post(String keyHeader, String body) {
        return given().contentType(ContentType.JSON).header("Idempotency-Key", keyHeader).body(body)
                .when().post("/tasks").then().extract();
    }

    long tasksTitled(String title) {
        return sql.value("SELECT count(*) FROM tasks WHERE title = ?", Long.class, title);
    }

    long insertEntries(long id) {
        return sql.value("SELECT count(*) FROM audit_log WHERE table_name = 'tasks' AND row_id = ? AND operation = 'INSERT'",
                Long.class, Long.toString(id));
    }

    static void assertSameAnswer(ExtractableResponse<Response> first, ExtractableResponse<Response> again) {
        assertEquals(201, again.statusCode(), again.asString());
        assertEquals(first.header("Location"), again.header("Location"));
        assertEquals(first.header("ETag"), again.header("ETag"));
        assertEquals(first.header("Last-Modified"), again.header("Last-Modified"));
        assertEquals(first.asString(), again.asString());
    }

    @Test
    void aRetryWithTheSameKeyAndBodyAnswersTheSame201AndCreatesNothing() {
        String key = newKey();
        String title = "idempotent " + key;
        var first = post("\"" + key + "\"", "{\"title\":\"" + title + "\",\"done\":false}");
        assertEquals(201, first.statusCode(), first.asString());
        long id = first.jsonPath().getLong("id");
        assertTrue(first.header("Location").endsWith("/tasks/" + id));

        // The bare form names the same key, and an absent done is the same request as done=false.
        var again = post(key, "{\"title\":\"" + title + "\"}");
        assertSameAnswer(first, again);
        assertSameAnswer(first, post("\"" + key + "\"", "{\"done\":false,\"title\":\"" + title + "\"}"));

        assertEquals(1, tasksTitled(title));
        assertEquals(1, insertEntries(id), "one audit INSERT entry");
        Map<String, Object> stored = sql.row("SELECT actor, task_id, expires_at - created_at = interval '24 hours' AS day "
                + "FROM idempotency_keys WHERE idempotency_key = ?", key);
        assertEquals("anonymous", stored.get("actor"));
        assertEquals(id, stored.get("task_id"));
        assertEquals(true, stored.get("day"), "the default time to live is 24 hours");
    }

    @Test
    void aRetryAnswersTheOriginalTaskEvenAfterItChangedOrWasDeleted() {
        String key = newKey();
        String body = "{\"title\":\"original " + key + "\",\"done\":false}";
        var first = post(key, body);
        assertEquals(201, first.statusCode());
        long id = first.jsonPath().getLong("id");

        given().contentType(ContentType.JSON).body("{\"title\":\"changed " + key + "\",\"done\":true}")
                .when().put("/tasks/{id}", id).then().statusCode(200);
        assertSameAnswer(first, post(key, body));

        given().when().delete("/tasks/{id}", id).then().statusCode(204);
        assertSameAnswer(first, post(key, body));
        assertEquals(0L, sql.value("SELECT count(*) FROM tasks WHERE id = ?", Long.class, id), "not created again");
        given().when().get(URI.create(first.header("Location")).getPath()).then().statusCode(404);
    }

    @Test
    void theSameKeyWithAnotherBodyIs422AndChangesNothing() {
        String key = newKey();
        var first = post(key, "{\"title\":\"first body " + key + "\"}");
        assertEquals(201, first.statusCode());
        long tasks = sql.value("SELECT count(*) FROM tasks", Long.class);
        String stored = "SELECT actor, encode(request_hash, 'hex') AS hash, task_id, txid::text, created_at, expires_at "
                + "FROM idempotency_keys WHERE idempotency_key = ?";
        Map<String, Object> before = sql.row(stored, key);

        for (String other : List.of("{\"title\":\"other body " + key + "\"}", "{\"title\":\"first body " + key + "\",\"done\":true}")) {
            given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(other)
                    .when().post("/tasks")
                    .then().statusCode(422)
                    .contentType("application/problem+json")
                    .body("type", equalTo("urn:tasks:problem:idempotency-key-reused"))
                    .body("title", equalTo("Unprocessable Content"))
                    .body("status", equalTo(422))
                    .body("instance", equalTo("/tasks"));
        }
        assertEquals(tasks, sql.value("SELECT count(*) FROM tasks", Long.class));
        assertEquals(before, sql.row(stored, key));
    }

    @Test
    void thirtyTwoConcurrentCreatesWithOneKeyMakeExactlyOneRow() throws Exception {
        String key = newKey();
        String title = "contended create " + key;
        int clients = 32;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                HttpRequest post = HttpRequest.newBuilder(tasksUri)
                        .timeout(Duration.ofSeconds(20))
                        .header("Content-Type", "application/json")
                        .header("Idempotency-Key", "\"" + key + "\"")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"" + title + "\"}"))
                        .build();
                answers.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                        return http.send(post, HttpResponse.BodyHandlers.ofString());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, pool));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            List<Long> ids = new ArrayList<>();
            ObjectMapper json = new ObjectMapper();
            for (CompletableFuture<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get(30, TimeUnit.SECONDS);
                statuses.add(response.statusCode());
                if (response.statusCode() == 201) {
                    ids.add(json.readTree(response.body()).get("id").asLong());
                }
            }
            // 409 is reserved for a key that expires mid-request; with a 24-hour key every answer is the 201.
            assertEquals(clients, statuses.stream().filter(s -> s == 201).count(), statuses::toString);
            assertEquals(1, ids.stream().distinct().count(), ids::toString);
            assertEquals(1, tasksTitled(title), "exactly one row");
            assertEquals(1, insertEntries(ids.get(0)), "exactly one audit INSERT entry");
            assertEquals(ids.get(0), sql.value("SELECT task_id FROM idempotency_keys WHERE idempotency_key = ?", Long.class, key));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anExpiredKeyCountsAsNew() {
        String key = newKey();
        var first = post(key, "{\"title\":\"before expiry " + key + "\"}");
        assertEquals(201, first.statusCode());
        long firstId = first.jsonPath().getLong("id");
        sql.update("UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE idempotency_key = ?", key);

        // A different body too: the expired key no longer binds it.
        var second = post(key, "{\"title\":\"after expiry " + key + "\"}");
        assertEquals(201, second.statusCode(), second.asString());
        long secondId = second.jsonPath().getLong("id");
        assertNotEquals(firstId, secondId);
        assertEquals(1, tasksTitled("before expiry " + key), "the first task stays");
        assertEquals(1, tasksTitled("after expiry " + key));
        Map<String, Object> stored = sql.row("SELECT task_id, expires_at > now() AS live FROM idempotency_keys WHERE idempotency_key = ?", key);
        assertEquals(secondId, stored.get("task_id"));
        assertEquals(true, stored.get("live"));
        assertSameAnswer(second, post(key, "{\"title\":\"after expiry " + key + "\"}"));
    }

    @Test
    void theDocumentedCleanupDeletesExpiredKeysOnly() throws SQLException {
        String expired = newKey();
        String live = newKey();
        assertEquals(201, post(expired, "{\"title\":\"cleanup " + expired + "\"}").statusCode());
        assertEquals(201, post(live, "{\"title\":\"cleanup " + live + "\"}").statusCode());
        sql.update("UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE idempotency_key = ?", expired);

        // docs/operations.md, "Idempotency keys".
        sql.update("DELETE FROM idempotency_keys WHERE expires_at <= now()");
        assertEquals(0L, sql.value("SELECT count(*) FROM idempotency_keys WHERE idempotency_key = ?", Long.class, expired));
        assertEquals(1L, sql.value("SELECT count(*) FROM idempotency_keys WHERE idempotency_key = ?", Long.class, live));
        assertEquals(1, tasksTitled("cleanup " + expired), "the cleanup deletes keys, never tasks");
        // The DELETE can use the expiry index (without seq scans: this table is small here).
        try (Connection c = dataSource.getConnection()) {
            c.createStatement().execute("SET enable_seqscan = off");
            String plan = Sql.rows(c, "EXPLAIN DELETE FROM idempotency_keys WHERE expires_at <= now()").toString();
            assertTrue(plan.contains("idempotency_keys_expires_at_idx"), plan);
        }
    }

    @Test
    void aKeyWhoseOriginalIsNoLongerInTheAuditTrailIs410() {
        String key = newKey();
        String body = "{\"title\":\"lost original " + key + "\"}";
        assertEquals(201, post(key, body).statusCode());
        // As if the INSERT entry had been removed from audit_log: the key names another transaction.
        sql.update("UPDATE idempotency_keys SET txid = '1' WHERE idempotency_key = ?", key);
        given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(body)
                .when().post("/tasks")
                .then().statusCode(410)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:tasks:problem:idempotency-key-gone"));
        assertEquals(1, tasksTitled("lost original " + key));
    }

    @Test
    void invalidKeysAre400AndCreateNothing() {
        String title = "bad key " + newKey();
        long before = tasksTitled(title);
        String tooLong = "k".repeat(256);
        for (String bad : List.of("\"\"", "\"" + tooLong + "\"", tooLong, "two words", "\"unterminated", "\"a\";p=1",
                "\"bad \\escape\"", "a,b")) {
            given().contentType(ContentType.JSON).header("Idempotency-Key", bad).body("{\"title\":\"" + title + "\"}")
                    .when().post("/tasks")
                    .then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("type", equalTo("urn:tasks:problem:validation"))
                    .body("errors[0].field", equalTo("Idempotency-Key"));
        }
        given().contentType(ContentType.JSON).header("Idempotency-Key", "one").header("Idempotency-Key", "two")
                .body("{\"title\":\"" + title + "\"}")
                .when().post("/tasks")
                .then().statusCode(400).body("errors[0].field", equalTo("Idempotency-Key"));
        assertEquals(before, tasksTitled(title));

        // The longest key, and escapes inside a quoted one, are fine.
        String longest = "k".repeat(255 - 36) + newKey();
        assertEquals(201, post(longest, "{\"title\":\"" + title + "\"}").statusCode());
        String unique = newKey();
        assertEquals(201, post("\"quote \\\" and backslash \\\\ " + unique + "\"", "{\"title\":\"" + title + "\"}").statusCode());
        assertEquals(1L, sql.value("SELECT count(*) FROM idempotency_keys WHERE idempotency_key = ?", Long.class,
                "quote \" and backslash \\ " + unique));
    }
    /**
     * Another writer inserted a task with an explicit id that the sequence had not reached. The create
     * that draws it is refused with 409 and creates nothing, no key either; the same request sent again
     * draws the next id and creates. With a key and without.
     */
    @Test
    void aCreateWhoseDrawnIdIsTakenIsRefusedAndTheSameRequestAgainCreates() {
        String sequence = sql.value("SELECT pg_get_serial_sequence('tasks', 'id')", String.class);
        for (String key : new String[] { null, newKey() }) {
            String title = "drawn id taken " + UUID.randomUUID();
            String body = "{\"title\":\"" + title + "\"}";
            long next = sql.value("SELECT last_value + CASE WHEN is_called THEN 1 ELSE 0 END FROM " + sequence, Long.class);
            sql.update("INSERT INTO tasks (id, title) VALUES (?, 'inserted with an explicit id')", next);
            var request = key == null ? given().contentType(ContentType.JSON).body(body)
                    : given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(body);
            ExtractableResponse<Response> refused = request.when().post("/tasks").then().extract();
            assertEquals(409, refused.statusCode(), refused.asString());
            assertEquals("application/problem+json", refused.contentType().split(";")[0]);
            assertEquals("urn:tasks:problem:task-id-taken", refused.path("type"));
            assertEquals(0L, tasksTitled(title));
            assertEquals(0L, sql.value("SELECT count(*) FROM idempotency_keys WHERE idempotency_key = ?", Long.class,
                    String.valueOf(key)));

            var again = key == null ? given().contentType(ContentType.JSON).body(body)
                    : given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(body);
            ExtractableResponse<Response> created = again.when().post("/tasks").then().extract();
            assertEquals(201, created.statusCode(), created.asString());
            assertEquals(next + 1, ((Number) created.path("id")).longValue());
            assertEquals(1L, tasksTitled(title));
        }
    }
}
