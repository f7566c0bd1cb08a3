package dev.tasks.rest;

import static dev.tasks.support.Management.management;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;

import dev.tasks.support.OpenApiValidation;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * The API contract: the document served on the management port is {@code META-INF/openapi.yaml} as
 * written, and carries the names, constraints and formats clients are generated from. (That every
 * answer matches it is checked on every RestAssured call by {@code OpenApiValidation}.)
 */
@QuarkusTest
class OpenApiTest {

    static JsonNode served() throws Exception {
        String json = management().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200).extract().asString();
        return new ObjectMapper().readTree(json);
    }

    static JsonNode source() throws Exception {
        try (InputStream in = OpenApiTest.class.getResourceAsStream("/META-INF/openapi.yaml")) {
            return new ObjectMapper(new YAMLFactory()).readTree(in);
        }
    }

    @Test
    void servedDocumentIsTheStaticContract() throws Exception {
        assertEquals(source(), served());
    }

    @Test
    void operationsAndSchemasHaveTheirContractNames() throws Exception {
        JsonNode api = served();
        Map<String, String> operations = Map.of(
                "/tasks get", "listTasks", "/tasks post", "createTask", "/tasks/{id} get", "getTask",
                "/tasks/{id} put", "replaceTask", "/tasks/{id} post", "replaceTaskByPost",
                "/tasks/{id} patch", "patchTask", "/tasks/{id} delete", "deleteTask",
                "/tasks/{id}/history get", "getTaskHistory", "/tasks/changes get", "listTaskChanges");
        operations.forEach((route, id) -> {
            String[] parts = route.split(" ");
            JsonNode operation = api.path("paths").path(parts[0]).path(parts[1]);
            assertEquals(id, operation.path("operationId").asText(), route);
            assertEquals("tasks", operation.path("tags").path(0).asText(), route);
            operation.path("responses").fields().forEachRemaining(response -> {
                JsonNode value = response.getValue();
                if (value.has("$ref")) {
                    value = api.at(value.get("$ref").asText().substring(1));
                }
                assertTrue(value.path("headers").has("X-Request-Id"), route + " " + response.getKey() + " X-Request-Id");
                if (!List.of("204", "304").contains(response.getKey())) {
                    assertFalse(value.path("content").isEmpty(), route + " " + response.getKey() + " has a schema");
                }
            });
        });
        Set<String> schemas = new TreeSet<>();
        api.path("components").path("schemas").fieldNames().forEachRemaining(schemas::add);
        assertTrue(schemas.containsAll(List.of("TaskRequest", "TaskPatch", "TaskResponse", "TaskPage", "HistoryEntry",
                "HistoryPage", "ChangeItem", "ChangePage", "Problem")), schemas.toString());
        assertFalse(schemas.contains("OffsetDateTime") || schemas.contains("JsonNode"), schemas.toString());
    }

    @Test
    void everyRestAssuredAnswerIsCheckedAndDriftIsCaught() {
        assertTrue(RestAssured.filters().stream().anyMatch(f -> f.getClass().getName().startsWith(OpenApiValidation.class.getName())),
                "the validation filter is installed");
        var validator = OpenApiValidation.validator();
        String task = "{\"id\":1,\"title\":\"t\",\"done\":false,\"createdAt\":\"2026-11-21T09:05:04.562358Z\","
                + "\"updatedAt\":\"2026-11-21T09:05:04.562358Z\",\"fieldUpdatedAt\":{\"title\":\"2026-11-21T09:05:04.562358Z\","
                + "\"done\":\"2026-11-21T09:05:04.562358Z\"}}";
        SimpleResponse.Builder ok = SimpleResponse.Builder.ok().withContentType("application/json")
                .withHeader("X-Request-Id", "r").withHeader("Last-Modified", "Sat, 21 Nov 2026 09:05:04 GMT");
        assertFalse(validator.validateResponse("/tasks/1", Request.Method.GET,
                ok.withHeader("ETag", "\"1\"").withBody(task).build()).hasErrors());
        // A time without its format, a missing field, a missing header: each is caught.
        assertTrue(validator.validateResponse("/tasks/1", Request.Method.GET, SimpleResponse.Builder.ok()
                .withContentType("application/json").withHeader("X-Request-Id", "r").withHeader("ETag", "\"1\"")
                .withHeader("Last-Modified", "x").withBody(task.replace("2026-11-21T09:05:04.562358Z\",\"updated", "yesterday\",\"updated"))
                .build()).hasErrors());
        assertTrue(validator.validateResponse("/tasks/1", Request.Method.GET, SimpleResponse.Builder.ok()
                .withContentType("application/json").withHeader("X-Request-Id", "r").withHeader("ETag", "\"1\"")
                .withHeader("Last-Modified", "x").withBody(task.replace("\"done\":false,", "")).build()).hasErrors());
        assertTrue(validator.validateResponse("/tasks/1", Request.Method.GET, SimpleResponse.Builder.ok()
                .withContentType("application/json").withHeader("X-Request-Id", "r").withBody(task).build()).hasErrors());
        assertTrue(validator.validateResponse("/tasks", Request.Method.GET, SimpleResponse.Builder.status(418)
                .withContentType("application/json").withHeader("X-Request-Id", "r").withBody("{}").build()).hasErrors());
    }

    @Test
    void constraintsTheServiceEnforcesAreStated() throws Exception {
        JsonNode schemas = served().path("components").path("schemas");
        JsonNode title = schemas.path("Title");
        assertEquals(1, title.path("minLength").asInt());
        assertEquals(500, title.path("maxLength").asInt());
        assertTrue(title.path("pattern").asText().startsWith("^") && title.path("pattern").asText().endsWith("$"));
        for (String body : List.of("TaskRequest", "TaskPatch")) {
            assertFalse(schemas.path(body).path("additionalProperties").asBoolean(true), body);
        }
        assertEquals("date-time", schemas.path("TaskResponse").path("properties").path("createdAt").path("format").asText());
        assertEquals("date-time", schemas.path("FieldUpdatedAt").path("properties").path("done").path("format").asText());
        assertEquals("date-time", schemas.path("HistoryEntry").path("properties").path("time").path("format").asText());
        assertEquals("object", schemas.path("Changes").path("type").asText());
        assertNotNull(schemas.path("Changes").path("additionalProperties").get("$ref"));
        JsonNode done = served().path("paths").path("/tasks").path("get").path("parameters").findValues("schema").stream()
                .filter(schema -> "boolean".equals(schema.path("type").asText())).findFirst().orElse(null);
        assertNotNull(done, "done is a boolean query parameter");
    }
}
