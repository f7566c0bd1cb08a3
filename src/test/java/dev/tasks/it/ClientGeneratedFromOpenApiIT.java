package dev.tasks.it;

import static dev.tasks.support.Management.management;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.tasks.client.ApiClient;
import dev.tasks.client.ApiException;
import dev.tasks.client.ApiResponse;
import dev.tasks.client.api.TasksApi;
import dev.tasks.client.model.ChangeItem;
import dev.tasks.client.model.ChangePage;
import dev.tasks.client.model.FieldChange;
import dev.tasks.client.model.HistoryEntry;
import dev.tasks.client.model.Problem;
import dev.tasks.client.model.TaskPatch;
import dev.tasks.client.model.TaskRequest;
import dev.tasks.client.model.TaskResponse;
import dev.tasks.support.JwtKeys;
import dev.tasks.support.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;

/**
 * A Java client generated at build time (openapi-generator, {@code java} generator, {@code native}
 * library) from {@code META-INF/openapi.yaml}, the document the packaged application serves, runs a
 * task's whole life over HTTP/2 (h2c, as {@code java.net.http} upgrades) and over HTTP/1.1.
 * <p>
 * The packaged application runs as in production, writes guarded by bearer tokens ({@link JwtKeys}
 * gives it a key pair made for this run; the other ITs run it with {@code TASKS_AUTH_WRITES=none}): the
 * client sends a token on every request, as a client of the {@code bearerAuth} scheme does, and the
 * token's principal is the actor of every change.
 */
@QuarkusIntegrationTest
@WithTestResource(JwtKeys.class)
class ClientGeneratedFromOpenApiIT {

