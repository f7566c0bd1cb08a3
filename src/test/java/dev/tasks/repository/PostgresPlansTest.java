package dev.tasks.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tasks.config.ReadClient;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * How PostgreSQL plans the service's prepared statements. On the pool of the writes and the change feed
 * every execution runs one generic plan: the feed's query over the partitions of audit_log is not planned
 * again for each page (counted by PostgreSQL itself, per session, in {@code pg_prepared_statements}). The
 * read client keeps PostgreSQL's choice, so a page of tasks is planned with the value of its LIMIT.
 */
@QuarkusTest
class PostgresPlansTest {

    /** More than the five custom plans PostgreSQL tries before it may settle on a generic one. */
    static final int EXECUTIONS = 8;

    @Inject
    Pool pool;

    @Inject
    ReadClient reads;

    record Plans(long generic, long custom) {
    }

    @Test
    void theChangeFeedRunsAGenericPlanOnThePool() {
        // A statement new to the connection (other tests ran the feed on it already): the same text with
        // a comment of its own, so PostgreSQL's plan cache starts afresh for it, as at a connection's first page.
        String feed = SqlStatements.load("task-changes") + "\n-- PostgresPlansTest " + System.nanoTime();
        Plans plans = pool.withConnection(connection -> executeThenCount(connection, feed, Tuple.of("0", 0L, 100)))
                .await().atMost(Duration.ofSeconds(30));
        assertEquals(new Plans(EXECUTIONS, 0), plans, "generic and custom plans of the change feed's statement");
    }

    /** The read client keeps PostgreSQL's choice; the pool's sessions take generic plans. */
    @Test
    void theReadClientKeepsPostgresChoiceOfPlans() {
        assertEquals("auto", planCacheMode(reads.client()));
        assertEquals("force_generic_plan", planCacheMode(pool));
    }

    private static String planCacheMode(SqlClient client) {
        return client.query("SELECT current_setting('plan_cache_mode') AS mode").execute()
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getString("mode");
    }

    private static Uni<Plans> executeThenCount(SqlConnection connection, String sql, Tuple arguments) {
        Uni<Void> executions = Uni.createFrom().voidItem();
        for (int i = 0; i < EXECUTIONS; i++) {
            executions = executions.chain(() -> connection.preparedQuery(sql).execute(arguments).replaceWithVoid());
        }
        return executions.chain(() -> connection.preparedQuery(
                "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement = $1")
                .execute(Tuple.of(sql)))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Plans(row.getLong("generic_plans"), row.getLong("custom_plans"));
                });
    }
}
