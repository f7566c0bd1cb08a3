package dev.tasks.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.tasks.config.JacksonConfig;
import dev.tasks.db.Sql;
import dev.tasks.feed.Mirror;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

@QuarkusTest
class TaskResourceTest {

    static final String TIME = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}Z";

    @Inject
    Sql sql;

    static JsonPath create(String title, boolean done) {
        return given().contentType(ContentType.JSON).body(Map.of("title", title, "done", done))
                .when().post("/tasks")
                .then().statusCode(201).extract().jsonPath();
    }

    long taskCount() {
        return sql.value("SELECT count(*) FROM tasks", Long.class);
    }

    @Test
    void createAnswers201WithLocationAndTheStoredRow() {
        var response = given().contentType(ContentType.JSON).body("{\"title\":\"Write the README\"}")
                .when().post("/tasks")
                .then().statusCode(201)
                .contentType(ContentType.JSON)
                .header("Location", matchesPattern(".*/tasks/\\d+"))
                .body("title", equalTo("Write the README"))
                .body("done", equalTo(false))
                .body("createdAt", matchesPattern(TIME))
                .body("updatedAt", matchesPattern(TIME))
                .extract();
        long id = response.jsonPath().getLong("id");
        assertTrue(response.header("Location").endsWith("/tasks/" + id));

        Map<String, Object> row = sql.row("SELECT title, done, created_at, updated_at FROM tasks WHERE id = ?", id);
        assertEquals("Write the README", row.get("title"));
        assertEquals(false, row.get("done"));
        assertEquals(response.jsonPath().getString("createdAt"), JacksonConfig.format(sql.value(
                "SELECT created_at FROM tasks WHERE id = ?", OffsetDateTime.class, id)));
        assertEquals(response.jsonPath().getString("updatedAt"), JacksonConfig.format(sql.value(
                "SELECT updated_at FROM tasks WHERE id = ?", OffsetDateTime.class, id)));
    }

    @Test
    void createAcceptsTheSeedPathWithTrailingSlash() {
        given().contentType(ContentType.JSON).body("{\"title\":\"seed path\",\"done\":true}")
                .when().post("/tasks/")
                .then().statusCode(201)
                .body("title", equalTo("seed path"))
                .body("done", equalTo(true));
    }

    @Test
    void getReturnsTheTaskAndUnknownIdIs404Problem() {
        long id = create("read me", false).getLong("id");
        given().when().get("/tasks/{id}", id)
                .then().statusCode(200)
                .body("id", equalTo((int) id))
                .body("title", equalTo("read me"));

        given().when().get("/tasks/{id}", Long.MAX_VALUE)
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("title", equalTo("Not Found"))
                .body("detail", containsString(String.valueOf(Long.MAX_VALUE)))
                .body("instance", equalTo("/tasks/" + Long.MAX_VALUE));
    }

    /**
     * The write answers a task from the entity Hibernate read back, the read and the list from the row the
     * SQL client read, the history from the audit trail's copy: a client sees the same bytes on each.
     */
    @Test
    void everyRouteWritesATaskAsTheSameBytes() throws InterruptedException {
        String cursor = Mirror.drain(null, new ArrayList<>());
        String title = "same bytes \"quoted\" \u00e9\u4e2d \\ end";
        String created = given().contentType(ContentType.JSON)
                .body(Map.of("title", title, "done", true))
                .when().post("/tasks").then().statusCode(201).extract().asString();
        long id = JsonPath.from(created).getLong("id");
        assertEquals(title, JsonPath.from(created).getString("title"));

        String read = given().when().get("/tasks/{id}", id).then().statusCode(200).extract().asString();
        assertEquals(created, read);
        String page = given().queryParam("size", 500).when().get("/tasks").then().statusCode(200).extract().asString();
        assertTrue(page.contains(created), () -> "the list holds " + created + ": " + page);
        String asOf = given().queryParam("asOf", JsonPath.from(created).getString("updatedAt"))
                .when().get("/tasks/{id}", id).then().statusCode(200).extract().asString();
        assertEquals(created, asOf);
        String feed = "";
        for (int attempt = 0; attempt < 100 && !feed.contains("\"taskId\":" + id + ","); attempt++) {
            Thread.sleep(attempt == 0 ? 0 : 50);
            feed = given().queryParam("after", cursor).queryParam("limit", 1000)
                    .when().get("/tasks/changes").then().statusCode(200).extract().asString();
        }
        assertTrue(feed.contains("\"row\":" + created + "}"), "the change feed's row: " + feed);
        // And the stored map as PostgreSQL writes it out.
        String stored = sql.value("SELECT field_updated_at::text FROM tasks WHERE id = " + id, String.class);
        assertTrue(created.contains("\"fieldUpdatedAt\":" + stored + "}"), () -> created + " carries " + stored);
    }

    @Test
    void updateByPutAndByPostReplaceTitleAndDoneAndReturnTheDatabaseTimes() {
        var created = create("before", false);
        long id = created.getLong("id");

        var put = given().contentType(ContentType.JSON).body("{\"title\":\"after put\",\"done\":true}")
                .when().put("/tasks/{id}", id)
                .then().statusCode(200)
                .body("title", equalTo("after put"))
                .body("done", equalTo(true))
                .body("createdAt", equalTo(created.getString("createdAt")))
                .extract().jsonPath();
        OffsetDateTime createdAt = OffsetDateTime.parse(put.getString("createdAt"));
        OffsetDateTime updatedAt = OffsetDateTime.parse(put.getString("updatedAt"));
        assertTrue(updatedAt.isAfter(createdAt), "updatedAt moves past createdAt");
        // The response carries the very value the trigger stored, to the microsecond.
        assertEquals(put.getString("updatedAt"), JacksonConfig.format(sql.value(
                "SELECT updated_at FROM tasks WHERE id = ?", OffsetDateTime.class, id)));

        given().contentType(ContentType.JSON).body("{\"title\":\"after post\",\"done\":false}")
                .when().post("/tasks/{id}", id)
                .then().statusCode(200)
                .body("title", equalTo("after post"))
                .body("done", equalTo(false));
        assertEquals("after post", sql.value("SELECT title FROM tasks WHERE id = ?", String.class, id));
    }

    @Test
    void putAcceptsWhatGetReturned() {
        long id = create("round trip", true).getLong("id");
        String body = given().when().get("/tasks/{id}", id).then().statusCode(200).extract().asString();
        String edited = body.replace("round trip", "round trip edited");
        given().contentType(ContentType.JSON).body(edited)
                .when().put("/tasks/{id}", id)
                .then().statusCode(200)
                .body("title", equalTo("round trip edited"))
                .body("done", equalTo(true));
    }

    @Test
    void patchChangesOnlyTheFieldsSent() {
        long id = create("patch me", false).getLong("id");
        given().contentType("application/merge-patch+json").body("{\"done\":true}")
                .when().patch("/tasks/{id}", id)
                .then().statusCode(200)
                .body("title", equalTo("patch me"))
                .body("done", equalTo(true));
        given().contentType("application/merge-patch+json").body("{\"title\":\"patched\"}")
                .when().patch("/tasks/{id}", id)
                .then().statusCode(200)
                .body("title", equalTo("patched"))
                .body("done", equalTo(true));
        Map<String, Object> row = sql.row("SELECT title, done FROM tasks WHERE id = ?", id);
        assertEquals("patched", row.get("title"));
        assertEquals(true, row.get("done"));
    }

    @Test
    void patchWithNullForARequiredFieldIs400AndWritesNothing() {
        long id = create("keep me", false).getLong("id");
        given().contentType("application/merge-patch+json").body("{\"title\":null}")
                .when().patch("/tasks/{id}", id)
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("title"));
        assertEquals("keep me", sql.value("SELECT title FROM tasks WHERE id = ?", String.class, id));
    }

    @Test
    void patchWithPlainJsonContentTypeIs415() {
        long id = create("media", false).getLong("id");
        given().contentType(ContentType.JSON).body("{\"done\":true}")
                .when().patch("/tasks/{id}", id)
                .then().statusCode(415)
                .contentType("application/problem+json")
                .body("status", equalTo(415));
    }

    @Test
    void deleteAnswers204ThenTheTaskIsGone() {
        long id = create("delete me", false).getLong("id");
        given().when().delete("/tasks/{id}", id).then().statusCode(204);
        assertEquals(0L, sql.value("SELECT count(*) FROM tasks WHERE id = ?", Long.class, id));
        given().when().delete("/tasks/{id}", id)
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void updatesOfAnUnknownIdAre404() {
        given().contentType(ContentType.JSON).body("{\"title\":\"x\"}")
                .when().put("/tasks/{id}", Long.MAX_VALUE - 1)
                .then().statusCode(404).contentType("application/problem+json");
        given().contentType("application/merge-patch+json").body("{\"title\":\"x\"}")
                .when().patch("/tasks/{id}", Long.MAX_VALUE - 1)
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void listIsPagedMostRecentlyUpdatedFirstAndFiltersOnDone() {
        long first = create("list one", true).getLong("id");
        long second = create("list two", true).getLong("id");
        // Touch the first so it becomes the most recently updated.
        given().contentType("application/merge-patch+json").body("{\"title\":\"list one touched\"}")
                .when().patch("/tasks/{id}", first).then().statusCode(200);

        var page = given().queryParam("done", true).queryParam("size", 2)
                .when().get("/tasks")
                .then().statusCode(200)
                .body("page", equalTo(0))
                .body("size", equalTo(2))
                .body("items", hasSize(2))
                .extract().jsonPath();
        assertEquals(first, page.getLong("items[0].id"));
        assertEquals(second, page.getLong("items[1].id"));
        assertTrue(page.getList("items.done").stream().allMatch(Boolean.TRUE::equals));

        long doneCount = sql.value("SELECT count(*) FROM tasks WHERE done", Long.class);
        given().queryParam("done", true).queryParam("size", 500)
                .when().get("/tasks")
                .then().statusCode(200)
                .body("items.size()", equalTo((int) Math.min(doneCount, 500)))
                .body("hasNext", equalTo(doneCount > 500));
    }

    /**
     * JAX-RS alone would answer these with a 404, as if the resource did not exist. Digits of other scripts
     * (Arabic-Indic two, full-width three) are not the document's integers either.
     */
    @ParameterizedTest
    @CsvSource({ "/tasks?size=abc, size, must be a whole number", "/tasks?page=1.5, page, must be a whole number",
            "/tasks?page=99999999999, page, is out of range", "/tasks/changes?limit=ten, limit, must be a whole number",
            "/tasks?size=%D9%A2, size, must be a whole number", "/tasks/changes?limit=%EF%BC%93, limit, must be a whole number" })
    void pagingThatIsNotANumberIs400NamingTheParameter(String path, String parameter, String message) {
        given().urlEncodingEnabled(false).when().get(path)
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:tasks:problem:validation"))
                .body("detail", equalTo(parameter + " " + message))
                .body("errors[0].field", equalTo(parameter))
                .body("errors[0].message", equalTo(message));
    }

    @ParameterizedTest
    @ValueSource(strings = { "size=0", "size=501", "page=-1" })
    void listRejectsOutOfRangePaging(String query) {
        given().when().get("/tasks?" + query)
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo(query.substring(0, query.indexOf('='))));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"title\":\"\"}",
            "{\"title\":\"   \"}",
            "{\"done\":true}",
            "{\"title\":null}",
            "{\"title\":123}",
            "{\"title\":\"x\",\"done\":\"maybe\"}",
            "{\"title\":\"x\",\"done\":1}",
            "{\"title\":\"x\",\"done\":\"true\"}",
            "{\"title\":\"x\",\"priority\":3}",
            "{\"title\":[\"x\"]}",
            "{\"title\":{\"a\":1}}",
    })
    void createRejectsInvalidBodiesNamingTheFieldAndWritesNothing(String body) {
        long before = taskCount();
        var problem = given().contentType(ContentType.JSON).body(body)
                .when().post("/tasks")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("title", equalTo("Bad Request"))
                .body("type", notNullValue())
                .body("instance", equalTo("/tasks"))
                .body("errors", notNullValue())
                .extract().jsonPath();
        String field = problem.getString("errors[0].field");
        assertTrue(body.contains("priority") ? field.equals("priority")
                : body.contains("done\":") && !body.contains("\"title\":\"\"") && !body.contains("   ")
                        && body.contains("title\":\"x") ? field.equals("done") : field.equals("title"),
                () -> "field named for " + body + ": " + field);
        assertEquals(before, taskCount());
    }

    @Test
    void titleOver500CharactersIsRejectedAnd500IsAccepted() {
        given().contentType(ContentType.JSON).body(Map.of("title", "x".repeat(501)))
                .when().post("/tasks")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("title")).body("errors[0].message", equalTo("must be 1 to 500 characters"));
        long id = given().contentType(ContentType.JSON).body(Map.of("title", "short"))
                .when().post("/tasks").then().statusCode(201).extract().jsonPath().getLong("id");
        given().contentType("application/merge-patch+json").body(Map.of("title", "x".repeat(501)))
                .when().patch("/tasks/{id}", id)
                .then().statusCode(400).body("detail", equalTo("title must be 1 to 500 characters"));
        given().contentType(ContentType.JSON).body(Map.of("title", "x".repeat(500)))
                .when().post("/tasks")
                .then().statusCode(201).body("title.length()", equalTo(500));
    }

    @Test
    void titleLengthCountsCharactersNotUtf16Units() {
        String emoji = "\uD83D\uDE80".repeat(500);
        given().contentType(ContentType.JSON).body(Map.of("title", emoji))
                .when().post("/tasks")
                .then().statusCode(201).body("title", equalTo(emoji));
        given().contentType(ContentType.JSON).body(Map.of("title", emoji + "x"))
                .when().post("/tasks")
                .then().statusCode(400).body("errors[0].field", equalTo("title"));
    }

    @Test
    void nulCharacterInTitleIs400NotADatabaseError() {
        long before = taskCount();
        given().contentType(ContentType.JSON).body("{\"title\":\"a\\u0000b\"}")
                .when().post("/tasks")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("title"))
                .body("errors[0].message", equalTo("must not contain control characters or unpaired surrogates"));
        long id = create("nul patch", false).getLong("id");
        given().contentType("application/merge-patch+json").body("{\"title\":\"\\u0000\"}")
                .when().patch("/tasks/{id}", id)
                .then().statusCode(400).contentType("application/problem+json");
        assertEquals(before + 1, taskCount());
    }

    @Test
    void truncatedJsonGetsTheSameProblemAsOtherMalformedBodies() {
        given().contentType(ContentType.JSON).body("{\"title\":\"x\"")
                .when().post("/tasks")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:tasks:problem:validation"))
                .body("detail", equalTo("The request body is not a JSON object of the expected shape."));
    }

    /** Cut off inside a value, or a bad token in one: the body is at fault, not the field. */
    @ParameterizedTest
    @ValueSource(strings = { "{\"title\":\"cut", "{\"title\":\"x\",\"done\":tr", "{\"title\":\"x\",\"done\":yes}" })
    void jsonBrokenInsideAValueIsNotBlamedOnTheField(String body) {
        long before = taskCount();
        given().contentType(ContentType.JSON).body(body)
                .when().post("/tasks")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:tasks:problem:validation"))
                .body("detail", equalTo("The request body is not a JSON object of the expected shape."))
                .body("errors", nullValue());
        long id = create("broken patch", false).getLong("id");
        given().contentType("application/merge-patch+json").body(body)
                .when().patch("/tasks/{id}", id)
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("The request body is not a JSON object of the expected shape."))
                .body("errors", nullValue());
        assertEquals(before + 1, taskCount());
    }

    /** A field named twice is refused by name, on every write, and changes nothing. */
    @Test
    void aFieldNamedTwiceIsRefusedNotReadAsItsLastValue() {
        long before = taskCount();
        given().contentType(ContentType.JSON).body("{\"title\":\"first\",\"title\":\"second\"}")
                .when().post("/tasks")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:tasks:problem:validation"))
                .body("detail", equalTo("title is named more than once"))
                .body("errors[0].field", equalTo("title"))
                .body("errors[0].message", equalTo("is named more than once"));
        assertEquals(before, taskCount());

        var task = create("named once", false);
        long id = task.getLong("id");
        given().contentType("application/merge-patch+json").body("{\"done\":true,\"done\":false}")
                .when().patch("/tasks/{id}", id)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("done"));
        given().contentType(ContentType.JSON).body("{\"title\":\"a\",\"done\":true,\"title\":\"b\"}")
                .when().put("/tasks/{id}", id)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("title"));
        assertEquals("named once", sql.value("SELECT title FROM tasks WHERE id = ?", String.class, id));
        assertEquals(false, sql.value("SELECT done FROM tasks WHERE id = ?", Boolean.class, id));
        assertEquals(task.getString("updatedAt"),
                given().when().get("/tasks/{id}", id).then().statusCode(200).extract().path("updatedAt"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"title\":", "not json", "[]", "\"just a string\"", "" })
    void malformedJsonIs400Problem(String body) {
        long before = taskCount();
        given().contentType(ContentType.JSON).body(body)
                .when().post("/tasks")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("detail", notNullValue());
        assertEquals(before, taskCount());
    }

    @Test
    void readOnlyFieldsSentByTheClientAreIgnored() {
        var response = given().contentType(ContentType.JSON)
                .body("{\"id\":424242,\"title\":\"forged\",\"createdAt\":\"2000-01-01T00:00:00.000000Z\","
                        + "\"updatedAt\":\"2999-01-01T00:00:00.000000Z\"}")
                .when().post("/tasks")
                .then().statusCode(201)
                .body("createdAt", matchesPattern("20[2-9]\\d-.*"))
                .extract().jsonPath();
        long id = response.getLong("id");
        assertTrue(id != 424242L || sql.value("SELECT count(*) FROM tasks WHERE id = 424242", Long.class) == 1);
        OffsetDateTime created = OffsetDateTime.parse(response.getString("createdAt"));
        assertTrue(created.getYear() > 2000 && created.getYear() < 2999);
    }

    @Test
    void requestIdIsEchoedOrGenerated() {
        given().header("X-Request-Id", "abc-123").when().get("/tasks")
                .then().statusCode(200).header("X-Request-Id", equalTo("abc-123"));
        given().header("X-Request-Id", "bad id with spaces").when().get("/tasks")
                .then().statusCode(200).header("X-Request-Id", matchesPattern("[0-9a-f-]{36}"));
        given().when().get("/tasks")
                .then().statusCode(200).header("X-Request-Id", matchesPattern("[0-9a-f-]{36}"));
    }

    @Test
    void unknownRouteAndWrongMethodAreProblems() {
        given().when().get("/nope")
                .then().statusCode(404).contentType("application/problem+json")
                .body("status", equalTo(404)).body("instance", equalTo("/nope"));
        given().when().delete("/tasks")
                .then().statusCode(405).contentType("application/problem+json")
                .body("status", equalTo(405));
        given().contentType(ContentType.TEXT).body("title=x")
                .when().post("/tasks")
                .then().statusCode(415).contentType("application/problem+json");
        given().when().get("/tasks/abc")
                .then().statusCode(404).contentType("application/problem+json")
                .body("errors", nullValue());
    }
}
