package dev.tasks.entity;

import static dev.tasks.entity.ColumnPositions.position;

import java.time.OffsetDateTime;
import java.util.List;

import io.vertx.mutiny.sqlclient.Row;

/**
 * One row of {@code audit_log} as read back: what changed in one audited row, when, in which
 * transaction, and on whose behalf.
 *
 * @param changes the {@code changes} jsonb as text: {@code {"column": {"old": ..., "new": ...}}}
 */
public record AuditEntry(long id, String operation, OffsetDateTime txTime, String txid, String dbUser,
        String actor, String requestId, String changes) {

    /** Where an entry's columns are in a result, found once per result ({@link ColumnPositions}). */
    public record Columns(int id, int operation, int txTime, int txid, int dbUser, int actor, int requestId,
            int changes) {

        public static Columns of(List<String> names) {
            return new Columns(position(names, "id"), position(names, "operation"), position(names, "tx_time"),
                    position(names, "txid"), position(names, "db_user"), position(names, "actor"),
                    position(names, "request_id"), position(names, "changes"));
        }
    }

    public static AuditEntry from(Row row, Columns at) {
        return new AuditEntry(row.getLong(at.id()), row.getString(at.operation()), row.getOffsetDateTime(at.txTime()),
                row.getString(at.txid()), row.getString(at.dbUser()), row.getString(at.actor()),
                row.getString(at.requestId()), row.getString(at.changes()));
    }
}
