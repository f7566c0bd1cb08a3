package dev.tasks.repository;

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

    private final Pool client;

    public AuditRepository(Pool client) {
        this.client = client;
    }

    /** Entries of one task, oldest first; {@code limit} rows from {@code offset}. */
    public Uni<List<AuditEntry>> history(long taskId, int offset, int limit) {
        return client.preparedQuery(HISTORY)
                .execute(Tuple.of(Long.toString(taskId), limit, offset))
                .map(rows -> {
                    List<AuditEntry> entries = new java.util.ArrayList<>(rows.size());
                    for (Row row : rows) {
                        entries.add(AuditEntry.from(row));
                    }
                    return entries;
                });
    }

    public Uni<Boolean> taskExists(long taskId) {
        return client.preparedQuery(TASK_EXISTS)
                .execute(Tuple.of(taskId))
                .map(rows -> rows.iterator().next().getBoolean(0));
    }
}
