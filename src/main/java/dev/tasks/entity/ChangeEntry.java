package dev.tasks.entity;

import static dev.tasks.entity.ColumnPositions.position;

import java.time.OffsetDateTime;
import java.util.List;

import dev.tasks.config.UtcMicros;
import dev.tasks.mapping.TaskResponse;
import io.vertx.mutiny.sqlclient.Row;

/**
 * One change-feed entry as read from {@code audit_log}.
 *
 * @param actor   who the service wrote for; null for writes made outside the service
 * @param changes the {@code changes} jsonb as text
 * @param row     the row after the change, as the audit trail stored it ({@code new_row}, its columns taken
 *                out by PostgreSQL, so the client decodes no JSON); null for a delete
 */
public record ChangeEntry(long id, long taskId, String operation, OffsetDateTime txTime, long txid, String actor,
        String changes, TaskResponse row) {

    /** Where an entry's columns are in a result, found once per result ({@link ColumnPositions}). */
    public record Columns(int id, int rowId, int operation, int txTime, int txid, int actor, int changes,
            int rowTaskId, int rowTitle, int rowDone, int rowCreatedAt, int rowUpdatedAt, int rowFieldTimes) {

        public static Columns of(List<String> names) {
            return new Columns(position(names, "id"), position(names, "row_id"), position(names, "operation"),
                    position(names, "tx_time"), position(names, "txid"), position(names, "actor"),
                    position(names, "changes"), position(names, "row_task_id"), position(names, "row_title"),
                    position(names, "row_done"), position(names, "row_created_at"), position(names, "row_updated_at"),
                    position(names, "row_field_updated_at"));
        }
    }

    public static ChangeEntry from(Row row, Columns at) {
        TaskResponse after = row.getValue(at.rowTaskId()) == null ? null
                : new TaskResponse(row.getLong(at.rowTaskId()), row.getString(at.rowTitle()), row.getBoolean(at.rowDone()),
                        UtcMicros.parse(row.getString(at.rowCreatedAt())), UtcMicros.parse(row.getString(at.rowUpdatedAt())),
                        row.getString(at.rowFieldTimes()));
        return new ChangeEntry(row.getLong(at.id()), Long.parseLong(row.getString(at.rowId())),
                row.getString(at.operation()), row.getOffsetDateTime(at.txTime()),
                Long.parseLong(row.getString(at.txid())), row.getString(at.actor()), row.getString(at.changes()),
                after);
    }
}
