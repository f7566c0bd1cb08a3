package dev.tasks.entity;

import java.time.OffsetDateTime;

import io.vertx.mutiny.sqlclient.Row;

/**
 * One change-feed entry as read from {@code audit_log}.
 *
 * @param actor   who the service wrote for; null for writes made outside the service
 * @param changes the {@code changes} jsonb as text
 * @param newRow  the row after the change ({@code new_row} jsonb as text); null for a delete
 */
public record ChangeEntry(long id, long taskId, String operation, OffsetDateTime txTime, long txid, String actor,
        String changes, String newRow) {

    public static ChangeEntry from(Row row) {
        return new ChangeEntry(row.getLong("id"), Long.parseLong(row.getString("row_id")), row.getString("operation"),
                row.getOffsetDateTime("tx_time"), Long.parseLong(row.getString("txid")), row.getString("actor"),
                row.getString("changes"), row.getString("new_row"));
    }
}
