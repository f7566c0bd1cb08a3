package dev.tasks.repository;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tasks.mapping.TaskResponse;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Reads a stored idempotency key and the answer its first request got. Straight on the reactive client,
 * like {@link AuditRepository}: a read-only projection of {@code audit_log}. It runs after the create's
 * session has ended, so a request never holds two pooled connections at once.
 */
@ApplicationScoped
public class IdempotencyRepository {

    private static final String REPLAY = SqlStatements.load("idempotency-replay");

    /**
     * A stored key as a retry finds it.
     *
     * @param sameRequest the retry's fingerprint equals the first request's
     * @param live        not expired yet
     * @param taskId      the task the first request created
     * @param original    that task as it was created; null when its INSERT entry is gone from the audit trail
     */
    public record StoredKey(boolean sameRequest, boolean live, long taskId, TaskResponse original) {
    }

    private final Pool client;

    public IdempotencyRepository(Pool client) {
        this.client = client;
    }

    /** The key of this actor, or null when there is none. */
    public Uni<StoredKey> find(String actor, String key, byte[] requestHash) {
        return client.preparedQuery(REPLAY)
                .execute(Tuple.of(actor, key, Buffer.buffer(requestHash)))
                .map(rows -> {
                    RowIterator<Row> it = rows.iterator();
                    if (!it.hasNext()) {
                        return null;
                    }
                    Row row = it.next();
                    long taskId = row.getLong("task_id");
                    TaskResponse original = row.getBoolean("original_found")
                            ? new TaskResponse(taskId, row.getString("title"), row.getBoolean("done"),
                                    row.getOffsetDateTime("created_at"), row.getOffsetDateTime("updated_at"),
                                    row.getString("field_updated_at"))
                            : null;
                    return new StoredKey(row.getBoolean("same_request"), row.getBoolean("live"), taskId, original);
                });
    }

}
