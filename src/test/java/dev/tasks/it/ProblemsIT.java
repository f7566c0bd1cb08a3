package dev.tasks.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** Errors of the packaged application are problem details, with no stack trace even in production mode. */
@QuarkusIntegrationTest
class ProblemsIT {

    @TestHTTPResource("/tasks")
    URI tasks;

    static void assertProblem(String body, int status, String instance) {
        JsonPath problem = JsonPath.from(body);
        assertEquals(status, problem.getInt("status"));
        assertEquals(instance, problem.getString("instance"));
        assertFalse(problem.getString("type").isBlank());
        assertFalse(problem.getString("title").isBlank());
        assertFalse(problem.getString("detail").isBlank());
        assertFalse(body.contains("Exception") || body.contains("\tat "), body);
    }

    @Test
    void validationUnknownRouteAndWrongMethodAreProblems() {
        String invalid = given().contentType(ContentType.JSON).body("{\"title\":\"\"}")
                .when().post("/tasks")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("title"))
                .extract().asString();
        assertProblem(invalid, 400, "/tasks");

        assertProblem(given().when().get("/nope").then().statusCode(404).contentType("application/problem+json")
                .extract().asString(), 404, "/nope");

        assertProblem(given().when().delete("/tasks").then().statusCode(405).contentType("application/problem+json")
                .header("Allow", equalTo("GET, HEAD, OPTIONS, POST"))
                .extract().asString(), 405, "/tasks");
    }

    @Test
    void bodyOverTheLimitIs413Problem() throws Exception {
        byte[] body = new byte[64 * 1024 + 1];
        Arrays.fill(body, (byte) ' ');
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(HttpRequest.newBuilder(tasks).timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(413, response.statusCode());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(null));
        assertProblem(response.body(), 413, "/tasks");
    }
}
