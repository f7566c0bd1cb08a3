package dev.tasks.resilience;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tasks.db.Sql;

/**
 * Read access to the audit trail ({@code audit_log}, one row per change, keyed by {@code table_name} and
 * {@code row_id}) for checks that must hold once the trail exists. Until the table is created the checks
 * that use it are skipped by their callers, which ask {@link #exists()} first.
 */
final class AuditTrail {

    private final Sql sql;
    private final boolean exists;
    private final Set<String> columns = new HashSet<>();

    AuditTrail(Sql sql) {
        this.sql = sql;
        this.exists = sql.value("SELECT to_regclass('audit_log') IS NOT NULL", Boolean.class);
        if (exists) {
            sql.rows("SELECT column_name FROM information_schema.columns WHERE table_name = 'audit_log'")
                    .forEach(row -> columns.add((String) row.get("column_name")));
        }
    }

    boolean exists() {
        return exists;
    }

    /** Whether each entry records the request that made the change. */
    boolean recordsRequestIds() {
        return columns.contains("request_id");
    }

    long total() {
        return exists ? sql.value("SELECT count(*) FROM audit_log", Long.class) : 0;
    }

    long entriesForTask(long id) {
        return sql.value("SELECT count(*) FROM audit_log WHERE table_name IN ('tasks', 'public.tasks') AND row_id = ?",
                Long.class, String.valueOf(id));
    }

    /**
     * The number of entries each request id has, in one read of the trail (not one per id: the trail of a
     * reused test database grows, and no index leads with the request id).
     */
    Map<String, Long> entriesForRequests(Collection<String> requestIds) {
        String ids;
        try {
            ids = new ObjectMapper().writeValueAsString(requestIds);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        Map<String, Long> entries = new HashMap<>();
        sql.rows("SELECT r.id, count(a.request_id) AS entries FROM jsonb_array_elements_text(CAST(? AS jsonb)) AS r(id) "
                + "LEFT JOIN audit_log a ON a.request_id = r.id GROUP BY r.id", ids)
                .forEach(row -> entries.put((String) row.get("id"), ((Number) row.get("entries")).longValue()));
        return entries;
    }
}
