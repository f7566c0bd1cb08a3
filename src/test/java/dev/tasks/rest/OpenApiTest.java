package dev.tasks.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** The published API description covers every route, with its headers and problem responses. */
@QuarkusTest
class OpenApiTest {

    @Test
    void everyTaskRouteIsDescribedWithItsErrorsAndHeaders() {
        JsonPath api = given().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200).extract().jsonPath();
        Map<String, Map<String, Object>> paths = api.getMap("paths");
        Map<String, List<String>> expected = Map.of(
                "/tasks", List.of("get", "post"),
                "/tasks/changes", List.of("get"),
                "/tasks/{id}", List.of("get", "put", "post", "patch", "delete"),
                "/tasks/{id}/history", List.of("get"));
        expected.forEach((path, methods) -> {
            assertTrue(paths.containsKey(path), path);
            for (String method : methods) {
                String base = "paths.'" + path + "'." + method;
                assertTrue(api.getString(base + ".summary") != null, base + " has a summary");
                List<String> parameters = api.getList(base + ".parameters.name");
                assertTrue(parameters.contains("X-Request-Id"), base + " documents X-Request-Id");
                Map<String, Object> responses = api.getMap(base + ".responses");
                assertTrue(responses.containsKey("400") && responses.containsKey("503"), base + " " + responses.keySet());
                assertEquals("#/components/schemas/Problem",
                        api.getString(base + ".responses.'400'.content.'application/problem+json'.schema.'$ref'"));
                if (path.contains("{id}")) {
                    assertTrue(responses.containsKey("404"), base);
                }
                if (List.of("put", "patch", "delete").contains(method) || (method.equals("post") && path.contains("{id}"))) {
                    assertTrue(parameters.contains("If-Match"), base + " documents If-Match");
                    assertTrue(responses.containsKey("412"), base + " documents 412");
                }
            }
        });
        assertTrue(api.getString("paths.'/tasks/{id}'.get.responses.'200'.content.'application/json'.examples.task.value") != null);
        assertTrue(api.getMap("components.schemas.Problem.properties").keySet()
                .containsAll(List.of("type", "title", "status", "detail", "instance", "errors")));
    }
}
