package dev.tasks.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.tasks.health.DeclaredSchema.ExpectedTrigger;
import liquibase.Scope;
import liquibase.change.core.DropTableChange;
import liquibase.change.core.RawSQLChange;
import liquibase.change.core.SQLFileChange;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.ClassLoaderResourceAccessor;

/** How the readiness check derives expected functions and triggers from changelogs, without a database. */
class DeclaredSchemaTest {

    static final String MASTER = "db/changelog/db.changelog-master.yaml";
    static final String CHANGES = "db/changelog/changes/";

    static DatabaseChangeLog changelog(ChangeSet... changeSets) {
        DatabaseChangeLog changelog = new DatabaseChangeLog(MASTER);
        for (ChangeSet changeSet : changeSets) {
            changelog.addChangeSet(changeSet);
        }
        return changelog;
    }

    static ChangeSet changeSet(String file, liquibase.change.Change... changes) {
        ChangeSet changeSet = new ChangeSet(file, "test", false, false, CHANGES + file, null, null, null);
        for (liquibase.change.Change change : changes) {
            changeSet.addChange(change);
        }
        return changeSet;
    }

    static SQLFileChange sqlFile(String relativePath) {
        SQLFileChange change = new SQLFileChange();
        change.setPath(relativePath);
        change.setRelativeToChangelogFile(true);
        return change;
    }

    static String definition(ExpectedTrigger trigger) {
        return trigger.kind().definition("public." + trigger.table(), "id");
    }

    @Test
    void enableCallsOfEveryKnownKindExpectTheTriggerTheirFunctionCreates() {
        DeclaredSchema schema = DeclaredSchema.from(changelog(
                changeSet("0003-a.yaml", new RawSQLChange("SELECT enable_timestamps('tasks')")),
                changeSet("0005-b.yaml", new RawSQLChange("select enable_field_times('public.tasks'::regclass);\n"
                        + "SELECT enable_audit('tasks')"))), path -> null);

        // Timestamps and per-field times share one generated BEFORE trigger.
        assertEquals(List.of(
                "CREATE TRIGGER zz_10_timestamps BEFORE INSERT OR UPDATE ON public.tasks FOR EACH ROW EXECUTE FUNCTION tasks_tracking_before()",
                "CREATE TRIGGER zz_90_audit AFTER INSERT OR DELETE OR UPDATE ON public.tasks FOR EACH ROW EXECUTE FUNCTION tasks_tracking_audit()"),
                schema.triggers().stream().map(DeclaredSchemaTest::definition).toList());
        assertEquals(List.of("tasks"), schema.tables());
        assertTrue(schema.unknownKinds().isEmpty());
    }

    @Test
    void laterChangeSetsWithdrawTriggersTheyDropOrDisable() {
        DeclaredSchema schema = DeclaredSchema.from(changelog(
                changeSet("0003.yaml", new RawSQLChange("SELECT enable_timestamps('tasks'); SELECT enable_audit('tasks');"
                        + " SELECT enable_timestamps('notes'); SELECT enable_audit('labels')")),
                changeSet("0004.yaml", new RawSQLChange("DROP TRIGGER IF EXISTS zz_10_timestamps ON public.tasks")),
                changeSet("0005.yaml", new RawSQLChange("SELECT disable_audit('tasks')")),
                changeSet("0006.yaml", dropTable("notes"))), path -> null);

        assertEquals(List.of("zz_90_audit on labels"), schema.triggers().stream().map(ExpectedTrigger::label).toList());
    }

    static DropTableChange dropTable(String table) {
        DropTableChange drop = new DropTableChange();
        drop.setTableName(table);
        return drop;
    }

    @Test
    void anEnableCallOfAnUnknownKindIsReportedNotIgnored() {
        DeclaredSchema schema = DeclaredSchema.from(changelog(
                changeSet("0007.yaml", new RawSQLChange("SELECT enable_soft_delete('tasks')"))), path -> null);
        assertEquals(List.of("enable_soft_delete('tasks')"), schema.unknownKinds());
        assertTrue(schema.triggers().isEmpty());
    }

