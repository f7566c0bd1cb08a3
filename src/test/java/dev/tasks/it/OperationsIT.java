package dev.tasks.it;

import static dev.tasks.support.Management.management;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;

/** What an operator sees of the packaged application: probes, metrics, API description. */
@QuarkusIntegrationTest
class OperationsIT {

    @Test
    void readyWithTheSchemaCheckUpAndLive() {
        management().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("Database schema"))
                .body("checks.find { it.name == 'Database schema' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'Database schema' }.data.drifted", equalTo(0))
                .body("checks.find { it.name == 'Database connections health check' }.status", equalTo("UP"));
        management().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void metricsShowRouteTimingsAndPools() {
        long id = given().contentType(ContentType.JSON).body("{\"title\":\"scraped\"}")
                .when().post("/tasks").then().statusCode(201).extract().jsonPath().getLong("id");
        given().when().get("/tasks/" + id).then().statusCode(200);

        List<String> lines = management().when().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(line -> !line.startsWith("#")).toList();
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("http_server_requests_seconds_count{")
                && l.contains("uri=\"/tasks/{id}\"") && l.contains("method=\"GET\"")), "no templated route timer");
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("sql_pool_")), "no reactive pool metrics");
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("agroal_")), "no JDBC pool metrics");
    }

    @Test
    void openApiAndSwaggerUiAreServedInProduction() {
        management().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200)
                .body("info.title", equalTo("tasks-service"))
                .body("paths", hasKey("/tasks/{id}"));
        management().when().get("/q/swagger-ui/").then().statusCode(200).body(containsString("swagger"));
    }
}
