package dev.tasks.config;

import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import jakarta.inject.Singleton;

import io.quarkus.logging.Log;
import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.impl.PgPoolOptions;
import io.vertx.pgclient.spi.PgDriver;
import io.vertx.sqlclient.DatabaseException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnectOptions;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.spi.ConnectionFactory;

/**
 * Builds the reactive PostgreSQL pools: Quarkus' pool, with the bounds of {@link DatabaseTimeouts} added to
 * what Quarkus configured (URL, credentials, max-size, idle-timeout stay as configured), and beside it, from
 * the same configuration, the pipelined pool of {@link ReadClient}.
 * <p>
 * Opening a connection is bounded as a whole, handshake included: with the Vert.x 4.5 client a server
 * that accepts TCP but never answers the startup message would otherwise hold a pool slot forever, and
 * once every slot is held the service could not recover without a restart.
 */
@Singleton
public class PgPools implements PgPoolCreator {

    /** What {@code pg_stat_activity} shows for the connections of {@link ReadClient}. */
    public static final String READS_APPLICATION_NAME = "tasks-service reads";
    /** Its pool's and client's name in the metrics ({@code pool_name}, {@code clientName}). */
    public static final String READS_METRICS_NAME = "tasks-reads";

    private final DatabaseTimeouts timeouts;
    private volatile Pool reads;

    public PgPools(DatabaseTimeouts timeouts) {
        this.timeouts = timeouts;
    }

    @Override
    public Pool create(Input input) {
        long connectMillis = timeouts.connectTimeout().toMillis();
        PoolOptions pool = bounded(input.poolOptions());
        for (PgConnectOptions connect : input.pgConnectOptionsList()) {
            connect.setConnectTimeout(Math.toIntExact(connectMillis))
                    .setIdleTimeout(Math.toIntExact(timeouts.socketIdleTimeout().toMillis()))
                    .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
        }
        Log.infof("PostgreSQL pool: max-size %d, acquire timeout %s, wait queue %d, connect timeout %s, "
                + "socket idle timeout %s; reads: %d pipelined connections, %d statements in flight on each",
                pool.getMaxSize(), timeouts.acquireTimeout(), timeouts.maxWaitQueue(), timeouts.connectTimeout(),
                timeouts.socketIdleTimeout(), timeouts.readConnections(), timeouts.readPipeliningLimit());
        BoundedConnectPgDriver driver = new BoundedConnectPgDriver(connectMillis);
        reads = driver.createPool(input.vertx(), readOptions(input.pgConnectOptionsList()),
                // What PgBuilder.client() does: a pool whose connections take several statements at once.
                // Its own builder cannot take the driver above, hence the options class of the driver's package.
                new PgPoolOptions(bounded(new PoolOptions()
                        .setName(READS_METRICS_NAME)
                        .setMaxSize(timeouts.readConnections())
                        .setIdleTimeout(pool.getIdleTimeout())
                        .setIdleTimeoutUnit(pool.getIdleTimeoutUnit())))
                        .setPipelined(true));
        // The driver's pool is a PgPool, which is what Quarkus 3.34 expects back from a creator.
        return driver.createPool(input.vertx(), input.pgConnectOptionsList(), pool);
    }

    /** The pipelined pool built with Quarkus' own, or an error when Quarkus has not built its pool yet. */
    Pool reads() {
        Pool built = reads;
        if (built == null) {
            throw new IllegalStateException("the PostgreSQL pool has not been created");
        }
        return built;
    }

    private PoolOptions bounded(PoolOptions options) {
        return options.setConnectionTimeout(Math.toIntExact(timeouts.acquireTimeout().toMillis()))
                .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
                .setMaxWaitQueueSize(timeouts.maxWaitQueue());
    }

    /**
     * Quarkus' connection options (already bounded), named apart in PostgreSQL and in the metrics, with the
     * reads' pipelining limit.
     */
    private List<PgConnectOptions> readOptions(List<PgConnectOptions> configured) {
        List<PgConnectOptions> copies = new ArrayList<>(configured.size());
        for (PgConnectOptions options : configured) {
            PgConnectOptions copy = new PgConnectOptions(options)
                    .setPipeliningLimit(timeouts.readPipeliningLimit());
            // Quarkus names its client's metrics "postgresql|<datasource>": the metrics' prefix, then clientName.
            copy.setMetricsName("postgresql|" + READS_METRICS_NAME);
            copy.addProperty("application_name", READS_APPLICATION_NAME);
            // A page of tasks must be planned with its LIMIT's value (application.properties, plan_cache_mode).
            copy.addProperty("plan_cache_mode", "auto");
            copies.add(copy);
        }
        return copies;
    }

    /** The stock driver, except that each new connection must be ready within the connect timeout. */
    private static final class BoundedConnectPgDriver extends PgDriver {

        private final long connectMillis;

        BoundedConnectPgDriver(long connectMillis) {
            this.connectMillis = connectMillis;
        }

        @Override
        public ConnectionFactory createConnectionFactory(Vertx vertx,
                Supplier<? extends Future<? extends SqlConnectOptions>> database) {
            return new BoundedConnectionFactory(super.createConnectionFactory(vertx, database), connectMillis);
        }
    }

    /**
     * Fails a connection attempt that is not ready in time, which frees its pool slot; a connection that
     * completes after that is closed at once. A session the server refuses fails as a connect failure.
     */
    private record BoundedConnectionFactory(ConnectionFactory delegate, long connectMillis)
            implements ConnectionFactory {

        @Override
        public Future<SqlConnection> connect(Context context) {
            return bounded(context, delegate.connect(context));
        }

        @Override
        public Future<SqlConnection> connect(Context context, SqlConnectOptions options) {
            return bounded(context, delegate.connect(context, options));
        }

        @Override
        public void close(Promise<Void> completion) {
            delegate.close(completion);
        }

        private Future<SqlConnection> bounded(Context context, Future<SqlConnection> attempt) {
            Promise<SqlConnection> result = Promise.promise();
            long timer = context.owner().setTimer(connectMillis, id -> result.tryFail(new ConnectException(
                    "PostgreSQL did not complete the connection within " + connectMillis + " ms")));
            attempt.onComplete(outcome -> {
                context.owner().cancelTimer(timer);
                if (outcome.succeeded()) {
                    if (!result.tryComplete(outcome.result())) {
                        outcome.result().close();
                    }
                } else {
                    result.tryFail(refused(outcome.cause()));
                }
            });
            return result.future();
        }

        /** A server that refuses a session (starting up, shutting down, too many clients) is not reachable. */
        private static Throwable refused(Throwable failure) {
            if (failure instanceof DatabaseException) {
                var refused = new ConnectException("PostgreSQL refused the connection: " + failure.getMessage());
                refused.initCause(failure);
                return refused;
            }
            return failure;
        }
    }
}
