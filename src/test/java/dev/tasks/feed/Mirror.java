package dev.tasks.feed;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import javax.sql.DataSource;

import dev.tasks.db.Sql;
import dev.tasks.service.FeedCursor;

/**
 * A copy of the tasks table built only from change-feed items, by the documented rule: per task, keep the
 * highest {@code version} applied and skip an item whose version is not higher. With {@code naive}, it
 * applies every item in the order given instead, to show what the rule is for.
 */
final class Mirror {

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
    static String end(DataSource dataSource) {
        var last = new Sql(dataSource).rows("""
                SELECT a.txid::text AS tx, a.id FROM audit_log a
                 WHERE a.table_name = 'tasks' AND a.txid < pg_snapshot_xmin(pg_current_snapshot())
                 ORDER BY a.txid DESC, a.id DESC LIMIT 1""");
        return last.isEmpty() ? ""
                : new FeedCursor(Long.parseLong((String) last.get(0).get("tx")), (Long) last.get(0).get("id")).encode();
    }

}