    @Test
    void theServedDocumentIsTheOneTheClientWasGeneratedFrom() throws Exception {
        JsonNode served = new ObjectMapper().readTree(management().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200).extract().asString());
        JsonNode source = new ObjectMapper(new YAMLFactory())
                .readTree(Files.readString(Path.of("src/main/resources/META-INF/openapi.yaml")));
        assertEquals(source, served);
    }

    static String header(Map<String, List<String>> headers, String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }

    static Problem problem(ApiClient client, ApiException e) throws Exception {
        return client.getObjectMapper().readValue(e.getResponseBody(), Problem.class);
    }

    @ParameterizedTest
    @EnumSource(value = HttpClient.Version.class)
    void aTaskLivesItsWholeLifeThroughTheGeneratedClient(HttpClient.Version version) throws Exception {
        Set<HttpClient.Version> versions = ConcurrentHashMap.newKeySet();
        ApiClient client = new ApiClient();
        client.setHttpClientBuilder(HttpClient.newBuilder().version(version).connectTimeout(Duration.ofSeconds(5)));
        client.updateBaseUri(RestAssured.baseURI + ":" + RestAssured.port);
        client.setReadTimeout(Duration.ofSeconds(30));
        client.setResponseInterceptor(response -> versions.add(response.version()));
        TasksApi anonymous = new TasksApi(client);
        ApiException refused = assertThrows(ApiException.class,
                () -> anonymous.createTask(new TaskRequest().title("no token"), null, null));
        assertEquals(401, refused.getCode());
        assertEquals("urn:tasks:problem:unauthenticated", problem(client, refused).getType());
        String actor = "generated-client-" + version + "@example.com";
        String token = Tokens.upn(actor);
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
        TasksApi api = new TasksApi(client);

        String cursor = feedEnd(api);

        // Create, then find it in the list of open tasks.
        String key = "\"gen-" + java.util.UUID.randomUUID() + "\"";
        ApiResponse<TaskResponse> created = api.createTaskWithHttpInfo(
                new TaskRequest().title("generated " + version).done(false), "gen-" + version, key);
        assertEquals(201, created.getStatusCode());
        TaskResponse task = created.getData();
        long id = task.getId();
        // A retry with the same Idempotency-Key answers the same task.
        ApiResponse<TaskResponse> retried = api.createTaskWithHttpInfo(
                new TaskRequest().title("generated " + version).done(false), null, key);
        assertEquals(201, retried.getStatusCode());
        assertEquals(task, retried.getData());
        assertTrue(header(created.getHeaders(), "Location").endsWith("/tasks/" + id));
        assertEquals("gen-" + version, header(created.getHeaders(), "X-Request-Id"));
        assertNotNull(task.getFieldUpdatedAt().getTitle());
        assertTrue(api.listTasks(null, false, 0, 100).getItems().stream().anyMatch(t -> t.getId() == id));
        assertFalse(api.listTasks(null, true, 0, 100).getItems().stream().anyMatch(t -> t.getId() == id));

        // Get, then 304 for the tag just read, and for its Last-Modified.
        ApiResponse<TaskResponse> read = api.getTaskWithHttpInfo(id, null, null, null, null, null, null);
        String etag = header(read.getHeaders(), "ETag");
        assertEquals(task.getUpdatedAt(), read.getData().getUpdatedAt());
        ApiException notModified = assertThrows(ApiException.class, () -> api.getTask(id, null, etag, null, null, null, null));
        assertEquals(304, notModified.getCode());
        ApiException notModifiedSince = assertThrows(ApiException.class,
                () -> api.getTask(id, null, null, null, header(read.getHeaders(), "Last-Modified"), null, null));
        assertEquals(304, notModifiedSince.getCode());

        // Replace with If-Match; the old tag is then stale.
        ApiResponse<TaskResponse> replaced = api.replaceTaskWithHttpInfo(id,
                new TaskRequest().title("replaced " + version).done(true), null, etag, null, null);
        assertEquals("replaced " + version, replaced.getData().getTitle());
        assertTrue(replaced.getData().getDone());
        String current = header(replaced.getHeaders(), "ETag");
        assertNotEquals(etag, current);
        ApiException stale = assertThrows(ApiException.class,
                () -> api.replaceTaskByPost(id, new TaskRequest().title("late"), null, etag, null, null));
        assertEquals(412, stale.getCode());
        Problem staleProblem = problem(client, stale);
        assertEquals("urn:tasks:problem:stale-version", staleProblem.getType());
        assertEquals(412, staleProblem.getStatus());

        // Patch one field.
        ApiResponse<TaskResponse> patched = api.patchTaskWithHttpInfo(id, new TaskPatch().title("patched " + version),
                null, current, null, null);
        assertEquals("patched " + version, patched.getData().getTitle());
        assertTrue(patched.getData().getDone(), "done kept");
        current = header(patched.getHeaders(), "ETag");

        // History, oldest first, with readable changes.
        List<HistoryEntry> history = api.getTaskHistory(id, null, 0, 50).getItems();
        assertEquals(List.of("INSERT", "UPDATE", "UPDATE"), history.stream().map(e -> e.getOperation().getValue()).toList());
        FieldChange done = history.get(1).getChanges().get("done");
        assertEquals(false, done.getOld());
        assertEquals(true, done.getNew());
        assertEquals("patched " + version, history.get(2).getChanges().get("title").getNew());
        assertEquals("gen-" + version, history.get(0).getRequestId());
        assertEquals(List.of(actor, actor, actor), history.stream().map(HistoryEntry::getActor).toList());

        // If-None-Match names the current version: a write refused with 412, the task kept.
        String kept = current;
        ApiException unwanted = assertThrows(ApiException.class, () -> api.deleteTask(id, null, null, null, kept));
        assertEquals(412, unwanted.getCode());
        assertEquals("urn:tasks:problem:stale-version", problem(client, unwanted).getType());

        // Delete with If-Match (the generated client sends Accept: application/problem+json), then 404.
        api.deleteTask(id, null, current, null, null);
        ApiException gone = assertThrows(ApiException.class, () -> api.getTask(id, null, null, null, null, null, null));
        assertEquals(404, gone.getCode());
        Problem notFound = problem(client, gone);
        assertEquals(404, notFound.getStatus());
        assertEquals("urn:tasks:problem:not-found", notFound.getType());

        // A 400 names the field.
        ApiException invalid = assertThrows(ApiException.class, () -> api.listTasks(null, null, 0, 501));
        assertEquals(400, invalid.getCode());
        Problem badSize = problem(client, invalid);
        assertEquals("size", badSize.getErrors().get(0).getField());

        // The feed, one change a page, through `next`: the insert, both updates and the delete.
        List<String> operations = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!operations.contains("DELETE") && System.nanoTime() < deadline) {
            ChangePage page = api.listTaskChanges(null, cursor, 1);
            assertTrue(page.getItems().size() <= 1);
            for (ChangeItem item : page.getItems()) {
                if (item.getTaskId() == id) {
                    operations.add(item.getOperation().getValue());
                    assertEquals(actor, item.getActor());
                }
            }
            cursor = page.getNext();
            if (!page.getHasMore()) {
                Thread.sleep(50);
            }
        }
        assertEquals(List.of("INSERT", "UPDATE", "UPDATE", "DELETE"), operations);

        assertEquals(Set.of(version), versions, "every exchange used " + version);
    }

    /** The cursor after every change committed so far. */
    static String feedEnd(TasksApi api) throws ApiException {
        String cursor = null;
        for (int page = 0; page < 1000; page++) {
            ChangePage changes = api.listTaskChanges(null, cursor, 1000);
            cursor = changes.getNext();
            if (!changes.getHasMore()) {
                return cursor;
            }
        }
        throw new AssertionError("the feed did not end within 1000 pages");
    }
}
