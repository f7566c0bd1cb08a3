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
    private static final String DELETE = SqlStatements.load("delete-task");

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
     * value. Emits null when no row has that id in one of the accepted versions ({@code versions} is a
     * {@code timestamptz[]} literal, or null for any). The task must not be loaded in the session
     * first, or Hibernate would hand back the cached instance.
     */
    public Uni<Task> update(long id, String title, Boolean done, String versions) {
        return getSession()
                .chain(session -> session.createNativeQuery(UPDATE, Task.class)
                        .setParameter("id", id)
                        .setParameter("title", title)
                        .setParameter("done", done)
                        .setParameter("versions", versions)
                        .getSingleResultOrNull());
    }

    /** Deletes a task in one statement; emits false when no row has that id in an accepted version. */
    public Uni<Boolean> delete(long id, String versions) {
        return getSession()
                .chain(session -> session.createNativeQuery(DELETE)
                        .setParameter("id", id)
                        .setParameter("versions", versions)
                        .getResultList())
                .map(rows -> !rows.isEmpty());
    }
}
