package dev.tasks.repository;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.reactive.mutiny.Mutiny;

import dev.tasks.config.ReadClient;
import dev.tasks.entity.Task;
import dev.tasks.mapping.TaskResponse;
import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Reads and writes tasks. Every write is one statement that carries its own audit context (who writes,
 * for which request) and whose {@code RETURNING} clause hands back the values PostgreSQL wrote, so it
 * needs neither a separate {@code set_config} nor a transaction around it nor a refresh query. The
 * statements live in {@code db/queries/}; rows come back as managed {@link Task} entities.
 * <p>
 * The reads that answer {@code GET /tasks} and {@code GET /tasks/{id}} go straight to the pipelined
 * {@link ReadClient}, like the history: a read changes nothing, so it needs no managed entity, and
 * {@code field_updated_at} comes as the text PostgreSQL stored, passed into the answer without being
 * parsed and written again. docs/persistence.md explains why the insert is a native statement rather than
 * {@code persist}, why the reads bypass Hibernate, and why they are pipelined.
 */
@ApplicationScoped
public class TaskRepository implements PanacheRepository<Task> {

    private static final String READ = SqlStatements.load("read-task");
    private static final String LIST = SqlStatements.load("list-tasks");
    private static final String LIST_DONE = SqlStatements.load("list-tasks-done");
    private static final String INSERT = SqlStatements.load("insert-task");
    private static final String INSERT_IDEMPOTENT = SqlStatements.load("insert-task-idempotent");
    private static final String UPDATE = SqlStatements.load("update-task");
    private static final String UPDATE_IF_MATCH = SqlStatements.load("update-task-if-match");
    private static final String DELETE = SqlStatements.load("delete-task");
    private static final String DELETE_IF_MATCH = SqlStatements.load("delete-task-if-match");
    private static final String REVERT = SqlStatements.load("revert-task");

    private final SqlClient client;

    public TaskRepository(ReadClient reads) {
        this.client = reads.client();
    }

    /** The task as the API shows it, or null when no row has that id. */
    public Uni<TaskResponse> view(long id) {
        return client.preparedQuery(READ).execute(Tuple.of(id)).map(rows -> {
            RowIterator<Row> it = rows.iterator();
            return it.hasNext() ? view(it.next()) : null;
        });
    }

    /** {@code limit} tasks from {@code offset}, most recently updated first; only done or open ones unless null. */
    public Uni<List<TaskResponse>> list(Boolean done, int offset, int limit) {
        return client.preparedQuery(done == null ? LIST : LIST_DONE)
                .execute(done == null ? Tuple.of(limit, offset) : Tuple.of(limit, offset, done))
                .map(TaskRepository::views);
    }

    private static List<TaskResponse> views(RowSet<Row> rows) {
        List<TaskResponse> tasks = new ArrayList<>(rows.size());
        for (Row row : rows) {
            tasks.add(view(row));
        }
        return tasks;
    }

    // Columns by position, in the order of read-task.sql and list-tasks.sql.
    private static TaskResponse view(Row row) {
        return new TaskResponse(row.getLong(0), row.getString(1), row.getBoolean(2), row.getOffsetDateTime(3),
                row.getOffsetDateTime(4), row.getString(5));
    }

    /**
     * Inserts a task and emits it as PostgreSQL stored it (id, times, per-field times), managed by the
     * current session.
     */
    public Uni<Task> insert(String title, boolean done, String actor, String requestId) {
        return getSession().chain(session -> taskQuery(session, INSERT)
                .setParameter("title", title)
                .setParameter("done", done)
                .setParameter("actor", actor)
                .setParameter("requestId", requestId)
                .getSingleResult());
    }

    /**
     * Inserts a task and stores its idempotency key in the same statement. Emits null, inserting
     * nothing, when the actor already holds that key and it has not expired; an expired key is taken
     * over. See {@code insert-task-idempotent.sql}.
     */
    public Uni<Task> insertWithKey(String title, boolean done, String key, byte[] requestHash, long ttlMillis,
            String actor, String requestId) {
        return getSession().chain(session -> taskQuery(session, INSERT_IDEMPOTENT)
                .setParameter("title", title)
                .setParameter("done", done)
                .setParameter("key", key)
                .setParameter("requestHash", requestHash)
                .setParameter("ttlMillis", ttlMillis)
                .setParameter("actor", actor)
                .setParameter("requestId", requestId)
                .getSingleResultOrNull());
    }

    /**
     * Updates a task in one {@code UPDATE ... RETURNING} statement; a null argument keeps the stored
     * value. Emits null when no row has that id in one of the accepted versions ({@code versions} is a
     * {@code timestamptz[]} literal, or null for any), older than {@code before} (a {@code timestamptz}
     * literal, or null for no bound) and in none of the {@code refused} versions (a {@code timestamptz[]}
     * literal, or null for none). The task must not be loaded in the session first, or Hibernate would
     * hand back the cached instance.
     */
    public Uni<Task> update(long id, String title, Boolean done, String versions, String before, String refused,
            String actor, String requestId) {
        boolean conditional = versions != null || before != null || refused != null;
        return getSession().chain(session -> {
            var query = taskQuery(session, conditional ? UPDATE_IF_MATCH : UPDATE)
                    .setParameter("id", id)
                    .setParameter("title", title)
                    .setParameter("done", done)
                    .setParameter("actor", actor)
                    .setParameter("requestId", requestId);
            if (conditional) {
                query.setParameter("versions", versions).setParameter("before", before)
                        .setParameter("refused", refused);
            }
            return query.getSingleResultOrNull();
        });
    }

    /**
     * Sets a task's fields back to those a version of it left, in one conditional {@code UPDATE ...
     * RETURNING} ({@code versions} and {@code refused} as for {@link #update}). Emits null when nothing matched:
     * no such task, version or accepted version.
     */
    public Uni<Task> revert(long id, long version, String versions, String refused, String actor, String requestId) {
        return getSession().chain(session -> taskQuery(session, REVERT)
                .setParameter("id", id)
                .setParameter("version", version)
                .setParameter("versions", versions)
                .setParameter("refused", refused)
                .setParameter("actor", actor)
                .setParameter("requestId", requestId)
                .getSingleResultOrNull());
    }

    /**
     * Deletes a task in one statement; emits false when no row has that id in an accepted version
     * ({@code versions}, {@code before} and {@code refused} as for {@link #update}).
     */
    public Uni<Boolean> delete(long id, String versions, String before, String refused, String actor,
            String requestId) {
        boolean conditional = versions != null || before != null || refused != null;
        return getSession()
                .chain(session -> {
                    var query = session.createNativeQuery(conditional ? DELETE_IF_MATCH : DELETE)
                            .setParameter("id", id)
                            .setParameter("actor", actor)
                            .setParameter("requestId", requestId);
                    if (conditional) {
                        query.setParameter("versions", versions).setParameter("before", before)
                                .setParameter("refused", refused);
                    }
                    return query.executeUpdate();
                })
                .map(rows -> rows > 0);
    }

    private static Mutiny.SelectionQuery<Task> taskQuery(Mutiny.Session session, String sql) {
        return session.createNativeQuery(sql, Task.class);
    }
}
