package dev.tasks.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;

/**
 * Client-side bounds on the waits for PostgreSQL, so a request facing an unreachable or saturated
 * database is answered 503 within a known time instead of hanging. Quarkus 3.34 has no property for
 * these pool and socket options; {@link PgPools} applies them when the pools are built. The values
 * live in {@code application.properties}. The last two size the pipelined pool of {@link ReadClient}.
 */
@ConfigMapping(prefix = "tasks.db")
public interface DatabaseTimeouts {

    /** Longest a request waits for a pooled connection, including the time to open one. */
    Duration acquireTimeout();

    /** Requests that may wait for a connection at once; one more is refused at once. -1 means no limit. */
    int maxWaitQueue();

    /** Longest the opening of a connection may take: TCP connect, TLS, startup and authentication. */
    Duration connectTimeout();

    /**
     * A socket on which nothing was sent or received for this long is closed; this disposes of sockets
     * whose handshake was abandoned. Not a statement timeout: the Vert.x client lets a running statement
     * finish first. Keep it above the server's statement_timeout and the pool's idle-timeout.
     */
    Duration socketIdleTimeout();

    /** Value of the {@code Retry-After} header on 503 answers. */
    Duration retryAfter();

    /** Connections of the pipelined read client, at most. */
    int readConnections();

    /**
     * Statements in flight on one of its connections, at most; the next read takes another connection,
     * or waits as for a pooled one.
     */
    int readPipeliningLimit();
}
