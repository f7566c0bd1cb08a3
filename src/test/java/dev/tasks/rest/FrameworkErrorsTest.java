package dev.tasks.rest;

import static dev.tasks.support.Management.management;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.tasks.db.Sql;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;

/**
 * Errors the framework decides before any resource method runs leave as RFC 9457 problem details,
 * with every member filled and nothing of the server's insides.
 */
@QuarkusTest
class FrameworkErrorsTest {

    static final String PROBLEM = "application/problem+json";
    static final int LIMIT = 64 * 1024;

    @TestHTTPResource("/tasks")
    URI tasks;

    @Inject
    Sql sql;
    HttpClient http;

    @BeforeEach
    void setUp() {
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Checks the five RFC 9457 members and that the body shows no stack trace or SQL. */
    static void assertProblem(String body, int status, String title, String instance) {
        JsonPath problem = JsonPath.from(body);
        assertEquals("about:blank", problem.getString("type"));
        assertEquals(title, problem.getString("title"));
        assertEquals(status, problem.getInt("status"));
        assertFalse(problem.getString("detail").isBlank(), "detail is empty");
        assertEquals(instance, problem.getString("instance"));
        assertNoInsides(body);
    }

    static void assertNoInsides(String body) {
        for (String leak : List.of("Exception", "\tat ", "at io.", "at org.", "SELECT ", "INSERT ", "UPDATE ", "stack")) {
            assertFalse(body.contains(leak), () -> "body leaks '" + leak + "': " + body);
        }
    }

    static ValidatableResponse problem(ValidatableResponse response, int status) {
        return response.statusCode(status).contentType(PROBLEM).body("status", equalTo(status));
    }

    long taskCount() {
        return sql.value("SELECT count(*) FROM tasks", Long.class);
    }

    @ParameterizedTest
    @ValueSource(strings = { "/nope", "/q/nope", "/tasks/1/nope", "/" })
    void unknownRouteIs404Problem(String path) {
        String body = problem(given().when().get(path).then(), 404).extract().asString();
        assertProblem(body, 404, "Not Found", path);
    }

    @Test
    void wrongMethodIs405ProblemWithAllowListingWhatWorks() {
        String body = problem(given().when().delete("/tasks").then(), 405)
                .header("Allow", equalTo("GET, HEAD, OPTIONS, POST"))
                .extract().asString();
        assertProblem(body, 405, "Method Not Allowed", "/tasks");
        problem(given().contentType(ContentType.JSON).body("{\"title\":\"x\"}").when().put("/tasks").then(), 405)
                .header("Allow", equalTo("GET, HEAD, OPTIONS, POST"));
    }

    /**
     * OPTIONS lists the methods of the path it is asked about, as a 405 there does, and where PATCH is one
     * of them, the patch format (RFC 5789, section 3.1); a PATCH refused for its format says it too.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/tasks                | GET, HEAD, OPTIONS, POST",
            "/tasks/1              | DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT",
            "/tasks/changes        | GET, HEAD, OPTIONS",
            "/tasks/changes/stream | GET, HEAD, OPTIONS",
            "/tasks/1/history      | GET, HEAD, OPTIONS",
            "/tasks/1/revert       | OPTIONS, POST" })
    void optionsListsTheMethodsOfThePath(String path, String methods) {
        var answer = given().when().options(path).then().statusCode(200).header("Allow", equalTo(methods));
        if (methods.contains("PATCH")) {
            answer.header("Accept-Patch", equalTo("application/merge-patch+json"));
        } else {
            answer.header("Accept-Patch", nullValue());
        }
        // Unchecked against the OpenAPI document: PATCH /tasks/changes reads to it as PATCH /tasks/{id}.
        for (String method : List.of("PATCH", "PUT", "DELETE")) {
            if (!methods.contains(method)) {
                given().noFilters().contentType(ContentType.JSON).body("{}").when().request(method, path).then().statusCode(405)
                        .header("Allow", equalTo(methods));
            }
        }
    }

    /** OPTIONS on a path no route serves is a 404, as GET there is, not the resource class's methods. */
    @ParameterizedTest
    @ValueSource(strings = { "/tasks/abc", "/tasks/1/foo", "/tasks/abc/history", "/tasks/changes/x", "/nope" })
    void optionsOnAPathNoRouteServesIs404(String path) {
        given().noFilters().when().options(path).then().statusCode(404).contentType("application/problem+json")
                .header("Allow", nullValue());
    }

    @Test
    void aPatchInAnotherFormatIs415WithAcceptPatch() {
        problem(given().contentType(ContentType.JSON).body("{\"done\":true}").when().patch("/tasks/1").then(), 415)
                .header("Accept-Patch", equalTo("application/merge-patch+json"));
    }

    @Test
    void everyMethodInAllowIsAccepted() {
        String allow = given().when().delete("/tasks").then().statusCode(405).extract().header("Allow");
        for (String method : allow.split(", ")) {
            var request = given();
            if (method.equals("POST")) {
                request = request.contentType(ContentType.JSON).body("{\"title\":\"allowed\"}");
            }
            int status = request.when().request(method, "/tasks").then().extract().statusCode();
            assertTrue(status < 300, method + " listed in Allow answered " + status);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "/q/health", "/q/health/ready", "/q/metrics", "/q/openapi", "/q/swagger-ui/" })
    void managementEndpointsAreOnlyOnTheManagementPort(String path) {
        String body = problem(given().when().get(path).then(), 404).extract().asString();
        assertProblem(body, 404, "Not Found", path);
        problem(given().contentType(ContentType.JSON).body("{}").when().post(path).then(), 404);
        management().when().get(path).then().statusCode(200);
        management().when().head(path).then().statusCode(200);
    }

    @Test
    void unsupportedMediaTypeIs415Problem() {
        long before = taskCount();
        String body = problem(given().contentType(ContentType.TEXT).body("title=x").when().post("/tasks").then(), 415)
                .extract().asString();
        assertProblem(body, 415, "Unsupported Media Type", "/tasks");
        // PATCH takes merge-patch only.
        body = problem(given().contentType(ContentType.JSON).body("{\"done\":true}").when().patch("/tasks/1").then(), 415)
                .extract().asString();
        assertProblem(body, 415, "Unsupported Media Type", "/tasks/1");
        // A range of types is not a type: application/* and */* would match every route.
        for (String range : new String[] { "application/*", "*/*" }) {
            body = problem(given().contentType(range).body("{\"title\":\"wild\"}".getBytes(StandardCharsets.UTF_8))
                    .when().post("/tasks").then(), 415)
                    .extract().asString();
            assertProblem(body, 415, "Unsupported Media Type", "/tasks");
        }
        assertEquals(before, taskCount());
    }

    @Test
    void notAcceptableIs406Problem() {
        long id = given().contentType(ContentType.JSON).body("{\"title\":\"negotiated\"}")
                .when().post("/tasks").then().statusCode(201).extract().jsonPath().getLong("id");
        String body = problem(given().accept("application/xml").when().get("/tasks/" + id).then(), 406)
                .extract().asString();
        assertProblem(body, 406, "Not Acceptable", "/tasks/" + id);
        problem(given().accept("text/csv").when().get("/tasks").then(), 406);
    }

    static byte[] taskBody(String title, int size) {
        // Valid JSON of exactly `size` bytes: the object padded with trailing spaces.
        byte[] json = ("{\"title\":\"" + title + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] body = Arrays.copyOf(json, size);
        Arrays.fill(body, json.length, size, (byte) ' ');
        return body;
    }

    HttpResponse<String> post(byte[] body, boolean chunked) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(tasks).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json");
        if (chunked) {
            // An InputStream has no known length: HTTP/1.1 then sends Transfer-Encoding: chunked.
            request.POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
        } else {
            // Not expectContinue: the JDK 17 client hangs when a 100-continue request gets a final answer.
            request.POST(BodyPublishers.ofByteArray(body));
        }
        return http.send(request.build(), BodyHandlers.ofString());
    }

