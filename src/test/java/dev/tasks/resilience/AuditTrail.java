package dev.tasks.resilience;

import java.util.HashSet;
import java.util.Set;

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

    long entriesForRequest(String requestId) {
        return sql.value("SELECT count(*) FROM audit_log WHERE request_id::text = ?", Long.class, requestId);
    }
}
