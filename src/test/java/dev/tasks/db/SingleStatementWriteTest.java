package dev.tasks.db;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Every write is one statement that carries its own audit context: each route, the conditional ones
 * included, leaves an audit row with the request's actor and id. (That no BEGIN, COMMIT or separate
 * set_config goes with it is counted by bench/run from pg_stat_statements.)
 */
@QuarkusTest
class SingleStatementWriteTest {

    @Inject
    Sql sql;

    @Test
    void createUpdatePatchAndDeleteEachCarryTheirActorAndRequestIdIntoTheAuditRow() {
        long id = given().contentType(ContentType.JSON).header("X-Request-Id", "lone-create")
                .body("{\"title\":\"alone\"}")
                .when().post("/tasks").then().statusCode(201).extract().jsonPath().getLong("id");
        given().contentType(ContentType.JSON).header("X-Request-Id", "lone-put")
                .body("{\"title\":\"alone again\",\"done\":false}")
                .when().put("/tasks/{id}", id).then().statusCode(200);
        String etag = given().contentType("application/merge-patch+json").header("X-Request-Id", "lone-patch")
                .body("{\"done\":true}")
                .when().patch("/tasks/{id}", id).then().statusCode(200).extract().header("ETag");
        given().header("X-Request-Id", "lone-delete").header("If-Match", etag)
                .when().delete("/tasks/{id}", id).then().statusCode(204);

        List<Map<String, Object>> rows = sql.rows("SELECT operation, actor, request_id "
                + "FROM audit_log WHERE table_name = 'tasks' AND row_id = ? "
                + "ORDER BY id", Long.toString(id));
        assertEquals(List.of("INSERT", "UPDATE", "UPDATE", "DELETE"), rows.stream().map(r -> r.get("operation")).toList());
        assertEquals(List.of("lone-create", "lone-put", "lone-patch", "lone-delete"),
                rows.stream().map(r -> r.get("request_id")).toList());
        assertEquals(List.of("anonymous", "anonymous", "anonymous", "anonymous"),
                rows.stream().map(r -> r.get("actor")).toList());
    }
}
