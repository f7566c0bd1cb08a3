package dev.tasks.resilience;

import static dev.tasks.resilience.ProblemChecks.JSON;
import static dev.tasks.resilience.ProblemChecks.describe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import dev.tasks.config.DatabaseTimeouts;
import dev.tasks.config.PgPools;
import dev.tasks.config.ReadClient;
import dev.tasks.db.Sql;
import dev.tasks.resilience.ServiceClient.Answer;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Row;

/**
 * Reads go through pipelined connections of their own ({@link ReadClient}): more reads than connections
 * are in flight at once, each connection carrying several, and those connections have the session
 * settings of the service's pool.
 */
@QuarkusTest
class PipelinedReadsTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    Sql sql;

    @Inject
    ReadClient reads;

    @Inject
    DatabaseTimeouts timeouts;

    @ConfigProperty(name = "quarkus.datasource.reactive.additional-properties.statement_timeout")
    String statementTimeout;

    @ConfigProperty(name = "quarkus.datasource.username")
    String user;

    /**
     * Reads of tables another session holds locked wait on PostgreSQL, longer than a request may wait
     * for a connection. Three times as many as there are read connections all answer once the lock goes:
     * each was sent on a connection already, none waited for one.
     */
    @Test
    void moreReadsThanConnectionsAreInFlightAtOnce() throws Exception {
        long id = sql.value("INSERT INTO tasks (title) VALUES ('pipelined read') RETURNING id", Long.class);
        int requests = 3 * timeouts.readConnections();
        long holdMillis = timeouts.acquireTimeout().toMillis() + 1_000;
        List<CompletableFuture<Answer>> answers = new ArrayList<>();
        try (ServiceClient client = new ServiceClient(base, 4, Duration.ofSeconds(30));
                Connection locker = sql.dataSource().getConnection();
                Statement lock = locker.createStatement()) {
            locker.setAutoCommit(false);
            lock.execute("LOCK TABLE tasks, audit_log IN ACCESS EXCLUSIVE MODE");
            long locked = System.nanoTime();
            for (int i = 0; i < requests; i++) {
                String path = switch (i % 3) {
                    case 0 -> "/tasks/" + id;
                    case 1 -> "/tasks?size=5";
                    default -> "/tasks/" + id + "/history";
                };
                answers.add(client.sendAsync("GET", path, null, null, null));
            }
            long waiting = ReadConnections.awaitWaitingOnALock(sql, Duration.ofSeconds(10));
            long backends = ReadConnections.count(sql);
            assertTrue(waiting >= 1, "reads reached PostgreSQL and wait on the lock");
            assertTrue(backends <= timeouts.readConnections(),
                    "at most " + timeouts.readConnections() + " read connections, found " + backends);
            long left = holdMillis - (System.nanoTime() - locked) / 1_000_000;
            if (left > 0) {
                Thread.sleep(left);
            }
            for (CompletableFuture<Answer> answer : answers) {
                assertFalse(answer.isDone(), () -> "no read answered while the table was locked: "
                        + describe(answer.join()));
            }
            locker.rollback();
            for (CompletableFuture<Answer> future : answers) {
                Answer answer = future.get(30, TimeUnit.SECONDS);
                assertEquals(200, answer.status(), () -> describe(answer));
                assertTrue(answer.millis() >= holdMillis - 500, () -> "answered after the lock went: " + describe(answer));
            }
        }
        assertEquals(id, JSON.readTree(answers.get(0).join().body()).path("id").asLong());
    }

    /** The read connections log in as the service does, with its statement and idle bounds, named apart. */
    @Test
    void readConnectionsHaveTheSessionSettingsOfThePool() {
        Row row = reads.client().query("SELECT current_user, current_setting('statement_timeout') AS statement_timeout, "
                + "current_setting('application_name') AS application_name").execute()
                .await().atMost(Duration.ofSeconds(10)).iterator().next();
        assertEquals(user, row.getString("current_user"));
        assertEquals(statementTimeout, row.getString("statement_timeout"));
        assertEquals(PgPools.READS_APPLICATION_NAME, row.getString("application_name"));
    }
}
