package dev.tasks.db;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * With a pool of one connection, consecutive requests share it: the second request, sent without a
 * request id, must not inherit the first one's context.
 */
@QuarkusTest
@TestProfile(ContextIsolationTest.OneConnection.class)
class ContextIsolationTest {

    public static class OneConnection implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.reactive.max-size", "1");
        }
    }

    @Inject
    Sql sql;

    @Test
    void secondRequestOnTheSameConnectionDoesNotShareTheFirstOnesContext() {
        long id = given().contentType(ContentType.JSON).header("X-Request-Id", "first-request")
                .body("{\"title\":\"one connection\"}")
                .when().post("/tasks").then().statusCode(201).extract().jsonPath().getLong("id");
        String generated = given().contentType("application/merge-patch+json").body("{\"done\":true}")
                .when().patch("/tasks/{id}", id).then().statusCode(200).extract().header("X-Request-Id");

        List<Map<String, Object>> rows = sql.rows("SELECT operation, request_id FROM audit_log "
                + "WHERE table_name = 'tasks' AND row_id = ? ORDER BY id", Long.toString(id));
        assertEquals(2, rows.size());
        assertEquals("first-request", rows.get(0).get("request_id"));
        assertEquals(generated, rows.get(1).get("request_id"));
        assertNotEquals("first-request", generated);
    }
}
