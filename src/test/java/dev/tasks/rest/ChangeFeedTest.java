package dev.tasks.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import io.quarkus.test.junit.QuarkusTest;

/** The change feed sees every committed change exactly once, even when commits arrive out of order. */
@QuarkusTest
class ChangeFeedTest {

    @Inject
    DataSource dataSource;

    @Inject
    Sql sql;

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
        List<Map<String, Object>> seen = new ArrayList<>();
        for (int attempt = 0; attempt < 100 && Collections.frequency(taskIds(seen), id) < 2; attempt++) {
            cursor = Mirror.drain(cursor, seen);
        }
        var task = given().when().get("/tasks/{id}", id).then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> ofTask = seen.stream().filter(i -> ((Number) i.get("taskId")).longValue() == id).toList();
        assertEquals(List.of("INSERT", "UPDATE"), ofTask.stream().map(i -> i.get("operation")).toList());
        @SuppressWarnings("unchecked")
        Map<String, Object> row = (Map<String, Object>) ofTask.get(1).get("row");
        assertEquals(task.getString("createdAt"), row.get("createdAt"));
        assertEquals(task.getString("updatedAt"), row.get("updatedAt"));
        assertTrue(((String) row.get("updatedAt")).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}Z"));
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
            "djE6LTE6MQ", "djE6MTIzNDU2Nzg5MDEyMzQ1Njc4OTA6MQ", "v1:1:1" })
    void malformedOrForgedCursorsAre400(String cursor) {
        given().queryParam("after", cursor).when().get("/tasks/changes")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("after"));
    }
}
