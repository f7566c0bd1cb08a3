package dev.tasks.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tasks.support.TestDatabase;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * Two packaged instances started at the same moment on one empty database, as two real processes:
 * the changelogs are applied exactly once (one Liquibase run; the other waits for the changelog lock and
 * finds nothing to do), both instances serve, and a change stream on one sends a task created on the other.
 * The database is a fresh one on the test server (the variables' or Dev Services'), named after the test
 * database, and dropped afterwards. The test itself runs as an integration test only to learn that server.
 */
@QuarkusIntegrationTest
@WithTestResource(TestDatabase.Resource.class)
class TwoInstancesIT {

    @Test
    void twoInstancesOnAnEmptyDatabaseApplyTheChangelogsOnceAndBothServe() throws Exception {
        assertTrue(Files.exists(PackagedJar.JAR), "needs the packaged jar " + PackagedJar.JAR);
        TestDatabase server = TestDatabase.Resource.database();
        String database = server.createDatabase("two");
        List<Process> instances = new ArrayList<>();
        try {
            List<Integer> ports = List.of(PackagedJar.freePort(), PackagedJar.freePort());
            for (int port : ports) {
                // Each instance's management interface needs a port of its own as well.
                instances.add(PackagedJar.start(server, database, File.createTempFile("two-instances-" + port, ".log").toPath(),
                        Map.of(), "-Dquarkus.http.port=" + port, "-Dquarkus.management.port=" + PackagedJar.freePort()));
            }
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            for (int i = 0; i < ports.size(); i++) {
                assertEquals(200, PackagedJar.awaitAnswer(http, ports.get(i), instances.get(i), Duration.ofSeconds(90)),
                        "instance on port " + ports.get(i) + " serves GET /tasks");
            }
            try (Connection c = server.connect(database);
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT (h.id, h.author, h.filename)), "
                            + "count(DISTINCT h.deployment_id) FILTER (WHERE h.exectype = 'EXECUTED'), bool_or(l.locked) "
                            // The runAlways recording changeset runs in every instance's run, as RERAN after the first.
                            + "FROM databasechangelog h, databasechangeloglock l")) {
                rs.next();
                assertTrue(rs.getLong(1) > 0);
                assertEquals(rs.getLong(1), rs.getLong(2), "each changeset applied once");
                assertEquals(1, rs.getLong(3), "by one Liquibase run");
                assertEquals(false, rs.getBoolean(4), "the changelog lock is released");
            }
            assertAWriteOnOneReachesTheStreamOfTheOther(http, ports.get(0), ports.get(1));
        } finally {
            PackagedJar.stop(instances);
            server.dropDatabase(database);
        }
    }

    /**
     * A change stream open on one instance receives a task created through the other: each instance
     * listens for the database's notifications itself.
     */
    private static void assertAWriteOnOneReachesTheStreamOfTheOther(HttpClient http, int writer, int streamer)
            throws Exception {
        HttpResponse<java.util.stream.Stream<String>> stream = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + streamer + "/tasks/changes/stream"))
                        .header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, stream.statusCode());
        String title = "across instances " + System.nanoTime();
        var seen = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> stream.body().filter(line -> line.startsWith("data:") && line.contains(title)).findFirst());
        HttpResponse<Void> created = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + writer + "/tasks"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"" + title + "\"}")).build(),
                HttpResponse.BodyHandlers.discarding());
        assertEquals(201, created.statusCode());
        try {
            assertTrue(seen.get(15, java.util.concurrent.TimeUnit.SECONDS).isPresent(),
                    "the stream on port " + streamer + " sent the task created on port " + writer);
        } finally {
            stream.body().close();
        }
    }
}
