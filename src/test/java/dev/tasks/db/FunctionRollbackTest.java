package dev.tasks.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import liquibase.Scope;
import liquibase.command.CommandScope;
import liquibase.command.core.RollbackCountCommandStep;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.helpers.DatabaseChangelogCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.resource.DirectoryResourceAccessor;

/**
 * Function changesets in operation, driven through Liquibase's own commands (update, rollback-count) as
 * the CLI runs them, on a copy of the changelogs in which one function file was edited: the edit re-runs
 * that changeset, and rolling it back must leave every write working, because its rollback never drops a
 * function a trigger or another function uses. Rolling forward again applies the file once more.
 */
@QuarkusTest
class FunctionRollbackTest {

    static final String GENERATOR = "tracking_generate.sql";
    static final String REGENERATION = "9998-tracked-tables-follow-the-generator";

    Scratch scratch;
    Path copy;

    @BeforeEach
    void setUp() throws IOException, URISyntaxException {
        scratch = new Scratch();
        copy = Files.createTempDirectory("changelogs");
        Path db = Path.of(getClass().getClassLoader().getResource(Scratch.MASTER).toURI()).getParent().getParent();
        try (Stream<Path> files = Files.walk(db)) {
            for (Path source : files.toList()) {
                Path target = copy.resolve("db").resolve(db.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        scratch.close();
        try (Stream<Path> files = Files.walk(copy)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    static Stream<String> functionFiles() throws IOException, URISyntaxException {
        Path functions = Path.of(FunctionRollbackTest.class.getClassLoader().getResource("db/functions").toURI());
        try (Stream<Path> list = Files.list(functions)) {
            return list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sql")).sorted().toList().stream();
        }
    }

    /** Runs a Liquibase command by name against the copy of the changelogs, as the configured login. */
    void liquibase(String[] command, String url, Map<String, Object> arguments) throws Exception {
        Scope.child(Scope.Attr.resourceAccessor.name(), new DirectoryResourceAccessor(copy), () -> {
            CommandScope scope = new CommandScope(command)
                    .addArgumentValue(DbUrlConnectionArgumentsCommandStep.URL_ARG, url)
                    .addArgumentValue(DbUrlConnectionArgumentsCommandStep.USERNAME_ARG,
                            Scratch.server().user())
                    .addArgumentValue(DbUrlConnectionArgumentsCommandStep.PASSWORD_ARG, Scratch.server().password())
                    .addArgumentValue(DatabaseChangelogCommandStep.CHANGELOG_FILE_ARG, Scratch.MASTER);
            arguments.forEach(scope::addArgumentValue);
            scope.execute();
        });
    }

    void update(String url) throws Exception {
        liquibase(UpdateCommandStep.COMMAND_NAME, url, Map.of());
    }

    void rollbackCount(String url, int count) throws Exception {
        liquibase(RollbackCountCommandStep.COMMAND_NAME, url, Map.of(RollbackCountCommandStep.COUNT_ARG.getName(), count));
    }

    /** Edits the body of a function file: one comment line after the opening dollar quote. */
    void edit(String file) throws IOException {
        Path path = copy.resolve("db/functions").resolve(file);
        String sql = Files.readString(path);
        String edited = sql.replaceFirst("AS \\$\\$", "AS \\$\\$\n    -- revision 2");
        assertNotEquals(sql, edited, file + " has no AS $$ body");
        Files.writeString(path, edited);
    }

    /** Inserts, changes and deletes a task with plain SQL; every step must be stamped and audited. */
    static void writesWork(String url) throws SQLException {
        try (Connection c = Scratch.connect(url)) {
            Map<String, Object> inserted = Sql.rows(c, "INSERT INTO tasks (title) VALUES ('probe') RETURNING id, updated_at").get(0);
            Object id = inserted.get("id");
            Map<String, Object> updated = Sql.rows(c, "UPDATE tasks SET title = 'probed' WHERE id = ? RETURNING updated_at", id).get(0);
            assertTrue(((Timestamp) updated.get("updated_at")).after((Timestamp) inserted.get("updated_at")), "updated_at did not move");
            Sql.rows(c, "DELETE FROM tasks WHERE id = ? RETURNING id", id);
            List<Map<String, Object>> audit = Sql.rows(c, "SELECT operation FROM audit_log WHERE row_id = ? ORDER BY id", id.toString());
            assertEquals(List.of("INSERT", "UPDATE", "DELETE"), audit.stream().map(r -> r.get("operation")).toList());
        }
    }

    static List<String> drift(String url) throws SQLException {
        try (Connection c = Scratch.connect(url)) {
            return Sql.rows(c, "SELECT object || ': ' || problem AS p FROM tracking_check() WHERE problem IS NOT NULL").stream()
                    .map(r -> (String) r.get("p")).toList();
        }
    }

    static List<String> reRan(String url) throws SQLException {
        try (Connection c = Scratch.connect(url)) {
            // The note taken before every migration (0000-drift-before-migration) runs always and changes nothing.
            return Sql.rows(c, "SELECT id FROM databasechangelog WHERE exectype = 'RERAN' "
                    + "AND id <> '0000-drift-before-migration' ORDER BY orderexecuted").stream()
                    .map(r -> (String) r.get("id")).toList();
        }
    }

    /** The body hashes of every function of the schema. */
    static String bodies(String url) throws SQLException {
        try (Connection c = Scratch.connect(url)) {
            return (String) Sql.rows(c, "SELECT string_agg(md5(prosrc), ',' ORDER BY oid) AS b FROM pg_proc "
                    + "WHERE pronamespace = 'public'::regnamespace").get(0).get("b");
        }
    }

    @ParameterizedTest
    @MethodSource("functionFiles")
    void rollbackCountAfterARerunOfAFunctionChangesetLeavesWritesWorking(String file) throws Exception {
        String url = scratch.database("fnrb");
        update(url);
        edit(file);
        update(url);
        List<String> reRan = reRan(url);
        // The generator's file re-runs the regeneration of the tracked tables too (9998), and only it does.
        int expected = GENERATOR.equals(file) ? 3 : 2;
        assertEquals(expected, reRan.size(), () -> "expected the edited changeset and the recording to re-run: " + reRan);
        assertEquals(GENERATOR.equals(file), reRan.contains(REGENERATION), reRan::toString);
        assertEquals("9999-record-tracking", reRan.get(expected - 1));
        String edited = bodies(url);

        // The newest changeset is the recording: rolling it back changes nothing.
        rollbackCount(url, 1);
        writesWork(url);
        assertEquals(List.of(), drift(url));

        // Then the re-run function changeset itself (and the regeneration, for the generator): the function
        // stays as the edit left it.
        rollbackCount(url, expected - 1);
        writesWork(url);
        assertEquals(edited, bodies(url));
        assertEquals(List.of(), drift(url));

        // Roll forward: both changesets run again and the record follows.
        update(url);
        writesWork(url);
        assertEquals(List.of(), drift(url));
    }

    /**
     * An edit of the generator reaches every tracked table by itself, with no changeset written for it: the
     * migration that brings the new generator regenerates tasks and a table tracked by hand alike.
     */
    @Test
    void anEditOfTheGeneratorRegeneratesEveryTrackedTable() throws Exception {
        String url = scratch.database("regen");
        update(url);
        try (Connection c = Scratch.connect(url)) {
            c.createStatement().execute("CREATE TABLE notes (id bigint PRIMARY KEY, body text, created_at timestamptz, "
                    + "updated_at timestamptz, field_updated_at jsonb NOT NULL DEFAULT '{}')");
            c.createStatement().execute("SELECT enable_tracking('notes')");
        }
        String generated = "SELECT string_agg(proname, ', ' ORDER BY proname) AS names FROM pg_proc "
                + "WHERE pronamespace = 'public'::regnamespace AND proname LIKE '%\\_tracking\\_%' AND prosrc LIKE ?";
        String all = "notes_tracking_audit, notes_tracking_before, tasks_tracking_audit, tasks_tracking_before";
        try (Connection c = Scratch.connect(url)) {
            assertEquals(all, Sql.rows(c, generated, "%-- Generated by tracking_generate() for%").get(0).get("names"));
        }
        Path file = copy.resolve("db/functions").resolve(GENERATOR);
        String sql = Files.readString(file);
        String edited = sql.replace("-- Generated by tracking_generate() for", "-- Generated by tracking_generate(), revision 2, for");
        assertNotEquals(sql, edited);
        Files.writeString(file, edited);

        update(url);
        assertEquals(List.of("0002-function-tracking-generate", REGENERATION, "9999-record-tracking"), reRan(url));
        try (Connection c = Scratch.connect(url)) {
            assertEquals(all, Sql.rows(c, generated, "%-- Generated by tracking_generate(), revision 2, for%").get(0).get("names"));
            Map<String, Object> note = Sql.rows(c, "INSERT INTO notes (id, body) VALUES (900001, 'x') RETURNING created_at, updated_at").get(0);
            assertTrue(note.get("created_at") != null && note.get("created_at").equals(note.get("updated_at")), note::toString);
        }
        writesWork(url);
        assertEquals(List.of(), drift(url));

        // A migration with no edit of the generator regenerates nothing.
        String ran = "SELECT orderexecuted FROM databasechangelog WHERE id = '" + REGENERATION + "'";
        Object before;
        try (Connection c = Scratch.connect(url)) {
            before = Sql.rows(c, ran).get(0).get("orderexecuted");
        }
        update(url);
        try (Connection c = Scratch.connect(url)) {
            assertEquals(before, Sql.rows(c, ran).get(0).get("orderexecuted"));
        }
    }

    @Test
    void neitherAStartNorAMigrationRecordsAHandChange() throws Exception {
        String url = scratch.database("norec");
        update(url);
        try (Connection c = Scratch.connect(url)) {
            c.createStatement().execute("ALTER TABLE tasks DISABLE TRIGGER USER");
        }
        update(url);
        List<String> drift = drift(url);
        assertTrue(drift.size() >= 3, () -> "a start recorded the disabled triggers: " + drift);
        // Nor does a migration that runs something: it records what it changed, and what was changed by
        // hand before it stays reported, until the owner accepts it.
        edit("next_row_time.sql");
        update(url);
        assertEquals(drift, drift(url));
        try (Connection c = Scratch.connect(url)) {
            c.createStatement().execute("SELECT tracking_record()");
        }
        assertEquals(List.of(), drift(url));
    }
}
