package dev.tasks.config;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

import io.quarkus.logging.LoggingFilter;

/**
 * Drops one known harmless error of the Vert.x SQL client 4.5: when opening a connection fails before the
 * pool's acquire timeout, the request gets its failure at once, and the timer, left running, later fails
 * the same promise again ("Result is already complete", eclipse-vertx/vertx-sql-client#1706). During a
 * database outage that printed one stack trace per failed request. Only that exact record is dropped.
 */
@LoggingFilter(name = "pool-timer-race")
public final class PoolTimerRaceLogFilter implements Filter {

    @Override
    public boolean isLoggable(LogRecord record) {
        Throwable thrown = record.getThrown();
        if (!(thrown instanceof IllegalStateException) || !"Result is already complete".equals(thrown.getMessage())) {
            return true;
        }
        for (StackTraceElement frame : thrown.getStackTrace()) {
            if (frame.getClassName().equals("io.vertx.sqlclient.impl.pool.SqlConnectionPool")) {
                return false;
            }
        }
        return true;
    }
}
