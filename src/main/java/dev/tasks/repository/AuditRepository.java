package dev.tasks.repository;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tasks.entity.AuditEntry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Reads the audit trail that the {@code zz_90_audit} trigger writes. Straight on the reactive client
 * rather than through Hibernate: the rows are read-only projections of {@code xid8} and {@code jsonb}
 * columns that no entity needs to manage.
 */
@ApplicationScoped
public class AuditRepository {

    private static final String HISTORY = SqlStatements.load("task-history");
    private static final String TASK_EXISTS = SqlStatements.load("task-exists");

    /** Entries of one page; {@code gone}: retention removed the start of this history (task-history.sql). */
    public record HistoryRows(List<AuditEntry> entries, boolean gone) {
    }

    /** Whether the task row exists, and whether retention removed the start of its history. */
    public record Trail(boolean exists, boolean gone) {
    }

    private final Pool client;

    public AuditRepository(Pool client) {
        this.client = client;
    }

    /** Entries of one task, oldest first; {@code limit} rows from {@code offset}. */
    public Uni<HistoryRows> history(long taskId, int offset, int limit) {
        return client.preparedQuery(HISTORY)
                .execute(Tuple.of(Long.toString(taskId), limit, offset))
                .map(rows -> {
                    List<AuditEntry> entries = new ArrayList<>(rows.size());
                    boolean gone = false;
                    for (Row row : rows) {
                        entries.add(AuditEntry.from(row));
                        gone = row.getBoolean("gone");
                    }
                    return new HistoryRows(entries, gone);
                });
    }

    /** Read when a history page is empty: does the task exist, was the start of its history removed. */
    public Uni<Trail> trail(long taskId) {
        return client.preparedQuery(TASK_EXISTS)
                .execute(Tuple.of(taskId))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Trail(row.getBoolean("task_exists"), row.getBoolean("gone"));
                });
    }
}