    @ParameterizedTest
    @ValueSource(booleans = { false, true })
    void bodyOverTheLimitIs413ProblemAndWritesNothing(boolean chunked) throws Exception {
        long before = taskCount();
        HttpResponse<String> response = post(taskBody("too large", LIMIT + 1), chunked);
        assertEquals(413, response.statusCode(), response::body);
        assertEquals(PROBLEM, response.headers().firstValue("Content-Type").orElse(null));
        assertProblem(response.body(), 413, "Content Too Large", "/tasks");
        assertTrue(JsonPath.from(response.body()).getString("detail").contains(String.valueOf(LIMIT)));
        assertEquals(before, taskCount());
    }

    @ParameterizedTest
    @ValueSource(booleans = { false, true })
    void bodyOfExactlyTheLimitReachesTheResource(boolean chunked) throws Exception {
        HttpResponse<String> response = post(taskBody("at the limit", LIMIT), chunked);
        assertEquals(201, response.statusCode(), response::body);
        assertEquals("at the limit", JsonPath.from(response.body()).getString("title"));
    }

    @Test
    void chunkedBodyLargerThanTheInputBufferIsStillReadWhole() throws Exception {
        // 20 KiB is past Quarkus REST's 10 KiB input buffer: the resource sees the whole body and
        // validation, not a read error, answers.
        String title = "x".repeat(20_000);
        HttpResponse<String> response = post(("{\"title\":\"" + title + "\"}").getBytes(StandardCharsets.UTF_8), true);
        assertEquals(400, response.statusCode(), response::body);
        JsonPath problem = JsonPath.from(response.body());
        assertEquals("title", problem.getString("errors[0].field"));
        assertNoInsides(response.body());
    }

    @Test
    void badRequestBodiesDoNotEchoTheParser() {
        String body = given().contentType(ContentType.JSON).body("{\"title\": [1, 2")
                .when().post("/tasks")
                .then().statusCode(400).contentType(PROBLEM)
                .body("detail", not(containsString("line")))
                .extract().asString();
        assertNoInsides(body);
    }
}
