package dev.tasks.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import dev.tasks.db.Sql;
import dev.tasks.feed.Mirror;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** The change feed sees every committed change exactly once, even when commits arrive out of order. */
@QuarkusTest
class ChangeFeedTest {

    @Inject
    DataSource dataSource;

    @Inject
    Sql sql;

    @TestHTTPResource("/")
    URI base;

    private static long insert(Connection c, String title) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO tasks (title) VALUES (?) RETURNING id")) {
            ps.setString(1, title);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static List<Long> taskIds(List<Map<String, Object>> items) {
        return items.stream().map(i -> ((Number) i.get("taskId")).longValue()).toList();
    }

    @Test
    void aTransactionThatCommitsLateIsHeldBackThenDeliveredOnce() throws Exception {
        String cursor = Mirror.drain(null, new ArrayList<>());
        long held;
        long later;
        try (Connection open = dataSource.getConnection()) {
            open.setAutoCommit(false);
            held = insert(open, "held back");
            try (Connection other = dataSource.getConnection()) {
                later = insert(other, "committed first");
            }
            List<Map<String, Object>> whileOpen = new ArrayList<>();
            String afterOpen = Mirror.drain(cursor, whileOpen);
            assertFalse(taskIds(whileOpen).contains(held), "uncommitted change is not shown");
            assertFalse(taskIds(whileOpen).contains(later), "a later transaction waits for the open one");
            cursor = afterOpen;
            open.commit();
        }
        List<Map<String, Object>> after = new ArrayList<>();
        for (int attempt = 0; attempt < 100 && !taskIds(after).containsAll(List.of(held, later)); attempt++) {
            cursor = Mirror.drain(cursor, after);
            Thread.sleep(50);
        }
        List<Long> ids = taskIds(after);
        assertEquals(1, ids.stream().filter(id -> id == held).count(), ids::toString);
        assertEquals(1, ids.stream().filter(id -> id == later).count(), ids::toString);
        assertTrue(ids.indexOf(held) < ids.indexOf(later), "ordered by transaction id, not commit time");
        assertEquals("INSERT", after.get(ids.indexOf(held)).get("operation"));
    }

