package dev.tasks.service;

import java.time.OffsetDateTime;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tasks.entity.AuditEntry;
import dev.tasks.entity.Task;
import dev.tasks.repository.AuditRepository;
import dev.tasks.repository.TaskRepository;
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

    public TaskService(TaskRepository tasks, AuditRepository audit) {
        this.tasks = tasks;
        this.audit = audit;
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
                return trail.exists() || page > 0 ? rows.entries() : null;
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
     * ordinary conditional write. Requires {@code If-Match} ({@link PreconditionRequiredException}); fails
     * with {@link TaskNotFoundException} for a task that does not exist (also a deleted one),
     * {@link UnknownVersionException} for a version that is not a change of this task or is its deletion,
     * {@link PreconditionFailedException} when the task changed since the accepted versions.
     */
    @WithSession
    public Uni<Task> revert(long id, long version, TaskVersions accepted, WriteContext context) {
        if (!accepted.conditional()) {
            return Uni.createFrom().failure(new PreconditionRequiredException(id));
        }
        return tasks.revert(id, version, accepted.asSqlArray(), context.actor(), context.requestId())
                .call(task -> task == null ? explainRevertMiss(id, version) : Uni.createFrom().voidItem());
    }

    // Only on the failure path: a missing task first, then the version, then a stale If-Match.
    private Uni<Void> explainRevertMiss(long id, long version) {
        return tasks.findById(id).chain(task -> {
            if (task == null) {
                throw new TaskNotFoundException(id);
            }
            return audit.operationOf(id, version).map(operation -> {
                if (operation == null) {
                    throw UnknownVersionException.notOfTask(id, version);
                }
                if ("DELETE".equals(operation)) {
                    throw UnknownVersionException.deletion(id, version);
                }
                throw new PreconditionFailedException(id);
            });
        });
    }
}
