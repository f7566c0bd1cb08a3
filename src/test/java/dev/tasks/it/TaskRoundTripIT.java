package dev.tasks.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** The packaged application, from outside: a task's whole life over HTTP. */
@QuarkusIntegrationTest
class TaskRoundTripIT {

    static final String TIME = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}Z";

    @Test
    void createGetUpdatePatchListAndDeleteATask() {
        var created = given().contentType(ContentType.JSON).body("{\"title\":\"packaged round trip\"}")
                .when().post("/tasks")
                .then().statusCode(201)
                .header("Location", matchesPattern(".*/tasks/\\d+"))
                .body("title", equalTo("packaged round trip"))
                .body("done", equalTo(false))
                .body("createdAt", matchesPattern(TIME))
                .extract();
        long id = created.jsonPath().getLong("id");
        String location = created.header("Location");
        assertTrue(location.endsWith("/tasks/" + id));
        Instant createdAt = Instant.parse(created.jsonPath().getString("createdAt"));
        assertEquals(createdAt, Instant.parse(created.jsonPath().getString("updatedAt")));

        given().when().get("/tasks/" + id)
                .then().statusCode(200)
                .body("id", equalTo((int) id))
                .body("title", equalTo("packaged round trip"))
                .body("createdAt", equalTo(created.jsonPath().getString("createdAt")));

        JsonPath replaced = given().contentType(ContentType.JSON).body("{\"title\":\"renamed\",\"done\":true}")
                .when().put("/tasks/" + id)
                .then().statusCode(200)
                .body("title", equalTo("renamed"))
                .body("done", equalTo(true))
                .extract().jsonPath();
        // The database, not the client, keeps the times: created stays, updated moves forward.
        assertEquals(createdAt, Instant.parse(replaced.getString("createdAt")));
        assertTrue(Instant.parse(replaced.getString("updatedAt")).isAfter(createdAt));

        given().contentType("application/merge-patch+json").body("{\"done\":false}")
                .when().patch("/tasks/" + id)
                .then().statusCode(200)
                .body("title", equalTo("renamed"))
                .body("done", equalTo(false));

        given().queryParam("done", false).queryParam("size", 500)
                .when().get("/tasks")
                .then().statusCode(200)
                .body("items.id", hasItem((int) id));

        given().when().delete("/tasks/" + id).then().statusCode(204);
        JsonPath gone = given().when().get("/tasks/" + id)
                .then().statusCode(404).contentType("application/problem+json")
                .extract().jsonPath();
        assertEquals(404, gone.getInt("status"));
        assertEquals("/tasks/" + id, gone.getString("instance"));
        assertFalse(gone.getString("type").isBlank());
        assertFalse(gone.getString("title").isBlank());
        assertFalse(gone.getString("detail").isBlank());
    }
}
