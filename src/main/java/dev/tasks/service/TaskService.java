package dev.tasks.service;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tasks.entity.AuditEntry;
import dev.tasks.entity.Task;
import dev.tasks.repository.AuditRepository;
import dev.tasks.repository.TaskRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

/**
 * Task use cases. Each write runs in one transaction that first records its {@link WriteContext}
 * and then sends a single data statement.
 */
@ApplicationScoped
public class TaskService {

    private static final Sort MOST_RECENT_FIRST = Sort.descending("updatedAt", "id");

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
        var query = done == null
                ? tasks.findAll(MOST_RECENT_FIRST)
                : tasks.find("done", MOST_RECENT_FIRST, done);
        return query.range(page * size, page * size + size).list();
    }

    @WithTransaction
    public Uni<Task> create(String title, boolean done, WriteContext context) {
        return tasks.setContext(context.actor(), context.requestId())
                .chain(() -> tasks.persistAndFlush(new Task(title, done)));
    }

    /**
     * Changes the fields given (null keeps a field) when the task is in one of the accepted versions.
     * Fails with {@link TaskNotFoundException} or {@link PreconditionFailedException}.
     */
    @WithTransaction
    public Uni<Task> update(long id, String title, Boolean done, TaskVersions accepted, WriteContext context) {
        return tasks.setContext(context.actor(), context.requestId())
                .chain(() -> tasks.update(id, title, done, accepted.asSqlArray()))
                .call(task -> task == null ? explainMiss(id, accepted) : Uni.createFrom().voidItem());
    }

    /** Deletes the task when it is in one of the accepted versions; fails like {@link #update}. */
    @WithTransaction
    public Uni<Void> delete(long id, TaskVersions accepted, WriteContext context) {
        return tasks.setContext(context.actor(), context.requestId())
                .chain(() -> tasks.delete(id, accepted.asSqlArray()))
                .chain(deleted -> deleted ? Uni.createFrom().voidItem() : explainMiss(id, accepted));
    }

    // Only on the failure path: tell a missing task from a stale version.
    private Uni<Void> explainMiss(long id, TaskVersions accepted) {
        Uni<Boolean> exists = accepted.conditional() ? tasks.count("id", id).map(n -> n > 0) : Uni.createFrom().item(false);
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
