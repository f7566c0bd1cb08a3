package dev.tasks.config;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

import io.quarkus.logging.LoggingFilter;
import io.vertx.core.http.HttpClosedException;

/**
 * Drops three known harmless log records, matched exactly; everything else passes.
 * <ul>
 * <li>"Result is already complete", an uncaught error: when opening a connection fails before the pool's
 * acquire timeout, the request gets its failure at once and the timer, left running, later fails the same
 * promise again (eclipse-vertx/vertx-sql-client#1706). During a database outage that printed one stack
 * trace per failed request.</li>
 * <li>"This Gauge has been already registered" for {@code postgresql.*}: the client creates its metrics per
 * connection, so every connection after the first registers the pool's gauges again and Micrometer keeps
 * the first. The metrics themselves are right.</li>
 * <li>Quarkus' "HTTP Request to ... failed" at ERROR, when the failure is {@link HttpClosedException}: the
 * client closed its connection before it had sent the whole request (a body cut short, a cancelled
 * upload). Nothing was written and there is nobody left to answer; an ERROR per such client would page
 * an operator for what clients do.</li>
 * </ul>
 */
@LoggingFilter(name = "known-noise")
public final class KnownNoiseLogFilter implements Filter {

    @Override
    public boolean isLoggable(LogRecord record) {
        return !poolTimerRace(record.getThrown()) && !repeatedClientGauge(record) && !clientLeftMidRequest(record);
    }

    private static boolean clientLeftMidRequest(LogRecord record) {
        return record.getThrown() instanceof HttpClosedException
                && "io.quarkus.vertx.http.runtime.QuarkusErrorHandler".equals(record.getLoggerName());
    }

    private static boolean poolTimerRace(Throwable thrown) {
        if (!(thrown instanceof IllegalStateException) || !"Result is already complete".equals(thrown.getMessage())) {
            return false;
        }
        for (StackTraceElement frame : thrown.getStackTrace()) {
            if (frame.getClassName().equals("io.vertx.sqlclient.impl.pool.SqlConnectionPool")) {
                return true;
            }
        }
        return false;
    }

    private static boolean repeatedClientGauge(LogRecord record) {
        String message = record.getMessage();
        return "io.micrometer.core.instrument.MeterRegistry".equals(record.getLoggerName()) && message != null
                && message.startsWith("This Gauge has been already registered (MeterId{name='postgresql.");
    }
}
