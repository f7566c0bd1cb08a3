package dev.tasks.feed;

import static io.restassured.RestAssured.given;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.sql.DataSource;

import dev.tasks.db.Sql;
import dev.tasks.service.FeedCursor;
import io.restassured.path.json.JsonPath;

/**
 * A copy of the tasks table built only from change-feed items, by the documented rule: per task, keep the
 * highest {@code version} applied and skip an item whose version is not higher. With {@code naive}, it
 * applies every item in the order given instead, to show what the rule is for. Its static helpers read the
 * feed for any test: where it ends, and everything from a cursor to there.
 */
public final class Mirror {

    private final boolean naive;
    private final Map<Long, Map<String, Object>> rows = new TreeMap<>();
    private final Map<Long, Long> versions = new HashMap<>();

    Mirror(boolean naive) {
        this.naive = naive;
    }

    @SuppressWarnings("unchecked")
    void apply(Map<String, Object> item) {
        long task = ((Number) item.get("taskId")).longValue();
        long version = ((Number) item.get("version")).longValue();
        if (!naive && version <= versions.getOrDefault(task, 0L)) {
            return;
        }
        versions.put(task, version);
        Map<String, Object> row = (Map<String, Object>) item.get("row");
        if (row == null) {
            rows.remove(task);
        } else {
            rows.put(task, row);
        }
    }

    /** The mirrored row of a task, or null when the mirror holds none. */
    Map<String, Object> row(long task) {
        return rows.get(task);
    }

    /** The cursor of the feed's current end (empty: its start): the last change no running transaction can precede. */
    public static String end(DataSource dataSource) {
        var last = new Sql(dataSource).rows(END);
        return last.isEmpty() ? ""
                : new FeedCursor(Long.parseLong((String) last.get(0).get("tx")), (Long) last.get(0).get("id")).encode();
    }

    /** The same, read on a connection of the test's own (another server's). */
    public static String end(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet last = s.executeQuery(END)) {
            return last.next() ? new FeedCursor(Long.parseLong(last.getString("tx")), last.getLong("id")).encode() : "";
        }
    }

    private static final String END = """
            SELECT a.txid::text AS tx, a.id FROM audit_log a
             WHERE a.table_name = 'tasks' AND a.txid < pg_snapshot_xmin(pg_current_snapshot())
             ORDER BY a.txid DESC, a.id DESC LIMIT 1""";

    /**
     * Reads {@code GET /tasks/changes} from a cursor (null: the start) until the feed has nothing more ready;
     * collects the items into {@code seen} and returns the last {@code next}. Every page must answer 200.
     */
    public static String drain(String cursor, List<Map<String, Object>> seen) {
        for (int reads = 0; reads < 10_000; reads++) {
            var request = given().queryParam("limit", 1000);
            if (cursor != null) {
                request.queryParam("after", cursor);
            }
            JsonPath page = request.when().get("/tasks/changes").then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("items"));
            cursor = page.getString("next");
            if (!page.getBoolean("hasMore")) {
                return cursor;
            }
        }
        throw new AssertionError("feed did not end");
    }

}
