package dev.tasks.feed;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tasks.db.Sql;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/**
 * The change stream sends what the polled feed returns from the same cursor, each change once and in the
 * same order, whoever wrote it, and resumes exactly after the last event a client received.
 */
@QuarkusTest
class ChangeStreamTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TestHTTPResource("/tasks/changes/stream")
    URI stream;

    @Inject
    DataSource dataSource;

    @Inject
    Sql sql;

    /** The feed from a cursor to its current end, as polled. */
    static List<Map<String, Object>> polled(String cursor, int atLeast) throws InterruptedException {
        List<Map<String, Object>> seen = new ArrayList<>();
        for (int attempt = 0; attempt < 200 && seen.size() < Math.max(atLeast, 1); attempt++) {
            seen.clear();
            Mirror.drain(cursor, seen);
            if (atLeast == 0) {
                break;
            }
            Thread.sleep(25);
        }
        return seen;
    }

    private URI from(String cursor) {
        return URI.create(stream + "?after=" + cursor);
    }

    private long create(String title) {
        return given().contentType("application/json").body(new JsonObject().put("title", title).encode())
                .when().post("/tasks").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    private static void assertSameAsPolled(List<SseClient.Event> events, List<Map<String, Object>> polled) {
        assertEquals(polled.size(), events.size(), "as many events as polled changes");
        for (int i = 0; i < events.size(); i++) {
            assertEquals(polled.get(i), new JsonObject(events.get(i).data()).getMap(), "event " + i);
        }
    }

    @Test
    void everyChangeOnceInFeedOrderWhoeverWrites() throws Exception {
        String cursor = Mirror.end(dataSource);
        for (HttpClient.Version version : HttpClient.Version.values()) {
            try (SseClient client = new SseClient(from(cursor), null, version)) {
                assertEquals(200, client.status());
                assertTrue(client.response().headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
                assertEquals("no-cache", client.response().headers().firstValue("Cache-Control").orElse(""));
                assertEquals("Accept", client.response().headers().firstValue("Vary").orElse(""));
                long id = create("streamed " + version);
                given().contentType("application/merge-patch+json").body("{\"done\":true}")
                        .when().patch("/tasks/{id}", id).then().statusCode(200);
                sql.update("UPDATE tasks SET title = 'renamed by SQL' WHERE id = ?", id);
                given().when().delete("/tasks/{id}", id).then().statusCode(204);

                List<SseClient.Event> events = client.take(4, WAIT);
                List<Map<String, Object>> polled = polled(cursor, 4);
                assertSameAsPolled(events, polled);
                assertEquals(List.of("INSERT", "UPDATE", "UPDATE", "DELETE"),
                        events.stream().map(e -> new JsonObject(e.data()).getString("operation")).toList());
                // Each event id is the cursor after that change: polling from it returns what follows.
                assertEquals(polled.subList(2, 4), polled(events.get(1).id(), 2));
                assertEquals(4, new HashSet<>(events.stream().map(SseClient.Event::id).toList()).size());
                cursor = events.get(3).id();
            }
        }
    }

    @Test
    void reconnectingWithLastEventIdResumesWithNoGapAndNoDuplicate() throws Exception {
        String cursor = Mirror.end(dataSource);
        List<SseClient.Event> received = new ArrayList<>();
        try (SseClient client = new SseClient(from(cursor), null, HttpClient.Version.HTTP_1_1)) {
            for (int i = 0; i < 6; i++) {
                create("resume " + i);
            }
            received.addAll(client.take(3, WAIT));
        }
        // Written while no stream is open.
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO tasks (title) SELECT 'offline ' || n FROM generate_series(1, 5) n")) {
            ps.executeUpdate();
        }
        // EventSource reconnects to the same URL and adds Last-Event-ID, which wins over ?after=.
        try (SseClient again = new SseClient(from(cursor), received.get(2).id(), HttpClient.Version.HTTP_1_1)) {
            received.addAll(again.take(8, WAIT));
            Thread.sleep(300);
            assertEquals(List.of(), again.drained(), "nothing more than the changes made");
        }
        assertSameAsPolled(received, polled(cursor, 11));
    }

    @Test
    void aChangeHeldBackByAnOpenTransactionIsSentOnceItCommits() throws Exception {
        String cursor = Mirror.end(dataSource);
        try (SseClient client = new SseClient(from(cursor), null, HttpClient.Version.HTTP_1_1);
                Connection open = dataSource.getConnection()) {
            open.setAutoCommit(false);
            try (PreparedStatement ps = open.prepareStatement("INSERT INTO tasks (title) VALUES ('held')")) {
                ps.executeUpdate();
            }
            create("committed behind it");
            Thread.sleep(500);
            assertEquals(List.of(), client.drained(), "a later commit waits for the open transaction");
            open.commit();
            List<SseClient.Event> events = client.take(2, WAIT);
            assertSameAsPolled(events, polled(cursor, 2));
            assertEquals("held", ((Map<?, ?>) new JsonObject(events.get(0).data()).getMap().get("row")).get("title"));
        }
    }

    /** Malformed or ahead of the database, the refusal names where the cursor came from. */
    @Test
    void aCursorThisServiceNeverIssuedIs400() {
        given().accept("text/event-stream").queryParam("after", "garbage").when().get("/tasks/changes/stream")
                .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("after"));
        given().accept("text/event-stream").header("Last-Event-ID", "djE6OTk5OTk5OTk5OTk5OjE")
                .when().get("/tasks/changes/stream").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("Last-Event-ID"));
        given().accept("text/event-stream").header("Last-Event-ID", "garbage").queryParam("after", "garbage")
                .when().get("/tasks/changes/stream").then().statusCode(400).body("errors[0].field", equalTo("Last-Event-ID"));
        given().accept("text/event-stream").header("Last-Event-ID", "djE6OTk5OTk5OTk5OTk5OjE")
                .when().head("/tasks/changes/stream").then().statusCode(400);
    }

    /**
     * {@code HEAD} answers what a {@code GET} would start with and ends there: the connection then carries the
     * next request. (Left to JAX-RS it opened a stream that never ended.) A refused cursor is refused alike.
     */
    @Test
    void headOfTheStreamEndsAndLeavesTheConnectionFree() throws Exception {
        String answers;
        try (Socket socket = new Socket(stream.getHost(), stream.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("HEAD /tasks/changes/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    + "HEAD /tasks/changes/stream?after=garbage HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    + "GET /tasks?size=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            answers = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        String[] parts = answers.split("(?=HTTP/1\\.1 )");
        assertEquals(3, parts.length, answers);
        assertTrue(parts[0].startsWith("HTTP/1.1 200") && parts[0].toLowerCase(Locale.ROOT).contains("content-type: text/event-stream"), parts[0]);
        assertTrue(parts[1].startsWith("HTTP/1.1 400") && parts[1].toLowerCase(Locale.ROOT).contains("application/problem+json"), parts[1]);
        assertTrue(parts[2].startsWith("HTTP/1.1 200") && parts[2].contains("\"items\""), parts[2]);
    }
}
