package dev.tasks.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tasks.config.KnownNoiseLogFilter;
import dev.tasks.db.Sql;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A client that leaves in the middle of its request body, announced by Content-Length or chunked: nothing
 * is written, and the error record Quarkus makes of it (for the chunked body, which HttpEdge buffers) is
 * dropped by the console's filter, while any other failure the same handler reports still passes.
 */
@QuarkusTest
class ClientAbortTest {

    private static final String ERROR_HANDLER = "io.quarkus.vertx.http.runtime.QuarkusErrorHandler";

    @TestHTTPResource("/")
    URI base;

    @Inject
    Sql sql;

    private void leaveMidBody(String framing, String firstBytes) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), base.getPort()), 5_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /tasks HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + framing
                    + "\r\n\r\n" + firstBytes).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(300);
        }
    }

    @Test
    void aClientThatLeavesMidBodyWritesNothingAndLeavesNoErrorOnTheConsole() throws Exception {
        Logger logger = Logger.getLogger(ERROR_HANDLER);
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        long tasks = sql.value("SELECT count(*) FROM tasks", Long.class);
        KnownNoiseLogFilter filter = new KnownNoiseLogFilter();
        logger.addHandler(capture);
        try {
            // A chunked body is buffered by HttpEdge (BodyHandler), which fails the request when its client
            // leaves; Quarkus reports that failure.
            leaveMidBody("Transfer-Encoding: chunked", "10\r\n{\"title\":\"cut");
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (records.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(1, records.size(), "Quarkus reports the request whose client left");
            // A body announced by Content-Length: whatever is reported of it must be dropped too.
            leaveMidBody("Content-Length: 1000", "{\"title\":\"cut sh");
            Thread.sleep(1_000);
        } finally {
            logger.removeHandler(capture);
        }
        assertEquals(tasks, sql.value("SELECT count(*) FROM tasks", Long.class), "no task written");
        for (LogRecord record : records) {
            assertFalse(filter.isLoggable(record), () -> "shown on the console: " + record.getMessage() + " " + record.getThrown());
        }
        LogRecord other = new LogRecord(Level.SEVERE, "HTTP Request to /tasks failed, error id: x");
        other.setLoggerName(ERROR_HANDLER);
        other.setThrown(new IllegalStateException("a real failure"));
        assertTrue(filter.isLoggable(other), "any other failure of the same handler is shown");
    }
}
