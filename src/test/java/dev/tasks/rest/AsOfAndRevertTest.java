package dev.tasks.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tasks.config.JacksonConfig;
import dev.tasks.db.Sql;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

/** A task as it was at an instant, rebuilt from its history; and putting its fields back to a version. */
@QuarkusTest
class AsOfAndRevertTest {

    @Inject
    Sql sql;

    private static ExtractableResponse<Response> create(String title) {
        return given().contentType(ContentType.JSON).body("{\"title\":\"" + title + "\"}")
                .when().post("/tasks").then().statusCode(201).extract();
    }

    private static ExtractableResponse<Response> patch(long id, String body) {
        return given().contentType("application/merge-patch+json").body(body)
                .when().patch("/tasks/{id}", id).then().statusCode(200).extract();
    }

    private static List<Map<String, Object>> history(long id) {
        return given().when().get("/tasks/{id}/history", id).then().statusCode(200).extract().jsonPath().getList("items");
    }

    private static String at(OffsetDateTime time) {
        return JacksonConfig.format(time);
    }

    private static ExtractableResponse<Response> asOf(long id, OffsetDateTime time) {
        return given().queryParam("asOf", at(time)).when().get("/tasks/{id}", id).then().extract();
    }

    @Test
    void asOfAtJustBeforeAndJustAfterEachChangeGivesTheStateAndETagOfThen() {
        ExtractableResponse<Response> created = create("first");
        long id = created.jsonPath().getLong("id");
        List<ExtractableResponse<Response>> states = new ArrayList<>(List.of(created,
                patch(id, "{\"title\":\"second\"}"), patch(id, "{\"done\":true}")));
        given().when().delete("/tasks/{id}", id).then().statusCode(204);
        List<Map<String, Object>> entries = history(id);
        assertEquals(List.of("INSERT", "UPDATE", "UPDATE", "DELETE"), entries.stream().map(e -> e.get("operation")).toList());

        for (int i = 0; i < entries.size(); i++) {
            OffsetDateTime time = OffsetDateTime.parse((String) entries.get(i).get("time"));
            // Just before a change: the state the previous change left (none before the insert).
            ExtractableResponse<Response> before = asOf(id, time.minus(1, ChronoUnit.MICROS));
            if (i == 0) {
                assertEquals(404, before.statusCode());
            } else {
                assertEquals(200, before.statusCode());
                assertEquals(states.get(i - 1).jsonPath().getMap(""), before.jsonPath().getMap(""));
                assertEquals(states.get(i - 1).header("ETag"), before.header("ETag"));
            }
            for (OffsetDateTime from : List.of(time, time.plus(1, ChronoUnit.MICROS))) {
                ExtractableResponse<Response> then = asOf(id, from);
                if (i == entries.size() - 1) {
                    assertEquals(404, then.statusCode(), "deleted at " + time);
                    assertEquals("application/problem+json", then.contentType());
                } else {
                    assertEquals(200, then.statusCode());
                    assertEquals(states.get(i).jsonPath().getMap(""), then.jsonPath().getMap(""));
                    assertEquals(states.get(i).header("ETag"), then.header("ETag"));
                    assertEquals(states.get(i).header("Last-Modified"), then.header("Last-Modified"));
                }
            }
        }
        // If-None-Match works against the ETag of then.
        OffsetDateTime second = OffsetDateTime.parse((String) entries.get(1).get("time"));
        given().queryParam("asOf", at(second)).header("If-None-Match", states.get(1).header("ETag"))
                .when().get("/tasks/{id}", id).then().statusCode(304);
    }

