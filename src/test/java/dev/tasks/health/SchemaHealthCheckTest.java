package dev.tasks.health;

import static dev.tasks.support.Management.management;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tasks.db.Sql;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The readiness probe against the real database: UP as the changelogs leave it, DOWN naming the object
 * when someone drops, disables or edits a trigger or function by hand or a changeset is not applied, and
 * UP again once it is put back. Every test repairs what it broke, and {@link #schemaIsRepaired} checks it.
 */
@QuarkusTest
class SchemaHealthCheckTest {

    static final String TRIGGER = "trigger zz_10_timestamps on tasks";
    static final String FUNCTION = "function set_timestamps/0";
    static final Path FUNCTIONS = Path.of("src/main/resources/db/functions");

    @Inject
    DataSource dataSource;

    Sql sql;

    @BeforeEach
    void setUp() {
        sql = new Sql(dataSource);
    }

    @AfterEach
    void schemaIsRepaired() {
        assertEquals("UP", schemaCheck(200).get("status"), "a test left the schema broken");
    }

    /** The "Database schema" check of /q/health/ready, expecting the given HTTP status. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> schemaCheck(int status) {
        JsonPath health = management().when().get("/q/health/ready").then().statusCode(status).extract().jsonPath();
        List<Map<String, Object>> checks = health.getList("checks");
        return checks.stream().filter(c -> SchemaHealthCheck.NAME.equals(c.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no schema check in " + health.prettify()));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> data(Map<String, Object> check) {
        return (Map<String, Object>) check.get("data");
    }

    static String functionFile(String name) {
        try {
            return Files.readString(FUNCTIONS.resolve(name + ".sql"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void asTheChangelogsLeaveItTheSchemaIsUpAndEveryFunctionAndTriggerIsChecked() throws IOException {
        Map<String, Object> check = schemaCheck(200);
        assertEquals("UP", check.get("status"));
        Map<String, Object> data = data(check);
        assertEquals(0, data.get("changesets pending"));
        assertEquals(sql.value("SELECT count(*)::int FROM databasechangelog", Integer.class), data.get("changesets applied"));
        long files;
        try (Stream<Path> list = Files.list(FUNCTIONS)) {
            files = list.filter(p -> p.toString().endsWith(".sql")).count();
        }
        assertEquals((int) files, data.get("functions checked"));
        // Every tracking trigger in the database is one the check derived from the changelogs.
        int installed = sql.value("SELECT count(*)::int FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE 'zz\\_%'",
                Integer.class);
        assertTrue(installed > 0);
        assertEquals(installed, data.get("triggers checked"));
    }

    @Test
    void droppedTriggerIsDownNamingItAndUpOnceRestored() {
        sql.update("DROP TRIGGER zz_10_timestamps ON tasks");
        try {
            Map<String, Object> check = schemaCheck(503);
            assertEquals("DOWN", check.get("status"));
            assertEquals("missing", data(check).get(TRIGGER));
        } finally {
            sql.rows("SELECT enable_timestamps('tasks')");
        }
        assertEquals("UP", schemaCheck(200).get("status"));
    }

    @Test
    void disabledTriggerIsDown() {
        sql.update("ALTER TABLE tasks DISABLE TRIGGER zz_10_timestamps");
        try {
            Map<String, Object> check = schemaCheck(503);
            assertEquals("disabled", data(check).get(TRIGGER));
        } finally {
            sql.update("ALTER TABLE tasks ENABLE TRIGGER zz_10_timestamps");
        }
        assertEquals("UP", schemaCheck(200).get("status"));
    }

    @Test
    void triggerRecreatedWithAnotherDefinitionIsDown() {
        sql.update("DROP TRIGGER zz_10_timestamps ON tasks");
        sql.update("CREATE TRIGGER zz_10_timestamps BEFORE INSERT ON tasks FOR EACH ROW EXECUTE FUNCTION set_timestamps()");
        try {
            Map<String, Object> check = schemaCheck(503);
            assertEquals("definition differs from what enable_timestamps creates", data(check).get(TRIGGER));
        } finally {
            sql.update("DROP TRIGGER IF EXISTS zz_10_timestamps ON tasks");
            sql.rows("SELECT enable_timestamps('tasks')");
        }
    }

    @Test
    void functionBodyReplacedByHandIsDownNamingItAndUpOnceReapplied() {
        String original = functionFile("set_timestamps");
        // Same behaviour, one more comment line: only the body's text differs from the file.
        String edited = original.replace("BEGIN\n", "BEGIN\n    -- edited by hand\n");
        assertTrue(!edited.equals(original));
        sql.update(edited);
        try {
            Map<String, Object> check = schemaCheck(503);
            assertEquals("DOWN", check.get("status"));
            assertEquals("body differs from db/functions/set_timestamps.sql", data(check).get(FUNCTION));
        } finally {
            sql.update(original);
        }
        assertEquals("UP", schemaCheck(200).get("status"));
    }

    @Test
    void droppedFunctionIsDown() {
        String original = functionFile("enable_timestamps");
        sql.update("DROP FUNCTION enable_timestamps(regclass)");
        try {
            assertEquals("missing", data(schemaCheck(503)).get("function enable_timestamps/1"));
        } finally {
            sql.update(original);
        }
    }

    @Test
    void changeSetMissingFromTheHistoryIsPendingAndDown() {
        Map<String, Object> last = sql.row(
                "SELECT id, author, filename FROM databasechangelog ORDER BY orderexecuted DESC LIMIT 1");
        String key = "pending " + last.get("filename") + "::" + last.get("id") + "::" + last.get("author");
        // Sql opens a connection per statement, so the saved row goes to a real table, not a temporary one.
        sql.update("DROP TABLE IF EXISTS ops_saved_history");
        sql.update("CREATE TABLE ops_saved_history AS SELECT * FROM databasechangelog WHERE id = ? AND author = ? AND filename = ?",
                last.get("id"), last.get("author"), last.get("filename"));
        sql.update("DELETE FROM databasechangelog WHERE id = ? AND author = ? AND filename = ?",
                last.get("id"), last.get("author"), last.get("filename"));
        try {
            Map<String, Object> check = schemaCheck(503);
            assertEquals(1, data(check).get("changesets pending"));
            assertEquals("not run", data(check).get(key));
        } finally {
            sql.update("INSERT INTO databasechangelog SELECT * FROM ops_saved_history");
            sql.update("DROP TABLE ops_saved_history");
        }
        assertEquals(0, data(schemaCheck(200)).get("changesets pending"));
    }

    @Test
    void livenessDoesNotDependOnTheSchema() {
        sql.update("ALTER TABLE tasks DISABLE TRIGGER zz_10_timestamps");
        try {
            management().when().get("/q/health/live").then().statusCode(200);
        } finally {
            sql.update("ALTER TABLE tasks ENABLE TRIGGER zz_10_timestamps");
        }
    }
}
