package dev.tasks.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.tasks.support.TestDatabase;

/**
 * The packaged application as real processes, for the integration tests that start instances of their own:
 * on loopback, against a database of the test server, with the environment the build's integration tests
 * have (failsafe's, so writes take no token).
 */
final class PackagedJar {

    static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    /** The java of the JVM running the tests, which the instances run on too. */
    static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    private PackagedJar() {
    }

    /**
     * Starts the jar against {@code database}, its output in {@code log}, with more environment and JVM
     * options; the caller passes the ports ({@code -Dquarkus.http.port}, {@code -Dquarkus.management.port}).
     */
    static Process start(TestDatabase server, String database, Path log, Map<String, String> environment,
            String... options) throws IOException {
        return start(JAR, server, database, log, environment, options);
    }

    /** The same with another copy of the packaged application, {@code jar} being its quarkus-run.jar. */
    static Process start(Path jar, TestDatabase server, String database, Path log, Map<String, String> environment,
            String... options) throws IOException {
        List<String> command = new ArrayList<>(List.of(JAVA.toString(),
                "-Xmx128m", "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.management.host=127.0.0.1"));
        command.addAll(List.of(options));
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("QUARKUS_DATASOURCE_USERNAME", server.user());
        builder.environment().put("QUARKUS_DATASOURCE_PASSWORD", server.password());
        builder.environment().put("QUARKUS_DATASOURCE_JDBC_URL", server.jdbcUrl(database));
        builder.environment().put("QUARKUS_DATASOURCE_REACTIVE_URL", server.reactiveUrl(database));
        builder.environment().putAll(environment);
        return builder.start();
    }

    /** Asks every process to stop, waits up to 20 s for each, then kills what is left. */
    static void stop(List<Process> processes) throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    /**
     * Polls GET /tasks (a request that reaches PostgreSQL) on {@code port} for at most {@code within};
     * answers the first status, or -1 when {@code instance} exited or the time ran out.
     */
    static int awaitAnswer(HttpClient http, int port, Process instance, Duration within) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/tasks?size=1"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline && instance.isAlive()) {
            try {
                return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        return -1;
    }

    /** A log's text, for assertion messages. */
    static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
