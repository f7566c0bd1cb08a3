package dev.tasks.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.tasks.support.TestDatabase;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * {@code scripts/cds-archive.sh} on a copy of the packaged application: the archive it writes is usable by
 * this JVM ({@code -Xshare:on} refuses to start otherwise), holds classes of the whole start, not only of
 * Quarkus' static init (Hibernate's session factory, built at runtime init, comes from it), and the
 * instance started with it serves.
 */
@QuarkusIntegrationTest
@WithTestResource(TestDatabase.Resource.class)
class CdsArchiveIT {

    /** Built at runtime init, so absent from the build's archive of static init. */
    private static final String RUNTIME_INIT_CLASS = "org.hibernate.internal.SessionFactoryImpl";

    @Test
    void theArchiveOfAWholeStartServesTheNextStart() throws Exception {
        Path app = Files.createTempDirectory("cds-archive-app");
        TestDatabase server = TestDatabase.Resource.database();
        String database = server.createDatabase("cds");
        Process service = null;
        try {
            copy(PackagedJar.JAR.getParent(), app);
            Path scriptLog = File.createTempFile("cds-archive-script", ".log").toPath();
            ProcessBuilder script = new ProcessBuilder("bash", Path.of("scripts", "cds-archive.sh").toAbsolutePath().toString(),
                    app.toString()).redirectErrorStream(true).redirectOutput(scriptLog.toFile());
            script.environment().put("JAVA", PackagedJar.JAVA.toString());
            Process run = script.start();
            assertTrue(run.waitFor(400, TimeUnit.SECONDS), "the script ends by itself");
            assertEquals(0, run.exitValue(), () -> PackagedJar.read(scriptLog));
            assertTrue(Files.size(app.resolve("app-cds.jsa")) > 0, "the archive is written");

            int port = PackagedJar.freePort();
            Path log = File.createTempFile("cds-archive-service", ".log").toPath();
            service = PackagedJar.start(app.resolve("quarkus-run.jar"), server, database, log, Map.of(),
                    "-Xshare:on", "-XX:SharedArchiveFile=" + app.resolve("app-cds.jsa"),
                    "-Xlog:class+load=info:file=" + app.resolve("class-load.log"),
                    "-Dquarkus.http.port=" + port, "-Dquarkus.management.port=" + PackagedJar.freePort());
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            assertEquals(200, PackagedJar.awaitAnswer(http, port, service, Duration.ofSeconds(120)),
                    () -> "the instance did not serve: " + PackagedJar.read(log));
            String loaded = PackagedJar.read(app.resolve("class-load.log"));
            assertTrue(loaded.lines().anyMatch(line -> line.contains(" " + RUNTIME_INIT_CLASS + " source: shared objects file")),
                    RUNTIME_INIT_CLASS + " was not read from the archive");
        } finally {
            if (service != null) {
                PackagedJar.stop(List.of(service));
            }
            server.dropDatabase(database);
            delete(app);
        }
    }

    /** Copies the packaged application, without the build's archive or cache. */
    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                String name = source.getFileName().toString();
                if (name.equals("app-cds.jsa") || name.equals("app.aot")) {
                    continue;
                }
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
    }
}