    @Test
    void concurrentWritersAndAPollingReaderMissNothingAndSeeNothingTwice() throws Exception {
        long auditBefore = sql.value("SELECT coalesce(max(id), 0) FROM audit_log", Long.class);
        String start = Mirror.drain(null, new ArrayList<>());
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService writers = Executors.newFixedThreadPool(4);
        List<Future<Integer>> done = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int writer = w;
            done.add(writers.submit(() -> {
                int commits = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                try (Connection c = dataSource.getConnection()) {
                    c.setAutoCommit(false);
                    while (System.nanoTime() < deadline) {
                        long id = insert(c, "feed writer " + writer);
                        // Hold some transactions open so that commits interleave out of start order.
                        Thread.sleep(ThreadLocalRandom.current().nextInt(0, 15));
                        try (PreparedStatement ps = c.prepareStatement("UPDATE tasks SET done = true WHERE id = ?")) {
                            ps.setLong(1, id);
                            ps.executeUpdate();
                        }
                        if (ThreadLocalRandom.current().nextInt(5) == 0) {
                            c.rollback();
                        } else {
                            c.commit();
                            commits++;
                        }
                    }
                }
                return commits;
            }));
        }
        List<Map<String, Object>> seen = new ArrayList<>();
        String cursor = start;
        long readerDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (writing.get() && System.nanoTime() < readerDeadline) {
            cursor = Mirror.drain(cursor, seen);
            writing.set(done.stream().anyMatch(f -> !f.isDone()));
            Thread.sleep(10);
        }
        int commits = 0;
        for (Future<Integer> f : done) {
            commits += f.get(10, TimeUnit.SECONDS);
        }
        writers.shutdown();
        List<Long> expected = new ArrayList<>();
        for (Map<String, Object> row : sql.rows("SELECT id FROM audit_log WHERE table_name = 'tasks' AND id > ? "
                + "ORDER BY txid, id", auditBefore)) {
            expected.add((Long) row.get("id"));
        }
        for (int attempt = 0; attempt < 100 && seen.size() < expected.size(); attempt++) {
            cursor = Mirror.drain(cursor, seen);
            Thread.sleep(50);
        }
        List<Long> seenIds = seen.stream().map(i -> ((Number) i.get("id")).longValue()).toList();
        assertEquals(2 * commits, expected.size(), "an insert and an update per committed transaction");
        assertEquals(seenIds.size(), new HashSet<>(seenIds).size(), "no change seen twice");
        assertEquals(expected, seenIds, "every committed change, in feed order");
        Set<String> operations = new HashSet<>(seen.stream().map(i -> (String) i.get("operation")).toList());
        assertEquals(Set.of("INSERT", "UPDATE"), operations);
    }

    @Test
    void feedEntriesCarryTheChangedFieldsTimeAndTransaction() {
        String cursor = Mirror.drain(null, new ArrayList<>());
        long id = given().contentType("application/json").body("{\"title\":\"fed\"}")
                .when().post("/tasks").then().statusCode(201).extract().jsonPath().getLong("id");
        given().contentType("application/merge-patch+json").body("{\"title\":\"fed again\"}")
                .when().patch("/tasks/{id}", id).then().statusCode(200);
        given().when().delete("/tasks/{id}", id).then().statusCode(204);
        List<Map<String, Object>> seen = new ArrayList<>();
        for (int attempt = 0; attempt < 100 && seen.size() < 3; attempt++) {
            cursor = Mirror.drain(cursor, seen);
        }
        assertEquals(List.of("INSERT", "UPDATE", "DELETE"), seen.stream().map(i -> i.get("operation")).toList());
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> changes = (Map<String, Map<String, Object>>) seen.get(1).get("changes");
        assertEquals("fed", changes.get("title").get("old"));
        assertEquals("fed again", changes.get("title").get("new"));
        assertTrue(((String) seen.get(1).get("time")).matches("\\d{4}-.*\\.\\d{6}Z"));
        assertTrue(Long.parseLong((String) seen.get(1).get("txid")) > 0);
    }

    /**
     * The stored row is written in the writer's time zone; the feed shows its times in UTC with six digits,
     * the same text a read of the task gives.
     */
    @Test
    void aRowWrittenInAnotherTimeZoneShowsItsTimesInUtc() throws Exception {
        String cursor = Mirror.drain(null, new ArrayList<>());
        long id;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("SET TIME ZONE 'Asia/Kolkata'");
            id = insert(c, "written at +05:30");
            s.execute("UPDATE tasks SET done = true WHERE id = " + id);
        }
        var task = given().when().get("/tasks/{id}", id).then().statusCode(200).extract().jsonPath();
        Map<String, Object> row = updateRowInTheFeed(cursor, id);
        assertEquals(task.getString("createdAt"), row.get("createdAt"));
        assertEquals(task.getString("updatedAt"), row.get("updatedAt"));
        assertTrue(((String) row.get("updatedAt")).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}Z"));
    }

    /**
     * The row of the UPDATE item of a task inserted, then updated, after {@code cursor}: the feed is read until
     * both items of the task have come, and they must be its INSERT and its UPDATE.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> updateRowInTheFeed(String cursor, long id) {
        List<Map<String, Object>> seen = new ArrayList<>();
        for (int attempt = 0; attempt < 100 && Collections.frequency(taskIds(seen), id) < 2; attempt++) {
            cursor = Mirror.drain(cursor, seen);
        }
        List<Map<String, Object>> ofTask = seen.stream().filter(i -> ((Number) i.get("taskId")).longValue() == id).toList();
        assertEquals(List.of("INSERT", "UPDATE"), ofTask.stream().map(i -> i.get("operation")).toList());
        return (Map<String, Object>) ofTask.get(1).get("row");
    }

    /**
     * A session time zone far from UTC ({@code XXX+167} is 167 hours west, which PostgreSQL accepts and
     * Java's offsets cannot hold): the trail records the change in UTC, and an entry written in such a zone
     * before the audit function pinned its time zone is still read as its instant, by the feed and by a
     * read as of a time.
     */
    @Test
    void aRowWrittenInAZoneFarFromUtcIsRecordedAndReadInUtc() throws Exception {
        String cursor = Mirror.drain(null, new ArrayList<>());
        long id;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("SET TIME ZONE 'XXX+167'");
            id = insert(c, "far from UTC");
            s.execute("UPDATE tasks SET done = true WHERE id = " + id);
            try (ResultSet stored = s.executeQuery("SELECT string_agg(new_row::text || changes::text, ' ') FROM audit_log "
                    + "WHERE table_name = 'tasks' AND row_id = '" + id + "'")) {
                stored.next();
                assertFalse(stored.getString(1).contains("-167:00"), stored.getString(1));
                assertTrue(stored.getString(1).contains("+00:00"), stored.getString(1));
            }
            // As an audit function without the pinned zone wrote it.
            s.execute("UPDATE audit_log SET new_row = new_row || jsonb_build_object('created_at', "
                    + "(new_row ->> 'created_at')::timestamptz, 'updated_at', (new_row ->> 'updated_at')::timestamptz) "
                    + "WHERE table_name = 'tasks' AND row_id = '" + id + "'");
            try (ResultSet stored = s.executeQuery("SELECT new_row ->> 'updated_at' FROM audit_log "
                    + "WHERE table_name = 'tasks' AND row_id = '" + id + "' ORDER BY id DESC LIMIT 1")) {
                stored.next();
                assertTrue(stored.getString(1).endsWith("-167:00"), stored.getString(1));
            }
        }
        var task = given().when().get("/tasks/{id}", id).then().statusCode(200).extract().jsonPath();
        Map<String, Object> row = updateRowInTheFeed(cursor, id);
        assertEquals(task.getString("createdAt"), row.get("createdAt"));
        assertEquals(task.getString("updatedAt"), row.get("updatedAt"));
        given().queryParam("asOf", task.getString("updatedAt")).when().get("/tasks/{id}", id)
                .then().statusCode(200).body("updatedAt", equalTo(task.getString("updatedAt")));
    }

    /**
     * An entry the service cannot read (its owner wrote a time that is none into it) is a server fault: a 500,
     * as a problem like every other error, without the framework's {@code stack} field. Sent past the
     * document's validation, which declares no 500.
     */
    @Test
    void anEntryTheServiceCannotReadIsA500Problem() throws Exception {
        String cursor = Mirror.drain(null, new ArrayList<>());
        long id;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            id = insert(c, "unreadable entry");
            s.execute("UPDATE audit_log SET new_row = jsonb_set(new_row, '{updated_at}', '\"not a time\"') "
                    + "WHERE table_name = 'tasks' AND row_id = '" + id + "'");
        }
        try {
            HttpClient client = HttpClient.newHttpClient();
            for (String path : List.of("tasks/" + id + "?asOf=2999-01-01T00:00:00Z", "tasks/changes?limit=1000&after=" + cursor)) {
                HttpResponse<String> answer = client.send(HttpRequest.newBuilder(base.resolve(path)).build(), BodyHandlers.ofString());
                assertEquals(500, answer.statusCode(), answer::body);
                assertEquals("application/problem+json", answer.headers().firstValue("Content-Type").orElse(""));
                JsonPath problem = JsonPath.from(answer.body());
                assertEquals("Internal Server Error", problem.getString("title"));
                assertEquals("The request failed unexpectedly.", problem.getString("detail"));
                assertFalse(answer.body().contains("stack"), answer::body);
            }
        } finally {
            // Put back as written (an insert's updated_at is its created_at): later feed reads pass this entry.
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("UPDATE audit_log SET new_row = jsonb_set(new_row, '{updated_at}', new_row -> 'created_at') "
                        + "WHERE table_name = 'tasks' AND row_id = '" + id + "'");
            }
        }
    }

    /** {@code hasMore} says whether more changes are ready, not merely that the page is full. */
    @Test
    void hasMoreIsTrueOnlyWhenMoreChangesAreReady() throws Exception {
        String cursor = Mirror.drain(null, new ArrayList<>());
        try (Connection c = dataSource.getConnection()) {
            insert(c, "first of two");
            insert(c, "second of two");
        }
        given().queryParam("after", cursor).queryParam("limit", 1).when().get("/tasks/changes")
                .then().statusCode(200).body("items.size()", equalTo(1)).body("hasMore", equalTo(true));
        given().queryParam("after", cursor).queryParam("limit", 2).when().get("/tasks/changes")
                .then().statusCode(200).body("items.size()", equalTo(2)).body("hasMore", equalTo(false));
    }

    @Test
    void limitIsBounded() {
        given().queryParam("limit", 1001).when().get("/tasks/changes")
                .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("limit"));
        given().queryParam("limit", 0).when().get("/tasks/changes").then().statusCode(400);
        given().queryParam("limit", 2).when().get("/tasks/changes")
                .then().statusCode(200).body("items.size()", org.hamcrest.Matchers.lessThanOrEqualTo(2));
    }

    /**
     * A well-formed cursor past every position the database has reached: a client that read changes
     * before the database went back to an earlier point (a restore, a failover) is told to resynchronise.
     */
    @Test
    void aCursorPastTheDatabaseIsRefusedWithTheReasonItCanHave() {
        given().queryParam("after", "djE6OTk5OTk5OTk5OTk5OjE").when().get("/tasks/changes") // v1:999999999999:1
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:tasks:problem:invalid-cursor"))
                .body("detail", org.hamcrest.Matchers.containsString("the database went back to an earlier point"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "garbage", "djE6MTo", "djE6OTk5OTk5OTk5OTk5OjE", "AAAA", "djI6MToy",
            "djE6LTE6MQ", "djE6MTIzNDU2Nzg5MDEyMzQ1Njc4OTA6MQ", "v1:1:1",
            "djE6MDA3OjU", "djE6NzowNQ" }) // v1:007:5 and v1:7:05: leading zeros, which no cursor issued has
    void malformedOrForgedCursorsAre400(String cursor) {
        given().queryParam("after", cursor).when().get("/tasks/changes")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("after"));
    }
}
