package dev.tasks.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
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

    /** The task as the API shows it, or null when there is none. */
    public Uni<TaskResponse> find(long id) {
        return tasks.view(id);
    }

    /** One page of tasks, most recently updated first; asks for one extra row to tell if more follow. */
    public Uni<List<TaskResponse>> list(Boolean done, int page, int size) {
        return tasks.list(done, page * size, size + 1);
    }

    @WithSession
    public Uni<Task> create(String title, boolean done, WriteContext context) {
        return tasks.insert(title, done, context.actor(), context.requestId())
                .onFailure(TaskIdTakenException::isIdTaken).transform(TaskIdTakenException::from);
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
                .onFailure(TaskIdTakenException::isIdTaken).transform(TaskIdTakenException::from)
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
     * Changes the fields given (null keeps a field) when the task is in one of the accepted versions
     * ({@code If-Match}) or was last modified by their date ({@code If-Unmodified-Since}), and in none that
     * {@code If-None-Match} refuses.
     * Fails with {@link TaskNotFoundException} or {@link PreconditionFailedException}.
     */
    @WithSession
    public Uni<Task> update(long id, String title, Boolean done, TaskVersions accepted, WriteContext context) {
        if (accepted.refuseAll()) {
            return explainMiss(id, accepted).map(never -> null);
        }
        return tasks.update(id, title, done, accepted.asSqlArray(), accepted.beforeAsSql(),
                accepted.refusedAsSqlArray(), context.actor(), context.requestId())
                .call(task -> task == null ? explainMiss(id, accepted) : Uni.createFrom().voidItem());
    }

    /** Deletes the task when it is in one of the accepted versions; fails like {@link #update}. */
    @WithSession
    public Uni<Void> delete(long id, TaskVersions accepted, WriteContext context) {
        if (accepted.refuseAll()) {
            return explainMiss(id, accepted);
        }
        return tasks.delete(id, accepted.asSqlArray(), accepted.beforeAsSql(), accepted.refusedAsSqlArray(),
                context.actor(), context.requestId())
                .chain(deleted -> deleted ? Uni.createFrom().voidItem() : explainMiss(id, accepted));
    }

    // Only on the failure path: tell a missing task from a refused version, and name the header that refused it.
    // If-None-Match: * refuses every task that exists, so such a write sends only this check, not the write.
    private Uni<Void> explainMiss(long id, TaskVersions accepted) {
        if (!accepted.conditional()) {
            return Uni.createFrom().failure(new TaskNotFoundException(id));
        }
        // On the session's own connection: a second one from the pool could wait behind requests holding theirs.
        return tasks.findById(id).map(task -> {
            if (task == null) {
                throw new TaskNotFoundException(id);
            }
            throw PreconditionFailedException.of(id, accepted.refusedBy(task.getUpdatedAt()));
        });
    }

    /**
     * One page of a task's history, oldest first, with one extra entry to tell if more follow. Emits
     * null when the task neither exists nor ever had an entry (it may have been deleted: its history
     * stays). Fails with {@link RetainedRangeException} when retention removed the start of the history.
     */
    public Uni<List<AuditEntry>> history(long id, int page, int size) {
        return audit.history(id, page * size, size + 1).chain(rows -> {
            if (rows.gone()) {
                throw RetainedRangeException.history(id);
            }
            if (!rows.entries().isEmpty()) {
                return Uni.createFrom().item(rows.entries());
            }
            // Only for an empty page: tell a removed history and an unknown task from the end of a history.
            return audit.trail(id).map(trail -> {
                if (trail.gone()) {
                    throw RetainedRangeException.history(id);
                }
                return trail.known() ? rows.entries() : null;
            });
        });
    }

    /**
     * The task as it was at {@code at}, rebuilt from the audit trail: the stored row (as JSON text) after
     * its last change at or before that instant. Fails with {@link TaskNotFoundException} when the task
     * did not exist then (not yet created, or deleted), and with {@link RetainedRangeException} when
     * retention removed the part of its history that instant falls in.
     */
    public Uni<String> asOf(long id, OffsetDateTime at) {
        return audit.asOf(id, at).map(state -> {
            if (state.operation() == null && state.gone()) {
                throw RetainedRangeException.asOf(id);
            }
            if (state.row() == null) {
                throw new TaskNotFoundException(id);
            }
            return state.row();
        });
    }

    /**
     * Sets the task's fields back to those that {@code version} (a change of this task) left, as one
     * ordinary conditional write ({@code accepted} from the required {@code If-Match}; {@code *} accepts any); fails
     * with {@link TaskNotFoundException} for a task that does not exist (also a deleted one),
     * {@link UnknownVersionException} for a version that is not a change of this task or is its deletion,
     * {@link PreconditionFailedException} when the task changed since the accepted versions or is in one
     * that {@code If-None-Match} refuses.
     */
    @WithSession
    public Uni<Task> revert(long id, long version, TaskVersions accepted, WriteContext context) {
        if (accepted.refuseAll()) {
            return explainRevertMiss(id, version, accepted).map(never -> null);
        }
        return tasks.revert(id, version, accepted.asSqlArray(), accepted.refusedAsSqlArray(), context.actor(),
                context.requestId())
                .call(task -> task == null ? explainRevertMiss(id, version, accepted) : Uni.createFrom().voidItem());
    }

    // Only on the failure path: a missing task first, then the refusing header, then the version. A
    // precondition that fails wins over what is wrong with the content (RFC 9110, section 13.2.1: only
    // failures found before the content is processed may come first).
    private Uni<Void> explainRevertMiss(long id, long version, TaskVersions accepted) {
        return tasks.findById(id).chain(task -> {
            if (task == null) {
                throw new TaskNotFoundException(id);
            }
            if (!accepted.accepts(task.getUpdatedAt())) {
                throw PreconditionFailedException.of(id, accepted.refusedBy(task.getUpdatedAt()));
            }
            return audit.operationOf(id, version).map(operation -> {
                if (operation == null) {
                    throw UnknownVersionException.notOfTask(id, version);
                }
                if ("DELETE".equals(operation)) {
                    throw UnknownVersionException.deletion(id, version);
                }
                throw PreconditionFailedException.of(id, accepted.refusedBy(task.getUpdatedAt()));
            });
        });
    }
}
