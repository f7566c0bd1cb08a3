package dev.tasks.rest;

import java.io.IOException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.util.List;
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
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.sqlclient.ClosedConnectionException;

/**
 * Answers 503 with {@code Retry-After} when PostgreSQL cannot serve a request: it cannot be reached, a
 * connection broke, no pooled connection came free in time, or a statement ran out of time. Only these
 * failure types are mapped; any other exception is a bug and keeps the framework's 500.
 * <p>
 * Hibernate Reactive and Mutiny wrap such failures (a {@link HibernateException} around the Vert.x
 * exception, a {@link CompositeException} when the rollback failed too), so those two exact types are
 * unwrapped to their cause before a mapper is chosen.
 */
@UnwrapException(value = { CompositeException.class, HibernateException.class },
        strategy = ExceptionUnwrapStrategy.UNWRAP_IF_NO_MATCH)
public class DatabaseUnavailableMapper {

    static final String UNAVAILABLE_TYPE = "urn:tasks:problem:database-unavailable";

    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    // Vert.x 4.5 reports these with a bare NoStackTraceThrowable: a pool wait that ran out of time
    // (PoolOptions connectionTimeout), use of a connection that just closed, a pool shutting down.
    private static final List<String> VERTX_UNAVAILABLE = List.of("Timeout", "Connection is not active now",
            "Pool closed");

    private final long retryAfterSeconds;
    // During an outage or overload every request ends here: log one line per second, not one per request.
    private final AtomicLong nextLogAt = new AtomicLong();
    private final AtomicLong suppressed = new AtomicLong();

    public DatabaseUnavailableMapper(DatabaseTimeouts timeouts) {
        this.retryAfterSeconds = Math.max(1, timeouts.retryAfter().toSeconds());
    }

    /** Connection refused, reset or timed out; a connection closed under a request; wait queue full. */
    @ServerExceptionMapper({ SocketException.class, ClosedConnectionException.class,
            ConnectionPoolTooBusyException.class, JDBCConnectionException.class })
    public RestResponse<Problem> unreachable(Throwable e, UriInfo uri) {
        return unavailable(e, uri, "The database cannot be reached.");
    }

    /**
     * The socket layer also reports a reset connection as a plain {@link IOException}; one raised anywhere
     * else (such as the request body stream) is unexpected and stays a 500. Unreadable JSON has its own,
     * closer mapper.
     */
    @ServerExceptionMapper
    public RestResponse<Problem> io(IOException e, UriInfo uri) {
        if (raisedBySocket(e)) {
            return unavailable(e, uri, "The database connection broke.");
        }
        return unexpected(e, uri);
    }

    /** Netty's closed-channel failure is the database socket; the JDK's own comes from the request body. */
    @ServerExceptionMapper
    public RestResponse<Problem> closedChannel(ClosedChannelException e, UriInfo uri) {
        if (e.getClass().getName().startsWith("io.netty.")) {
            return unavailable(e, uri, "The database connection closed.");
        }
        return unexpected(e, uri);
    }

    /** A statement ran past the server's statement_timeout. */
    @ServerExceptionMapper({ jakarta.persistence.QueryTimeoutException.class,
            org.hibernate.QueryTimeoutException.class })
    public RestResponse<Problem> statementTimeout(Throwable e, UriInfo uri) {
        return unavailable(e, uri, "The database did not answer in time.");
    }

    /** The pool's own failures, which Vert.x reports by message only; any other one stays a 500. */
    @ServerExceptionMapper
    public RestResponse<Problem> vertxFailure(NoStackTraceThrowable e, UriInfo uri) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (VERTX_UNAVAILABLE.stream().anyMatch(message::startsWith)) {
            return unavailable(e, uri, "No database connection is available.");
        }
        return unexpected(e, uri);
    }

    /** What the framework does with an unmapped exception: log it and answer a bare 500. */
    private static RestResponse<Problem> unexpected(Throwable e, UriInfo uri) {
        Log.errorf(e, "Unexpected failure of %s", path(uri));
        return ProblemMappers.problem(500, Problem.ABOUT_BLANK, "The request failed unexpectedly.", uri, null);
    }

    /** Thrown by the JDK's socket channel itself, or one of netty's native transport errors (no stack). */
    private static boolean raisedBySocket(Throwable e) {
        StackTraceElement[] stack = e.getStackTrace();
        return e.getClass().getName().startsWith("io.netty.channel.")
                || stack.length > 0 && stack[0].getClassName().startsWith("sun.nio.ch.");
    }

    private RestResponse<Problem> unavailable(Throwable e, UriInfo uri, String reason) {
        long now = System.nanoTime();
        long next = nextLogAt.get();
        if (now - next >= 0 && nextLogAt.compareAndSet(next, now + LOG_INTERVAL_NANOS)) {
            Log.warnf("Database unavailable for %s: %s (%d more such answers not logged)", path(uri), e,
                    suppressed.getAndSet(0));
        } else {
            suppressed.incrementAndGet();
        }
        return RestResponse.ResponseBuilder.fromResponse(ProblemMappers.problem(503, UNAVAILABLE_TYPE,
                reason + " Retry after " + retryAfterSeconds + " seconds.", uri, null))
                .header("Retry-After", String.valueOf(retryAfterSeconds))
                .build();
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getRequestUri().getRawPath();
    }
}
