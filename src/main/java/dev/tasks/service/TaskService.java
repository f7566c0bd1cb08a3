package dev.tasks.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import dev.tasks.config.Idempotency;
import dev.tasks.entity.AuditEntry;
import dev.tasks.entity.Task;
import dev.tasks.mapping.TaskResponse;
import dev.tasks.repository.AuditRepository;
import dev.tasks.repository.IdempotencyRepository;
import dev.tasks.repository.IdempotencyRepository.StoredKey;
import dev.tasks.repository.TaskRepository;
import dev.tasks.service.IdempotencyKeyException.Reason;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/**
 * Task use cases. Each write is a single statement that carries its {@link WriteContext}; it runs in a
 * session without a transaction around it (autocommit), so it costs one round trip: a lone statement is
 * atomic anyway, and {@code BEGIN}/{@code COMMIT} would be two more.
 */
@ApplicationScoped
public class TaskService {

    private final TaskRepository tasks;
    private final AuditRepository audit;
    private final IdempotencyRepository keys;
    private final long keyTtlMillis;

    public TaskService(TaskRepository tasks, AuditRepository audit, IdempotencyRepository keys, Idempotency idempotency) {
        this.tasks = tasks;
        this.audit = audit;
        this.keys = keys;
        this.keyTtlMillis = idempotency.ttl().toMillis();
    }

    @WithSession
    public Uni<Task> find(long id) {
        return tasks.findById(id);
    }

    /** One page of tasks, most recently updated first; asks for one extra row to tell if more follow. */
    @WithSession
    public Uni<List<Task>> list(Boolean done, int page, int size) {
        return tasks.list(done, page * size, size + 1);
    }

    @WithSession
    public Uni<Task> create(String title, boolean done, WriteContext context) {
        return tasks.insert(title, done, context.actor(), context.requestId());
    }

    /**
     * Creates a task under an idempotency key of the writing actor: the first request with the key
     * creates it (key and task in one statement); a retry with the same request gets the task as that
     * first request created it, creating nothing, even if it changed or was deleted since. Fails with
     * {@link IdempotencyKeyException}: {@code REUSED} for a different request, {@code GONE} when the
     * original creation is no longer in the audit trail, {@code IN_FLIGHT} when the key expired and was
     * cleaned up between the two statements (a retry then succeeds).
     */
    public Uni<TaskResponse> create(String title, boolean done, String key, WriteContext context) {
        byte[] fingerprint = fingerprint(title, done);
        // The insert's session ends before the replay read starts: one pooled connection at a time.
        return Panache.withSession(() -> tasks.insertWithKey(title, done, key, fingerprint, keyTtlMillis,
                context.actor(), context.requestId()))
                .chain(task -> task != null
                        ? Uni.createFrom().item(TaskResponse.from(task))
                        : keys.find(context.actor(), key, fingerprint).map(stored -> replay(stored, key)));
    }

    private static TaskResponse replay(StoredKey stored, String key) {
        if (stored == null || !stored.live()) {
            throw new IdempotencyKeyException(Reason.IN_FLIGHT,
                    "The Idempotency-Key expired while this request was handled; send the request again.");
        }
        if (!stored.sameRequest()) {
            throw new IdempotencyKeyException(Reason.REUSED,
                    "This Idempotency-Key was used for a different request; use a new key for a new request.");
        }
        if (stored.original() == null) {
            throw new IdempotencyKeyException(Reason.GONE, "The creation of task " + stored.taskId()
                    + " under this Idempotency-Key is no longer in the audit trail; use a new key.");
        }
        return stored.original();
    }

    /**
     * SHA-256 of the request as it is understood, {@code {"done":false,"title":"..."}} (keys sorted,
     * no spaces, {@code done} false when absent): two bodies that create the same task match.
     */
    static byte[] fingerprint(String title, boolean done) {
        String canonical = "{\"done\":" + done + ",\"title\":\""
                + new String(JsonStringEncoder.getInstance().quoteAsString(title)) + "\"}";
        try {
            return MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /**
     * Changes the fields given (null keeps a field) when the task is in one of the accepted versions.
     * Fails with {@link TaskNotFoundException} or {@link PreconditionFailedException}.
     */
    @WithSession
    public Uni<Task> update(long id, String title, Boolean done, TaskVersions accepted, WriteContext context) {
        return tasks.update(id, title, done, accepted.asSqlArray(), context.actor(), context.requestId())
                .call(task -> task == null ? explainMiss(id, accepted) : Uni.createFrom().voidItem());
    }

    /** Deletes the task when it is in one of the accepted versions; fails like {@link #update}. */
    @WithSession
    public Uni<Void> delete(long id, TaskVersions accepted, WriteContext context) {
        return tasks.delete(id, accepted.asSqlArray(), context.actor(), context.requestId())
                .chain(deleted -> deleted ? Uni.createFrom().voidItem() : explainMiss(id, accepted));
    }

    // Only on the failure path: tell a missing task from a stale version.
    private Uni<Void> explainMiss(long id, TaskVersions accepted) {
        // On the session's own connection: a second one from the pool could wait behind requests holding theirs.
        Uni<Boolean> exists = accepted.conditional()
                ? tasks.findById(id).map(task -> task != null)
                : Uni.createFrom().item(false);
        return exists.map(found -> {
            throw found ? new PreconditionFailedException(id) : new TaskNotFoundException(id);
        });
    }

    /**
     * One page of a task's history, oldest first, with one extra entry to tell if more follow. Emits
     * null when the task neither exists nor ever had an entry (it may have been deleted: its history
     * stays).
     */
    public Uni<List<AuditEntry>> history(long id, int page, int size) {
        return audit.history(id, page * size, size + 1)
                .chain(entries -> entries.isEmpty() && page == 0
                        ? audit.taskExists(id).map(exists -> exists ? entries : null)
                        : Uni.createFrom().item(entries));
    }
}
