package dev.tasks.repository;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tasks.entity.Task;
import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;

/**
 * Reads and writes tasks. Every write is one statement whose {@code RETURNING} clause carries the
 * values PostgreSQL wrote, so no refresh query follows.
 */
@ApplicationScoped
public class TaskRepository implements PanacheRepository<Task> {

    private static final String SET_CONTEXT = SqlStatements.load("set-context");
    private static final String UPDATE = SqlStatements.load("update-task");

    /** Tags the current transaction with who writes and why, for the audit trigger. */
    public Uni<Void> setContext(String actor, String requestId) {
        return getSession()
                .chain(session -> session.createNativeQuery(SET_CONTEXT)
                        .setParameter("actor", actor)
                        .setParameter("requestId", requestId)
                        .getSingleResult())
                .replaceWithVoid();
    }

    /**
     * Updates a task in one {@code UPDATE ... RETURNING} statement; a null argument keeps the stored
     * value. Emits null when no row has that id. The task must not be loaded in the session first,
     * or Hibernate would hand back the cached instance.
     */
    public Uni<Task> update(long id, String title, Boolean done) {
        return getSession()
                .chain(session -> session.createNativeQuery(UPDATE, Task.class)
                        .setParameter("id", id)
                        .setParameter("title", title)
                        .setParameter("done", done)
                        .getSingleResultOrNull());
    }
}
