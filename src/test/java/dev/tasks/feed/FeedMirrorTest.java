package dev.tasks.feed;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tasks.db.Sql;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A mirror that applies the change feed by the documented rule (per task, only a higher {@code version})
 * ends equal to the table, whatever multi-statement transactions the writers run; one that applies the
 * feed in plain order does not.
 */
@QuarkusTest
class FeedMirrorTest {

    /** The table's rows as the feed shows them: times in UTC with microseconds. */
    private static final String STORED = """
            SELECT id, title, done,
                   to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "createdAt",
                   to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "updatedAt",
                   field_updated_at::text AS "fieldUpdatedAt"
              FROM tasks WHERE id = ANY (?)""";

    @Inject
    DataSource dataSource;

    @Inject
    Sql sql;

    /** Drains until no change newer than {@code lastAudit} is still held back. */
    private String drainAll(String cursor, List<Map<String, Object>> seen, Sql sql, long auditBefore)
            throws InterruptedException {
        long expected = sql.value("SELECT count(*) FROM audit_log WHERE table_name = 'tasks' AND id > ?", Long.class,
                auditBefore);
        for (int attempt = 0; attempt < 200; attempt++) {
            cursor = Mirror.drain(cursor, seen);
            if (seen.size() >= expected) {
                return cursor;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("feed delivered " + seen.size() + " of " + expected + " changes");
    }

    private static long insert(Connection c, String title) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO tasks (title) VALUES (?) RETURNING id")) {
            ps.setString(1, title);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static int execute(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps.executeUpdate();
        }
    }

    /** Asserts that the mirror holds exactly the stored rows of these tasks, and none of the deleted ones. */
    private void assertMirrors(Mirror mirror, Set<Long> ids, Sql sql) throws Exception {
        Map<Long, Map<String, Object>> stored = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(STORED)) {
            ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = new HashMap<>();
                    row.put("title", rs.getString("title"));
                    row.put("done", rs.getBoolean("done"));
                    row.put("createdAt", rs.getString("createdAt"));
                    row.put("updatedAt", rs.getString("updatedAt"));
                    row.put("fieldUpdatedAt", new io.vertx.core.json.JsonObject(rs.getString("fieldUpdatedAt")).getMap());
                    stored.put(rs.getLong("id"), row);
                }
            }
        }
        for (long id : ids) {
            Map<String, Object> expected = stored.get(id);
            Map<String, Object> mirrored = mirror.row(id);
            if (expected == null) {
                assertNull(mirrored, "task " + id + " is deleted in the table but not in the mirror");
                continue;
            }
            assertTrue(mirrored != null, "task " + id + " is missing from the mirror");
            for (var field : expected.entrySet()) {
                assertEquals(field.getValue(), mirrored.get(field.getKey()), "task " + id + ", " + field.getKey());
            }
            assertEquals(id, ((Number) mirrored.get("id")).longValue());
        }
    }

    /**
     * The interleaving that breaks a plain in-order mirror: A (the lower transaction id) changes one row,
     * B changes another and commits, then A changes B's row too and commits. The feed hands out A's change
     * of that row before B's.
     */
    @Test
    void theVersionRuleFixesALowerTransactionThatCommitsAChangeLast() throws Exception {
        long auditBefore = sql.value("SELECT coalesce(max(id), 0) FROM audit_log", Long.class);
        String cursor = Mirror.end(dataSource);
        long first;
        long second;
        try (Connection setup = dataSource.getConnection()) {
            first = insert(setup, "r1");
            second = insert(setup, "r2");
        }
        try (Connection a = dataSource.getConnection(); Connection b = dataSource.getConnection()) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            execute(a, "UPDATE tasks SET title = 'A' WHERE id = ?", first);
            execute(b, "UPDATE tasks SET title = 'B' WHERE id = ?", second);
            b.commit();
            execute(a, "UPDATE tasks SET title = 'A-last' WHERE id = ?", second);
            a.commit();
        }
        List<Map<String, Object>> seen = new ArrayList<>();
        drainAll(cursor, seen, sql, auditBefore);
        List<Map<String, Object>> ofSecond = seen.stream()
                .filter(i -> ((Number) i.get("taskId")).longValue() == second && "UPDATE".equals(i.get("operation")))
                .toList();
        assertEquals(2, ofSecond.size());
        assertEquals("A-last", title(ofSecond.get(0)), "the feed's (txid, id) order puts A's change first");
        assertTrue(version(ofSecond.get(0)) > version(ofSecond.get(1)), "but its version is the higher one");

        Mirror naive = new Mirror(true);
        Mirror ruled = new Mirror(false);
        seen.forEach(naive::apply);
        seen.forEach(ruled::apply);
        assertEquals("B", naive.row(second).get("title"), "applied in feed order, the mirror is wrong");
        assertEquals("A-last", ruled.row(second).get("title"));
        assertMirrors(ruled, Set.of(first, second), sql);
    }

    /**
     * Several writers run multi-statement transactions over shared rows (updates, deletes, new rows, some
     * rolled back; each transaction takes its rows in ascending id order, as A and B above) while a mirror
     * follows the feed; at the end the mirror equals the table for every row they touched.
     */
    @Test
    void aMirrorOfConcurrentMultiStatementWritersEqualsTheTable() throws Exception {
        long auditBefore = sql.value("SELECT coalesce(max(id), 0) FROM audit_log", Long.class);
        String cursor = Mirror.end(dataSource);
        Set<Long> touched = ConcurrentHashMap.newKeySet();
        List<Long> shared = new ArrayList<>();
        try (Connection setup = dataSource.getConnection()) {
            for (int i = 0; i < 8; i++) {
                shared.add(insert(setup, "shared " + i));
            }
        }
        touched.addAll(shared);
        ExecutorService writers = Executors.newFixedThreadPool(4);
        List<Future<Integer>> results = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int writer = w;
            results.add(writers.submit(() -> {
                int commits = 0;
                ThreadLocalRandom random = ThreadLocalRandom.current();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
                try (Connection c = dataSource.getConnection()) {
                    c.setAutoCommit(false);
                    for (int tx = 0; System.nanoTime() < deadline; tx++) {
                        try {
                            // Rows in ascending id order within a transaction: they interleave across
                            // transactions without deadlocks, whose detection would stall each for a second.
                            long[] ids = random.longs(random.nextInt(2, 6), 0, shared.size())
                                    .map(i -> shared.get((int) i)).sorted().toArray();
                            for (int step = 0; step < ids.length; step++) {
                                long id = ids[step];
                                switch (random.nextInt(10)) {
                                    case 0 -> touched.add(insert(c, "new " + writer + "." + tx));
                                    case 1 -> execute(c, "DELETE FROM tasks WHERE id = ?", id);
                                    case 2 -> execute(c, "UPDATE tasks SET done = NOT done WHERE id = ?", id);
                                    default -> execute(c, "UPDATE tasks SET title = ? WHERE id = ?",
                                            "w" + writer + " t" + tx + " s" + step, id);
                                }
                                Thread.sleep(random.nextInt(0, 4));
                            }
                            if (random.nextInt(8) == 0) {
                                c.rollback();
                            } else {
                                c.commit();
                                commits++;
                            }
                        } catch (SQLException deadlock) {
                            if (!"40P01".equals(deadlock.getSQLState())) {
                                throw deadlock;
                            }
                            c.rollback();
                        }
                    }
                }
                return commits;
            }));
        }
        // The mirror follows the feed while the writers run, so items arrive in many separate reads.
        Mirror mirror = new Mirror(false);
        List<Map<String, Object>> seen = new ArrayList<>();
        while (results.stream().anyMatch(f -> !f.isDone())) {
            int before = seen.size();
            cursor = Mirror.drain(cursor, seen);
            seen.subList(before, seen.size()).forEach(mirror::apply);
            Thread.sleep(5);
        }
        int commits = 0;
        for (Future<Integer> f : results) {
            commits += f.get(30, TimeUnit.SECONDS);
        }
        writers.shutdown();
        int before = seen.size();
        drainAll(cursor, seen, sql, auditBefore);
        seen.subList(before, seen.size()).forEach(mirror::apply);

        assertTrue(commits > 20, "writers committed " + commits + " transactions");
        assertEquals(seen.size(), seen.stream().map(i -> i.get("version")).distinct().count(), "no change twice");
        assertTrue(seen.stream().anyMatch(i -> "DELETE".equals(i.get("operation"))), "some rows were deleted");
        assertMirrors(mirror, touched, sql);

        // History entries carry the same versions as the feed.
        long some = shared.get(0);
        List<Long> historyVersions = given().queryParam("size", 500).when().get("/tasks/{id}/history", some)
                .then().statusCode(200).extract().jsonPath().getList("items.version", Long.class);
        List<Long> feedVersions = seen.stream().filter(i -> ((Number) i.get("taskId")).longValue() == some)
                .map(FeedMirrorTest::version).sorted().toList();
        assertEquals(feedVersions, historyVersions.subList(historyVersions.size() - feedVersions.size(),
                historyVersions.size()));
        assertNotEquals(0, feedVersions.size());
    }

    @SuppressWarnings("unchecked")
    private static String title(Map<String, Object> item) {
        return (String) ((Map<String, Object>) item.get("row")).get("title");
    }

    private static long version(Map<String, Object> item) {
        return ((Number) item.get("version")).longValue();
    }
}
