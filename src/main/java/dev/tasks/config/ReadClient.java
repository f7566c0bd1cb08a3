package dev.tasks.config;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.sqlclient.Pool;

/**
 * The client for reads that are one short statement: a task, a page of tasks, a task's history. Its
 * connections are pipelined: each takes the next statement before the previous one has answered, so
 * concurrent reads share a few connections (one per event loop, while each has room) and their answers
 * arrive together. Writes and the change feed stay on Quarkus' pool, whose connections run one statement
 * at a time (docs/persistence.md, "Pipelined reads").
 * <p>
 * A pipelined connection cannot hold a transaction, so only single statements that need none go here.
 */
@Singleton
public class ReadClient {

    private final Pool pool;
    private final SqlClient client;

    /** {@code quarkusPool}: asking for it makes Quarkus build its pool, and {@link PgPools} this one with it. */
    public ReadClient(Pool quarkusPool, PgPools pools) {
        quarkusPool.size();
        this.pool = pools.reads();
        this.client = SqlClient.newInstance(pool);
    }

    public SqlClient client() {
        return client;
    }

    @PreDestroy
    void close() {
        pool.close();
    }
}
