package dev.tasks.entity;

import java.time.OffsetDateTime;

import io.vertx.mutiny.sqlclient.Row;

/**
 * One row of {@code audit_log} as read back: what changed in one audited row, when, in which
 * transaction, and on whose behalf.
 *
 * @param changes the {@code changes} jsonb as text: {@code {"column": {"old": ..., "new": ...}}}
 */
public record AuditEntry(long id, String operation, OffsetDateTime txTime, String txid, String dbUser,
        String actor, String requestId, String changes) {

    public static AuditEntry from(Row row) {
        return new AuditEntry(row.getLong("id"), row.getString("operation"), row.getOffsetDateTime("tx_time"),
                row.getString("txid"), row.getString("db_user"), row.getString("actor"),
                row.getString("request_id"), row.getString("changes"));
    }
}
