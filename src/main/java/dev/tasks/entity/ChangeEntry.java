package dev.tasks.entity;

import java.time.OffsetDateTime;
import java.util.List;

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

    /**
     * Where an entry's columns are in a result, found by name once per result: a lookup by name on a
     * row scans the column names, and a page of 100 entries made 1,300 such scans (9% of the change
     * feed's samples).
     */
    public record Columns(int id, int rowId, int operation, int txTime, int txid, int actor, int changes, int newRow) {

        public static Columns of(List<String> names) {
            return new Columns(position(names, "id"), position(names, "row_id"), position(names, "operation"),
                    position(names, "tx_time"), position(names, "txid"), position(names, "actor"),
                    position(names, "changes"), position(names, "new_row"));
        }
    }

    public static ChangeEntry from(Row row, Columns at) {
        return new ChangeEntry(row.getLong(at.id()), Long.parseLong(row.getString(at.rowId())),
                row.getString(at.operation()), row.getOffsetDateTime(at.txTime()),
                Long.parseLong(row.getString(at.txid())), row.getString(at.actor()), row.getString(at.changes()),
                row.getString(at.newRow()));
    }

    /** The position of a column the query must select; a query that lost it is a programming error. */
    static int position(List<String> names, String column) {
        int position = names.indexOf(column);
        if (position < 0) {
            throw new IllegalStateException("the query selects no column " + column + ": " + names);
        }
        return position;
    }
}
