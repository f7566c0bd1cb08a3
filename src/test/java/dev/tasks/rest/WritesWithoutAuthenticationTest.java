package dev.tasks.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tasks.db.Sql;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** With {@code tasks.auth.writes=none} (the tests' default) a token is not even read: the actor is anonymous. */
@QuarkusTest
class WritesWithoutAuthenticationTest {

    @Inject
    Sql sql;

    @Test
    void aWriteNeedsNoTokenAndAnyTokenIsIgnored() {
        long id = given().header("Authorization", "Bearer not-a-jwt").contentType(ContentType.JSON)
                .body(Map.of("title", "nobody's")).post("/tasks").then().statusCode(201).extract().jsonPath().getLong("id");
        assertEquals("anonymous", sql.value(
                "SELECT actor FROM audit_log WHERE table_name = 'tasks' AND row_id = ?", String.class, String.valueOf(id)));
    }
}
