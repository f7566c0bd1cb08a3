package dev.tasks.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tasks.db.Sql;
import dev.tasks.feed.Mirror;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * After audit retention, a feed cursor or a history page before the retained range answers 410 Gone with a
 * problem body that tells the client to resynchronise, and a current cursor continues with no gap. The
 * retention runs for real (audit_log_retain()) on entries moved into an old month; the recorded bound is
 * removed at the end, so the other tests read the feed from its start again.
 */
@QuarkusTest
class RetentionGoneTest {

    @Inject
    Sql sql;

    private static long create(String title) {
        return given().contentType(ContentType.JSON).body(Map.of("title", title))
                .when().post("/tasks").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    private static JsonPath gone(Response answer, String instance) {
        answer.then().statusCode(410).contentType("application/problem+json");
        JsonPath problem = answer.jsonPath();
        assertEquals("urn:tasks:problem:before-retained-range", problem.getString("type"));
        assertEquals("Gone", problem.getString("title"));
        assertEquals(410, problem.getInt("status"));
        assertEquals(instance, problem.getString("instance"));
        return problem;
    }

    @Test
    void cursorsAndHistoriesBeforeTheRetainedRangeAreGoneAndACurrentCursorContinuesWithoutGap() {
        String beforeAll = Mirror.drain(null, new ArrayList<>());
        long old = create("its start will be removed");
        long fresh = create("created after the cut");
        String current = Mirror.drain(beforeAll, new ArrayList<>());
        given().contentType(TaskResource.MERGE_PATCH).body(Map.of("done", true))
                .when().patch("/tasks/" + old).then().statusCode(200);
        try {
            // The INSERT entry of `old` becomes an entry of two years ago; retention removes that month.
            sql.rows("SELECT * FROM audit_log_add_partitions(0, now() - interval '2 years')");
            assertEquals(1, sql.update("UPDATE audit_log SET tx_time = tx_time - interval '2 years' "
                    + "WHERE table_name = 'tasks' AND row_id = ? AND operation = 'INSERT'", Long.toString(old)));
            Map<String, Object> removed = sql.row("SELECT txid::text AS txid, id FROM audit_log "
                    + "WHERE tx_time < now() - interval '400 days' ORDER BY txid DESC, id DESC LIMIT 1");
            sql.rows("SELECT * FROM audit_log_retain('400 days')");
            assertEquals(0L, sql.value("SELECT count(*) FROM audit_log WHERE tx_time < now() - interval '400 days'", Long.class));

            // A cursor from before the removed entry, and no cursor at all (the start of the feed), are gone.
            JsonPath problem = gone(given().queryParam("after", beforeAll).when().get("/tasks/changes"), "/tasks/changes");
            assertTrue(problem.getString("detail").contains("GET /tasks"), problem.prettify());
            String next = problem.getString("next");
            assertNotNull(next);
            assertEquals(next, gone(given().when().get("/tasks/changes"), "/tasks/changes").getString("next"));

            // `next` is the lowest cursor still served: it continues after the removed entry.
            List<Map<String, Object>> resumed = new ArrayList<>();
            Mirror.drain(next, resumed);
            List<Long> ids = resumed.stream().map(i -> ((Number) i.get("id")).longValue()).toList();
            assertFalse(ids.contains(((Number) removed.get("id")).longValue()), ids::toString);
            assertTrue(resumed.stream().anyMatch(i -> ((Number) i.get("taskId")).longValue() == old
                    && "UPDATE".equals(i.get("operation"))), resumed::toString);

            // A current cursor continues: the next change, and nothing missing before it.
            long after = create("written after the retention");
            List<Map<String, Object>> continued = new ArrayList<>();
            Mirror.drain(current, continued);
            List<Long> tasks = continued.stream().map(i -> ((Number) i.get("taskId")).longValue()).toList();
            assertEquals(List.of(old, after), tasks, continued::toString);

            // The history of `old` lost its start: every page is gone; the history of `fresh` is whole.
            gone(given().when().get("/tasks/" + old + "/history"), "/tasks/" + old + "/history");
            gone(given().queryParam("page", 3).when().get("/tasks/" + old + "/history"), "/tasks/" + old + "/history");
            JsonPath whole = given().when().get("/tasks/" + fresh + "/history").then().statusCode(200).extract().jsonPath();
            assertEquals(List.of("INSERT"), whole.getList("items.operation"));
            given().queryParam("page", 3).when().get("/tasks/" + fresh + "/history").then().statusCode(200);
            // An id that never existed is unknown on every page and at every instant, not gone.
            given().when().get("/tasks/999999999/history").then().statusCode(404);
            given().queryParam("page", 1).when().get("/tasks/999999999/history").then().statusCode(404);
            given().queryParam("asOf", "2026-01-01T00:00:00Z").when().get("/tasks/999999999").then().statusCode(404)
                    .body("type", equalTo("urn:tasks:problem:not-found"));
            // A deleted task keeps its history: past its end, an empty page.
            given().when().delete("/tasks/" + fresh).then().statusCode(204);
            given().queryParam("page", 3).when().get("/tasks/" + fresh + "/history").then().statusCode(200)
                    .body("items", empty());
        } finally {
            sql.update("DELETE FROM audit_log_retained");
        }
        given().when().get("/tasks/changes").then().statusCode(200);
    }
}