    @Test
    void functionFilesResolveRelativeToTheirChangelogAndLaterDropsWithdrawThem() {
        Map<String, String> files = Map.of(
                "db/functions/set_things.sql", "-- comment\nCREATE OR REPLACE FUNCTION set_things() RETURNS trigger\n"
                        + "LANGUAGE plpgsql AS $$\nBEGIN RETURN NEW; END\n$$;\n",
                "db/functions/old_thing.sql", "CREATE OR REPLACE FUNCTION old_thing(a int) RETURNS int LANGUAGE sql AS $f$ SELECT a $f$");
        DeclaredSchema schema = DeclaredSchema.from(changelog(
                changeSet("0002.yaml", sqlFile("../../functions/set_things.sql"), sqlFile("../../functions/old_thing.sql")),
                changeSet("0009.yaml", new RawSQLChange("DROP FUNCTION IF EXISTS old_thing(int)"))), files::get);

        assertEquals(Set.of("set_things"), schema.functions().keySet());
        FunctionFile function = schema.functions().get("set_things");
        assertEquals("db/functions/set_things.sql", function.path());
        assertEquals(FunctionFile.md5("\nBEGIN RETURN NEW; END\n"), function.bodyMd5());
    }

    @Test
    void functionFileGivesNameInputArgumentCountAndTheExactBody() {
        FunctionFile function = FunctionFile.parse("f.sql", """
                -- Not this: CREATE OR REPLACE FUNCTION decoy() in a comment.
                CREATE OR REPLACE FUNCTION public."Mixed_Case"(target regclass, amount numeric(10, 2),
                        OUT result text, VARIADIC rest int[] DEFAULT '{}') RETURNS text
                    LANGUAGE plpgsql
                AS $body$
                BEGIN
                    result := 'it costs $$ ' || amount;
                END
                $body$;
                """);
        assertEquals("Mixed_Case", function.name());
        assertEquals(3, function.arguments());
        assertEquals("Mixed_Case/3", function.signature());
        assertEquals(FunctionFile.md5("\nBEGIN\n    result := 'it costs $$ ' || amount;\nEND\n"), function.bodyMd5());
    }

    @Test
    void aFileWithTwoFunctionsOrNoBodyIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> FunctionFile.parse("two.sql",
                "CREATE FUNCTION a() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql;\n"
                        + "CREATE FUNCTION b() RETURNS int AS $$ SELECT 2 $$ LANGUAGE sql;"));
        assertThrows(IllegalArgumentException.class, () -> FunctionFile.parse("quoted.sql",
                "CREATE FUNCTION a() RETURNS int AS 'SELECT 1' LANGUAGE sql;"));
    }

    /** The real changelogs: every file under db/functions is applied by a changeset and named after its function. */
    @Test
    void theProjectsChangelogsDeclareEveryFunctionFileAndAtLeastOneTrigger() throws Exception {
        var accessor = new ClassLoaderResourceAccessor(getClass().getClassLoader());
        DatabaseChangeLog changelog = Scope.child(Map.of(Scope.Attr.resourceAccessor.name(), accessor),
                () -> ChangeLogParserFactory.getInstance().getParser(MASTER, accessor)
                        .parse(MASTER, new ChangeLogParameters(), accessor));
        DeclaredSchema schema = DeclaredSchema.from(changelog, SchemaInspector::resource);

        Set<String> files;
        try (Stream<Path> list = Files.list(Path.of("src/main/resources/db/functions"))) {
            files = list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sql"))
                    .map(n -> n.substring(0, n.length() - 4)).collect(Collectors.toSet());
        }
        assertEquals(files, schema.functions().keySet());
        schema.functions().forEach((name, function) -> assertEquals("db/functions/" + name + ".sql", function.path()));
        assertTrue(schema.triggers().stream().anyMatch(t -> t.kind() == TriggerKind.TIMESTAMPS && t.table().equals("tasks")));
        assertTrue(schema.unknownKinds().isEmpty(), () -> "teach TriggerKind about " + schema.unknownKinds());
    }

    @Test
    void relativePathsResolveLikeLiquibaseDoes() throws IOException {
        assertEquals("db/functions/x.sql", DeclaredSchema.resolve(CHANGES + "0002.yaml", "../../functions/x.sql", true));
        assertEquals("db/functions/x.sql", DeclaredSchema.resolve(CHANGES + "0002.yaml", "db/functions/x.sql", false));
        assertEquals("db/functions/x.sql", DeclaredSchema.resolve(CHANGES + "0002.yaml", "classpath:db/functions/x.sql", false));
    }
}
