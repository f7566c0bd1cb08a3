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
    private static final String UPDATE_IF_MATCH = SqlStatements.load("update-task-if-match");
    private static final String DELETE = SqlStatements.load("delete-task");
    private static final String DELETE_IF_MATCH = SqlStatements.load("delete-task-if-match");

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
        return getSession().chain(session -> {
            var query = session.createNativeQuery(versions == null ? UPDATE : UPDATE_IF_MATCH, Task.class)
                    .setParameter("id", id)
                    .setParameter("title", title)
                    .setParameter("done", done);
            if (versions != null) {
                query.setParameter("versions", versions);
            }
            return query.getSingleResultOrNull();
        });
    }

    /** Deletes a task in one statement; emits false when no row has that id in an accepted version. */
    public Uni<Boolean> delete(long id, String versions) {
        return getSession()
                .chain(session -> {
                    var query = session.createNativeQuery(versions == null ? DELETE : DELETE_IF_MATCH)
                            .setParameter("id", id);
                    if (versions != null) {
                        query.setParameter("versions", versions);
                    }
                    return query.getResultList();
                })
                .map(rows -> !rows.isEmpty());
    }
}
