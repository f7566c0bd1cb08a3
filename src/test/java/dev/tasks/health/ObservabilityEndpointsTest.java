package dev.tasks.health;

import static dev.tasks.support.Management.management;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.tasks.config.PgPools;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Prometheus metrics, OpenAPI and liveness as an operator scrapes them. */
@QuarkusTest
class ObservabilityEndpointsTest {

    static List<String> metrics() {
        return management().when().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(line -> !line.startsWith("#")).toList();
    }

    static boolean has(List<String> lines, String name, String... labels) {
        return lines.stream().anyMatch(line -> line.startsWith(name + "{") && List.of(labels).stream().allMatch(line::contains));
    }

    @Test
    void httpTimingsAreTaggedWithTheRouteTemplateNotTheId() {
        long id = given().contentType(ContentType.JSON).body("{\"title\":\"measured\"}")
                .when().post("/tasks").then().statusCode(201).extract().jsonPath().getLong("id");
        given().when().get("/tasks/" + id).then().statusCode(200);
        // Rejected before routing: without the match pattern this would be tagged with the raw path.
        given().accept("application/xml").when().get("/tasks/" + id).then().statusCode(406);

        List<String> lines = metrics();
        assertTrue(has(lines, "http_server_requests_seconds_count", "method=\"GET\"", "status=\"200\"", "uri=\"/tasks/{id}\""),
                "no GET /tasks/{id} timer");
        assertTrue(has(lines, "http_server_requests_seconds_count", "method=\"POST\"", "status=\"201\"", "uri=\"/tasks\""),
                "no POST /tasks timer");
        assertTrue(has(lines, "http_server_requests_seconds_count", "status=\"406\"", "uri=\"/tasks/{id}\""),
                "406 not folded into /tasks/{id}");
        assertFalse(lines.stream().anyMatch(line -> line.contains("uri=\"/tasks/" + id + "\"")), "a raw id became a tag");
    }

    /**
     * Client errors on paths a client makes up never become tags: a revert's template is folded like the
     * others, and an error before routing on a path no route names (here a 413) is tagged UNKNOWN.
     */
    @Test
    void pathsAClientMakesUpNeverBecomeTags() {
        given().when().get("/tasks/424242/revert").then().statusCode(405);
        given().contentType(ContentType.JSON).body("{\"title\":\"" + "x".repeat(70_000) + "\"}")
                .when().post("/tasks/zz424242").then().statusCode(413);
        List<String> lines = metrics();
        assertTrue(has(lines, "http_server_requests_seconds_count", "status=\"405\"", "uri=\"/tasks/{id}/revert\""),
                "405 not folded into /tasks/{id}/revert");
        assertTrue(has(lines, "http_server_requests_seconds_count", "status=\"413\"", "uri=\"UNKNOWN\""),
                "413 on a made-up path not tagged UNKNOWN");
        assertFalse(lines.stream().anyMatch(line -> line.contains("424242")), "a made-up path became a tag");
    }

    @Test
    void everyConnectionPoolReportsItsUsageApart() {
        given().contentType("application/json").body("{\"title\":\"pools\"}").when().post("/tasks")
                .then().statusCode(201);
        given().when().get("/tasks").then().statusCode(200);
        management().when().get("/q/health/ready").then().statusCode(200);
        List<String> lines = metrics();
        // The reactive pool of the writes and the change feed, and the pipelined one of the reads, apart.
        String reads = "pool_name=\"" + PgPools.READS_METRICS_NAME + "\"";
        assertTrue(has(lines, "sql_pool_usage_seconds_count", "pool_type=\"sql\"", reads), "no read pool usage");
        assertTrue(has(lines, "sql_pool_active", "pool_type=\"sql\"", reads), "no read pool gauge");
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("sql_pool_usage_seconds_count")
                && !line.contains(reads)), "no reactive pool usage");
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("sql_pool_active") && !line.contains(reads)),
                "no reactive pool gauge");
        assertTrue(has(lines, "postgresql_completed_total", "clientName=\"" + PgPools.READS_METRICS_NAME + "\""),
                "no read client counter");
        // The JDBC pool of Liquibase and the readiness check.
        assertTrue(has(lines, "agroal_active_count", "datasource=\"default\""), "no JDBC pool gauge");
        assertTrue(has(lines, "agroal_acquire_count_total", "datasource=\"default\""), "no JDBC pool counter");
    }

    @Test
    void openApiDescribesTheServiceAndItsRoutes() {
        management().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200)
                .body("info.title", equalTo("tasks-service"))
                .body("info.version", equalTo("1.0.0"))
                .body("paths", hasKey("/tasks"))
                .body("paths", hasKey("/tasks/{id}"));
        management().when().get("/q/swagger-ui/").then().statusCode(200).body(containsString("swagger"));
    }

    @Test
    void livenessIsUp() {
        management().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }
}
