package dev.tasks.repository;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tasks.config.ReadClient;
import dev.tasks.entity.AuditEntry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Reads the audit trail that the {@code zz_90_audit} trigger writes. Straight on the pipelined
 * {@link ReadClient} rather than through Hibernate: the rows are read-only projections of {@code xid8} and
 * {@code jsonb} columns that no entity needs to manage, each read one short statement.
 */
@ApplicationScoped
public class AuditRepository {

    private static final String HISTORY = SqlStatements.load("task-history");
    private static final String TASK_EXISTS = SqlStatements.load("task-exists");
    private static final String AS_OF = SqlStatements.load("task-as-of");
    private static final String VERSION = SqlStatements.load("task-version");

    /**
     * A task's last change at or before an instant: its operation (null when it had none) and the row it
     * left (null for a delete); {@code gone}: retention removed the start of this task's history.
     */
    public record AsOf(String operation, String row, boolean gone) {
    }

    /** Entries of one page; {@code gone}: retention removed the start of this history (task-history.sql). */
    public record HistoryRows(List<AuditEntry> entries, boolean gone) {
    }

    /** Whether the task row exists or its id has entries, and whether retention removed the start of its history. */
    public record Trail(boolean known, boolean gone) {
    }

    private final SqlClient client;

    public AuditRepository(ReadClient reads) {
        this.client = reads.client();
    }

    /** Entries of one task, oldest first; {@code limit} rows from {@code offset}. */
    public Uni<HistoryRows> history(long taskId, int offset, int limit) {
        return client.preparedQuery(HISTORY)
                .execute(Tuple.of(Long.toString(taskId), limit, offset))
                .map(rows -> {
                    List<AuditEntry> entries = new ArrayList<>(rows.size());
                    AuditEntry.Columns at = AuditEntry.Columns.of(rows.columnsNames());
                    for (Row row : rows) {
                        entries.add(AuditEntry.from(row, at));
                    }
                    // Alike on every row (evaluated once); no row, no page to refuse.
                    boolean gone = !entries.isEmpty() && rows.iterator().next().getBoolean("gone");
                    return new HistoryRows(entries, gone);
                });
    }

    /** Read when a history page is empty: does the task exist, was the start of its history removed. */
    public Uni<Trail> trail(long taskId) {
        return client.preparedQuery(TASK_EXISTS)
                .execute(Tuple.of(taskId))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Trail(row.getBoolean("known"), row.getBoolean("gone"));
                });
    }

    /** The last change of a task at or before {@code at} (task-as-of.sql). */
    public Uni<AsOf> asOf(long taskId, OffsetDateTime at) {
        return client.preparedQuery(AS_OF)
                .execute(Tuple.of(Long.toString(taskId), at))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    Object stored = row.getValue("new_row");
                    return new AsOf(row.getString("operation"), stored == null ? null : stored.toString(),
                            row.getBoolean("gone"));
                });
    }

    /** The operation of a version of this task, or null when the version is not one of its changes. */
    public Uni<String> operationOf(long taskId, long version) {
        return client.preparedQuery(VERSION)
                .execute(Tuple.of(Long.toString(taskId), version))
                .map(rows -> rows.iterator().next().getString("operation"));
    }
}
