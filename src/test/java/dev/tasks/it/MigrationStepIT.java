package dev.tasks.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.tasks.support.TestDatabase;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * The production start path with the migration as a step of its own, as real processes of the packaged jar
 * on a fresh database: the service started with {@code QUARKUS_LIQUIBASE_MIGRATE_AT_START=false} before any
 * migration serves nothing stale (readiness DOWN, naming a pending changeset); the migration step
 * ({@code QUARKUS_INIT_AND_EXIT=true}) applies the changelogs and exits 0; the same running instance is then
 * ready and serves. Also: without Hibernate's blocking persistence unit, Hibernate Reactive still validates
 * the schema, so an instance whose mapping does not match the table refuses to start.
 */
@QuarkusIntegrationTest
@WithTestResource(TestDatabase.Resource.class)
class MigrationStepIT {

    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void serviceWaitsUnreadyForTheMigrationStepThenServes() throws Exception {
        assertTrue(Files.exists(PackagedJar.JAR), "needs the packaged jar " + PackagedJar.JAR);
        TestDatabase server = TestDatabase.Resource.database();
        String database = server.createDatabase("migstep");
        try {
            int port = PackagedJar.freePort();
            int management = PackagedJar.freePort();
            Path serviceLog = File.createTempFile("migration-step-service", ".log").toPath();
            start(server, database, serviceLog, Map.of("QUARKUS_LIQUIBASE_MIGRATE_AT_START", "false"),
                    "-Dquarkus.http.port=" + port, "-Dquarkus.management.port=" + management);
            String notReady = awaitReadiness(management, 503).replaceAll("\\s", "");
            assertTrue(notReady.contains("\"pendingchangesets\":"), notReady);
            assertTrue(notReady.contains("0000-drift-before-migration.yaml::0000-drift-before-migration"), notReady);

            Path migrationLog = File.createTempFile("migration-step-job", ".log").toPath();
            Process migration = start(server, database, migrationLog, Map.of("QUARKUS_INIT_AND_EXIT", "true"),
                    "-Dquarkus.http.port=" + PackagedJar.freePort(), "-Dquarkus.management.port=" + PackagedJar.freePort());
            assertTrue(migration.waitFor(120, TimeUnit.SECONDS), "the migration step ends by itself");
            assertEquals(0, migration.exitValue(), () -> "the migration step failed: " + PackagedJar.read(migrationLog));

            String ready = awaitReadiness(management, 200).replaceAll("\\s", "");
            assertTrue(ready.contains("\"name\":\"Databaseschema\",\"status\":\"UP\""), ready);
            assertEquals(200, http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/tasks?size=1"))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode());
            assertTrue(PackagedJar.read(serviceLog).contains("not applied yet"), "the instance logged why it was not ready");
            assertTrue(!PackagedJar.read(serviceLog).contains("liquibase.changelog"), "the instance itself applied nothing");
        } finally {
            stopAll();
            server.dropDatabase(database);
        }
    }

    @Test
    void schemaValidationStillRunsWithoutTheBlockingPersistenceUnit() throws Exception {
        TestDatabase server = TestDatabase.Resource.database();
        String database = server.createDatabase("migvalid");
        try {
            Path migrationLog = File.createTempFile("migration-validate-job", ".log").toPath();
            Process migration = start(server, database, migrationLog, Map.of("QUARKUS_INIT_AND_EXIT", "true"),
                    "-Dquarkus.http.port=" + PackagedJar.freePort(), "-Dquarkus.management.port=" + PackagedJar.freePort());
            assertTrue(migration.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, migration.exitValue(), () -> PackagedJar.read(migrationLog));
            try (Connection c = server.connect(database); Statement s = c.createStatement()) {
                s.execute("ALTER TABLE tasks RENAME COLUMN title TO heading");
            }
            Path log = File.createTempFile("migration-validate-service", ".log").toPath();
            Process service = start(server, database, log, Map.of("QUARKUS_LIQUIBASE_MIGRATE_AT_START", "false",
                    "QUARKUS_HIBERNATE_ORM_SCHEMA_MANAGEMENT_STRATEGY", "validate"),
                    "-Dquarkus.http.port=" + PackagedJar.freePort(), "-Dquarkus.management.port=" + PackagedJar.freePort());
            assertTrue(service.waitFor(120, TimeUnit.SECONDS), "the instance gave up starting");
            assertNotEquals(0, service.exitValue());
            assertTrue(PackagedJar.read(log).contains("Schema validation: missing column [title] in table [tasks]"), PackagedJar.read(log));
        } finally {
            stopAll();
            server.dropDatabase(database);
        }
    }

    private Process start(TestDatabase server, String database, Path log, Map<String, String> environment,
            String... options) throws IOException {
        Process process = PackagedJar.start(server, database, log, environment, options);
        processes.add(process);
        return process;
    }

    /** Polls the readiness endpoint for at most 90 s until it answers the given status; answers the body. */
    private String awaitReadiness(int management, int status) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management + "/q/health/ready"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
                last = answer.statusCode() + " " + answer.body();
                if (answer.statusCode() == status) {
                    return answer.body();
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("readiness never answered " + status + "; last: " + last);
    }

    private void stopAll() throws InterruptedException {
        PackagedJar.stop(processes);
        processes.clear();
    }
}
