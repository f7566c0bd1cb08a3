package dev.tasks.rest;

import java.io.IOException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.ws.rs.core.UriInfo;

import org.hibernate.HibernateException;
import org.hibernate.exception.JDBCConnectionException;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ExceptionUnwrapStrategy;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.UnwrapException;

import dev.tasks.config.DatabaseTimeouts;
import dev.tasks.mapping.Problem;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.CompositeException;
import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.sqlclient.ClosedConnectionException;

/**
 * Answers 503 with {@code Retry-After} when PostgreSQL cannot serve a request: it cannot be reached, a
 * connection broke, no pooled connection came free in time, or a statement ran out of time. Only these
 * failure types are mapped; any other exception is a bug, a 500 problem ({@link ProblemMappers#unexpected}).
 * <p>
 * Hibernate Reactive and Mutiny wrap such failures (a {@link HibernateException} around the Vert.x
 * exception, a {@link CompositeException} when the rollback failed too), so those two exact types are
 * always unwrapped to their cause before a mapper is chosen: the catch-all mapper of {@code Throwable}
 * would otherwise match the wrapper and answer 500 where the cause says 503.
 */
@UnwrapException(value = { CompositeException.class, HibernateException.class },
        strategy = ExceptionUnwrapStrategy.ALWAYS)
public class DatabaseUnavailableMapper {

    static final String UNAVAILABLE_TYPE = "urn:tasks:problem:database-unavailable";

    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    // Vert.x 4.5 reports these with a bare NoStackTraceThrowable: a pool wait that ran out of time
    // (PoolOptions connectionTimeout), use of a connection that just closed, a pool shutting down.
    private static final List<String> VERTX_UNAVAILABLE = List.of("Timeout", "Connection is not active now",
            "Pool closed");
    // ... and this one with a VertxException: a statement sent through the pool itself (pool.preparedQuery,
    // the read client) that found no connection in time.
    private static final String POOL_QUERY_TIMEOUT = "Timeout waiting for connection";

    private final long retryAfterSeconds;
    // During an outage or overload every request ends here: log one line per second, not one per request.
    private final AtomicLong nextLogAt = new AtomicLong();
    private final AtomicLong suppressed = new AtomicLong();

    public DatabaseUnavailableMapper(DatabaseTimeouts timeouts) {
        this.retryAfterSeconds = Math.max(1, timeouts.retryAfter().toSeconds());
    }

    /**
     * Connection refused, reset or timed out; a connection closed under a request; wait queue full; a
     * statement past the server's statement_timeout; the pool's own failures.
     */
    @ServerExceptionMapper({ SocketException.class, ClosedConnectionException.class,
            ConnectionPoolTooBusyException.class, JDBCConnectionException.class, IOException.class,
            ClosedChannelException.class, jakarta.persistence.QueryTimeoutException.class,
            org.hibernate.QueryTimeoutException.class, NoStackTraceThrowable.class, VertxException.class })
    public RestResponse<Problem> unavailable(Throwable e, UriInfo uri) {
        String reason = reason(e);
        if (reason == null) {
            return ProblemMappers.failedUnexpectedly(e, uri);
        }
        long now = System.nanoTime();
        long next = nextLogAt.get();
        if (now - next >= 0 && nextLogAt.compareAndSet(next, now + LOG_INTERVAL_NANOS)) {
            Log.warnf("Database unavailable for %s: %s (%d more such answers not logged)", ProblemMappers.path(uri), e,
                    suppressed.getAndSet(0));
        } else {
            suppressed.incrementAndGet();
        }
        String detail = reason + " Retry after " + retryAfterSeconds + " seconds.";
        return ProblemMappers.problem(Problem.of(503, UNAVAILABLE_TYPE, detail, ProblemMappers.path(uri), null),
                Map.of("Retry-After", String.valueOf(retryAfterSeconds)));
    }

    /** Why the database cannot serve the request, or null when {@code e} is not about the database. */
    private static String reason(Throwable e) {
        if (e instanceof SocketException || e instanceof ClosedConnectionException
                || e instanceof ConnectionPoolTooBusyException || e instanceof JDBCConnectionException) {
            return "The database cannot be reached.";
        }
        if (e instanceof ClosedChannelException) {
            // Netty's closed-channel failure is the database socket; the JDK's own comes from the request body.
            return e.getClass().getName().startsWith("io.netty.") ? "The database connection closed." : null;
        }
        if (e instanceof IOException) {
            // The socket layer also reports a reset connection as a plain IOException; one raised anywhere
            // else (such as the request body stream) is unexpected. Unreadable JSON has its own mapper.
            return raisedBySocket(e) ? "The database connection broke." : null;
        }
        if (e instanceof VertxException) {
            return POOL_QUERY_TIMEOUT.equals(e.getMessage()) ? "No database connection is available." : null;
        }
        if (e instanceof NoStackTraceThrowable) {
            // Vert.x reports the pool's own failures by message only; any other one stays a 500.
            String message = e.getMessage() == null ? "" : e.getMessage();
            boolean pool = VERTX_UNAVAILABLE.stream().anyMatch(message::startsWith);
            return pool ? "No database connection is available." : null;
        }
        return "The database did not answer in time.";
    }

    /** Thrown by the JDK's socket channel itself, or one of netty's native transport errors (no stack). */
    private static boolean raisedBySocket(Throwable e) {
        StackTraceElement[] stack = e.getStackTrace();
        return e.getClass().getName().startsWith("io.netty.channel.")
                || stack.length > 0 && stack[0].getClassName().startsWith("sun.nio.ch.");
    }
}