    @Test
    void asOfIsAnRfc3339InstantWithAnOffset() {
        long id = create("asOf input").jsonPath().getLong("id");
        // Not RFC 3339, though ISO-8601 has the last three (no seconds, a five-digit year, offset seconds).
        for (String bad : List.of("yesterday", "2026-11-21T09:05:05", "2026-13-01T00:00:00Z", "1700000000",
                "2026-11-21T09:05Z", "+10000-01-01T00:00:00Z", "2026-11-21T09:05:05+01:00:30")) {
            given().queryParam("asOf", bad).when().get("/tasks/{id}", id)
                    .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("asOf"));
        }
        // Other offsets and a lower-case separator are the same instant.
        String time = (String) history(id).get(0).get("time");
        OffsetDateTime t = OffsetDateTime.parse(time);
        DateTimeFormatter local = DateTimeFormatter.ofPattern("uuuu-MM-dd't'HH:mm:ss.SSSSSS");
        given().queryParam("asOf", local.format(t.withOffsetSameInstant(java.time.ZoneOffset.ofHours(-5))) + "-05:00")
                .when().get("/tasks/{id}", id).then().statusCode(200).body("title", equalTo("asOf input"));
        // An offset beyond Java's ±18:00 that RFC 3339 allows: the same instant, a day later in local time.
        String farEast = local.format(t.withOffsetSameInstant(java.time.ZoneOffset.UTC).plusHours(23).plusMinutes(59)) + "+23:59";
        given().queryParam("asOf", farEast)
                .when().get("/tasks/{id}", id).then().statusCode(200).body("title", equalTo("asOf input"));
    }

    @Test
    void revertPutsBackOnlyTheFieldsThatDifferAsAnAuditedWrite() {
        long id = create("original").jsonPath().getLong("id");
        patch(id, "{\"title\":\"renamed\"}");
        ExtractableResponse<Response> done = patch(id, "{\"done\":true}");
        List<Map<String, Object>> entries = history(id);
        long renamedVersion = ((Number) entries.get(1).get("version")).longValue();
        Map<String, String> timesBefore = done.jsonPath().getMap("fieldUpdatedAt");

        // Back to the version after the rename: title stays "renamed", done goes back to false.
        JsonPath reverted = given().contentType(ContentType.JSON).header("If-Match", done.header("ETag"))
                .body("{\"version\":" + renamedVersion + "}")
                .when().post("/tasks/{id}/revert", id).then().statusCode(200).extract().jsonPath();
        assertEquals("renamed", reverted.getString("title"));
        assertEquals(false, reverted.getBoolean("done"));
        Map<String, String> timesAfter = reverted.getMap("fieldUpdatedAt");
        assertEquals(timesBefore.get("title"), timesAfter.get("title"), "title did not change: its time stays");
        assertNotEquals(timesBefore.get("done"), timesAfter.get("done"));
        assertEquals(reverted.getString("updatedAt"), timesAfter.get("done"));

        List<Map<String, Object>> after = history(id);
        assertEquals(entries.size() + 1, after.size(), "one ordinary audited write");
        Map<String, Object> last = after.get(after.size() - 1);
        assertEquals("UPDATE", last.get("operation"));
        assertEquals(Map.of("done", Map.of("old", true, "new", false)), last.get("changes"));

        // If-None-Match naming the current version refuses the revert, though If-Match holds.
        String etag = given().when().get("/tasks/{id}", id).then().extract().header("ETag");
        given().contentType(ContentType.JSON).header("If-Match", etag).header("If-None-Match", etag)
                .body("{\"version\":" + entries.get(0).get("version") + "}")
                .when().post("/tasks/{id}/revert", id).then().statusCode(412)
                .body("detail", equalTo("Task " + id + " is in a version that If-None-Match refuses; fetch it again."));
        assertEquals(after.size(), history(id).size());

        // Reverting again to the same version changes nothing and writes nothing.
        given().contentType(ContentType.JSON).header("If-Match", etag).body("{\"version\":" + renamedVersion + "}")
                .when().post("/tasks/{id}/revert", id).then().statusCode(200).header("ETag", etag);
        assertEquals(after.size(), history(id).size());
    }

    @Test
    void revertNeedsIfMatchAndAVersionOfThisTask() {
        ExtractableResponse<Response> created = create("guarded");
        long id = created.jsonPath().getLong("id");
        String etag = patch(id, "{\"title\":\"guarded 2\"}").header("ETag");
        long first = ((Number) history(id).get(0).get("version")).longValue();
        long other = create("other").jsonPath().getLong("id");
        long otherVersion = ((Number) history(other).get(0).get("version")).longValue();
        long auditBefore = sql.value("SELECT count(*) FROM audit_log WHERE row_id = ?", Long.class, Long.toString(id));

        given().contentType(ContentType.JSON).body("{\"version\":" + first + "}")
                .when().post("/tasks/{id}/revert", id).then().statusCode(428).contentType("application/problem+json");
        given().contentType(ContentType.JSON).header("If-Match", created.header("ETag")).body("{\"version\":" + first + "}")
                .when().post("/tasks/{id}/revert", id).then().statusCode(412).contentType("application/problem+json");
        for (long version : List.of(otherVersion, Long.MAX_VALUE)) {
            given().contentType(ContentType.JSON).header("If-Match", etag).body("{\"version\":" + version + "}")
                    .when().post("/tasks/{id}/revert", id).then().statusCode(422).contentType("application/problem+json")
                    .body("errors[0].field", equalTo("version"));
            // A stale If-Match is answered first: it fails before the content is looked at (RFC 9110, 13.2.1).
            given().contentType(ContentType.JSON).header("If-Match", created.header("ETag")).body("{\"version\":" + version + "}")
                    .when().post("/tasks/{id}/revert", id).then().statusCode(412).contentType("application/problem+json");
        }
        given().contentType(ContentType.JSON).header("If-Match", etag).body("{\"version\":\"1\"}")
                .when().post("/tasks/{id}/revert", id).then().statusCode(400);
        given().contentType(ContentType.JSON).header("If-Match", etag).body("{}")
                .when().post("/tasks/{id}/revert", id).then().statusCode(400);
        assertEquals(auditBefore, sql.value("SELECT count(*) FROM audit_log WHERE row_id = ?", Long.class, Long.toString(id)));
        assertEquals("guarded 2", sql.value("SELECT title FROM tasks WHERE id = ?", String.class, id));

        // A deleted task cannot be reverted; once its id is used again, its deletion is no version to go back to.
        given().when().delete("/tasks/{id}", id).then().statusCode(204);
        given().contentType(ContentType.JSON).header("If-Match", "*").body("{\"version\":" + first + "}")
                .when().post("/tasks/{id}/revert", id).then().statusCode(404);
        List<Map<String, Object>> entries = history(id);
        long deletion = ((Number) entries.get(entries.size() - 1).get("version")).longValue();
        sql.update("INSERT INTO tasks (id, title) OVERRIDING SYSTEM VALUE VALUES (?, 'again')", id);
        given().contentType(ContentType.JSON).header("If-Match", "*").body("{\"version\":" + deletion + "}")
                .when().post("/tasks/{id}/revert", id).then().statusCode(422);
        given().contentType(ContentType.JSON).header("If-Match", "*").body("{\"version\":" + first + "}")
                .when().post("/tasks/{id}/revert", id).then().statusCode(200).body("title", equalTo("guarded"));
    }

    @Test
    void aRevertRacingAnUpdateOnTheSameETagExactlyOneWins() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 10; round++) {
                long id = create("race " + round).jsonPath().getLong("id");
                String etag = patch(id, "{\"title\":\"race " + round + " b\"}").header("ETag");
                long first = ((Number) history(id).get(0).get("version")).longValue();
                Callable<Integer> revert = () -> given().contentType(ContentType.JSON).header("If-Match", etag)
                        .body("{\"version\":" + first + "}").when().post("/tasks/{id}/revert", id).then().extract().statusCode();
                Callable<Integer> update = () -> given().contentType("application/merge-patch+json").header("If-Match", etag)
                        .body("{\"done\":true}").when().patch("/tasks/{id}", id).then().extract().statusCode();
                Future<Integer> a = pool.submit(revert);
                Future<Integer> b = pool.submit(update);
                List<Integer> statuses = new ArrayList<>(List.of(a.get(), b.get()));
                statuses.sort(null);
                assertEquals(List.of(200, 412), statuses, "round " + round);
            }
        } finally {
            pool.shutdown();
        }
    }
}
