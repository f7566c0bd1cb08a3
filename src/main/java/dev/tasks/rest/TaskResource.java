package dev.tasks.rest;

import java.util.Date;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.RestResponse.ResponseBuilder;
import org.jboss.resteasy.reactive.RestResponse.Status;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tasks.entity.Task;
import dev.tasks.mapping.ChangeItem;
import dev.tasks.mapping.ChangePage;
import dev.tasks.mapping.HistoryEntry;
import dev.tasks.mapping.HistoryPage;
import dev.tasks.mapping.Problem;
import dev.tasks.mapping.TaskPage;
import dev.tasks.mapping.TaskPatch;
import dev.tasks.mapping.TaskRequest;
import dev.tasks.mapping.TaskResponse;
import dev.tasks.service.ChangeFeedService;
import dev.tasks.service.FeedCursor;
import dev.tasks.service.TaskNotFoundException;
import dev.tasks.service.TaskService;
import io.smallrye.mutiny.Uni;

/**
 * The HTTP surface of tasks. Every task response carries an {@code ETag} (the row's version) and
 * {@code Last-Modified}; writes honour {@code If-Match}, reads {@code If-None-Match}.
 */
@Path("/tasks")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "tasks", description = "Tasks whose times, per-field change times and history PostgreSQL writes")
public class TaskResource {

    static final String TASK_EXAMPLE = "{\"id\":7,\"title\":\"Write the release notes\",\"done\":true,"
            + "\"createdAt\":\"2026-11-21T09:05:04.562358Z\",\"updatedAt\":\"2026-11-21T09:05:05.618349Z\","
            + "\"fieldUpdatedAt\":{\"done\":\"2026-11-21T09:05:05.618349Z\",\"title\":\"2026-11-21T09:05:04.562358Z\"}}";
    static final String BODY_EXAMPLE = "{\"title\":\"Write the release notes\",\"done\":false}";
    static final String STALE_EXAMPLE = "{\"type\":\"urn:tasks:problem:stale-version\",\"title\":\"Precondition Failed\","
            + "\"status\":412,\"detail\":\"Task 7 has changed since the version named in If-Match; fetch it again.\","
            + "\"instance\":\"/tasks/7\"}";
    static final String IF_MATCH = "Entity tags from ETag (or *): the write happens only if the task is still in "
            + "one of these versions, else 412. The check and the write are one statement.";

    public static final String MERGE_PATCH = "application/merge-patch+json";

    private final TaskService service;
    private final ChangeFeedService feed;
    private final RequestMetadata metadata;
    private final ObjectMapper json;

    public TaskResource(TaskService service, ChangeFeedService feed, RequestMetadata metadata, ObjectMapper json) {
        this.service = service;
        this.feed = feed;
        this.metadata = metadata;
        this.json = json;
    }

    @GET
    @Operation(summary = "List tasks", description = "Most recently updated first, paged; optionally only done or open tasks.")
    @APIResponse(responseCode = "200", description = "One page of tasks")
    public Uni<TaskPage> list(
            @Parameter(description = "Only done (true) or open (false) tasks", schema = @Schema(enumeration = { "true", "false" }))
            @QueryParam("done") @jakarta.validation.constraints.Pattern(regexp = "true|false", message = "must be true or false") String done,
            @QueryParam("page") @DefaultValue("0") @Min(0) @Max(1_000_000) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size) {
        // A String, not a Boolean: JAX-RS would read any other word as false.
        return service.list(done == null ? null : Boolean.valueOf(done), page, size).map(rows -> new TaskPage(
                rows.stream().limit(size).map(TaskResponse::from).toList(), page, size, rows.size() > size));
    }

    /** Changes to tasks after a cursor: every committed change exactly once, in a stable order. */
    @GET
    @Path("changes")
    @Operation(summary = "Change feed", description = "Every committed insert, update and delete of tasks, exactly once, "
            + "in (transaction id, entry id) order. Start without `after`, then always pass back `next`. Changes of "
            + "transactions that may still be in flight are held back until no earlier change can appear.")
    @APIResponse(responseCode = "200", description = "The changes ready after the cursor", content = @Content(
            examples = @ExampleObject(name = "changes", value = "{\"items\":[{\"id\":2,\"taskId\":7,\"operation\":\"UPDATE\","
                    + "\"time\":\"2026-11-21T09:05:05.618349Z\",\"txid\":\"924\",\"changes\":{\"done\":{\"old\":false,\"new\":true}}}],"
                    + "\"next\":\"djE6OTI0OjI\",\"hasMore\":false}")))
    public Uni<ChangePage> changes(
            @Parameter(description = "Opaque cursor from a previous `next`; absent for the start of the feed")
            @QueryParam("after") String after,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        FeedCursor cursor = FeedCursor.decode(after);
        return feed.after(cursor, limit).map(changes -> new ChangePage(
                changes.entries().stream().map(e -> ChangeItem.from(e, json)).toList(),
                changes.next().encode(), changes.hasMore()));
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Get a task")
    @APIResponse(responseCode = "200", description = "The task as stored", headers = {
            @Header(name = "ETag", description = "The task's version"),
            @Header(name = "Last-Modified", description = "updatedAt, to the second") },
            content = @Content(schema = @Schema(implementation = TaskResponse.class),
                    examples = @ExampleObject(name = "task", value = TASK_EXAMPLE)))
    @APIResponse(responseCode = "304", description = "If-None-Match names the current version")
    public Uni<RestResponse<TaskResponse>> get(@PathParam("id") long id,
            @Parameter(in = ParameterIn.HEADER, description = "Entity tags the client holds; 304 when one is current")
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        return service.find(id).map(task -> {
            if (task == null) {
                throw new TaskNotFoundException(id);
            }
            String etag = ETags.of(task.getUpdatedAt());
            if (ETags.noneMatchHits(ifNoneMatch, etag)) {
                return versioned(ResponseBuilder.<TaskResponse> create(Status.NOT_MODIFIED), task).build();
            }
            return ok(Status.OK, task);
        });
    }

    /** The audit trail of one task, oldest first; it outlives the task. */
    @GET
    @Path("{id}/history")
    @Operation(summary = "History of a task", description = "The audit entries the database wrote for this task, "
            + "oldest first: operation, transaction time and id, actor, request id, changed fields. Kept after deletion.")
    @APIResponse(responseCode = "200", description = "One page of history")
    public Uni<HistoryPage> history(@PathParam("id") long id,
            @QueryParam("page") @DefaultValue("0") @Min(0) @Max(1_000_000) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size) {
        return service.history(id, page, size).map(entries -> {
            if (entries == null) {
                throw new TaskNotFoundException(id);
            }
            return new HistoryPage(entries.stream().limit(size).map(e -> HistoryEntry.from(e, json)).toList(),
                    page, size, entries.size() > size);
        });
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a task", description = "createdAt, updatedAt and fieldUpdatedAt are written by PostgreSQL "
            + "and returned from the same statement.")
    @APIResponse(responseCode = "201", description = "Created", headers = {
            @Header(name = "Location", description = "URL of the new task"),
            @Header(name = "ETag", description = "The task's version") },
            content = @Content(schema = @Schema(implementation = TaskResponse.class),
                    examples = @ExampleObject(name = "task", value = TASK_EXAMPLE)))
    public Uni<RestResponse<TaskResponse>> create(
            @RequestBody(content = @Content(examples = @ExampleObject(name = "task", value = BODY_EXAMPLE)))
            @NotNull @Valid TaskRequest body, UriInfo uri) {
        return service.create(body.title(), body.doneOrFalse(), metadata.writeContext())
                .map(task -> versioned(ResponseBuilder.create(Status.CREATED, TaskResponse.from(task)), task)
                        .location(uri.getBaseUriBuilder().path(TaskResource.class).path(String.valueOf(task.getId())).build())
                        .build());
    }

    /** The seed's update route, kept beside {@code PUT}: both replace title and done. */
    @POST
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace title and done (POST form)", description = "Same as PUT.")
    @APIResponse(responseCode = "200", description = "The task as stored",
            content = @Content(schema = @Schema(implementation = TaskResponse.class),
                    examples = @ExampleObject(name = "task", value = TASK_EXAMPLE)))
    @APIResponse(responseCode = "412", description = "If-Match names a version that is no longer current",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "stale", value = STALE_EXAMPLE)))
    public Uni<RestResponse<TaskResponse>> updateByPost(@PathParam("id") long id,
            @Parameter(in = ParameterIn.HEADER, description = IF_MATCH) @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @RequestBody(content = @Content(examples = @ExampleObject(name = "task", value = BODY_EXAMPLE)))
            @NotNull @Valid TaskRequest body) {
        return replace(id, ifMatch, body);
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace title and done", description = "Read-only fields may be sent back and are ignored.")
    @APIResponse(responseCode = "200", description = "The task as stored",
            content = @Content(schema = @Schema(implementation = TaskResponse.class),
                    examples = @ExampleObject(name = "task", value = TASK_EXAMPLE)))
    @APIResponse(responseCode = "412", description = "If-Match names a version that is no longer current",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "stale", value = STALE_EXAMPLE)))
    public Uni<RestResponse<TaskResponse>> replace(@PathParam("id") long id,
            @Parameter(in = ParameterIn.HEADER, description = IF_MATCH) @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @RequestBody(content = @Content(examples = @ExampleObject(name = "task", value = BODY_EXAMPLE)))
            @NotNull @Valid TaskRequest body) {
        return service.update(id, body.title(), body.doneOrFalse(), ETags.ifMatch(ifMatch), metadata.writeContext())
                .map(task -> ok(Status.OK, task));
    }

    @PATCH
    @Path("{id}")
    @Consumes(MERGE_PATCH)
    @Operation(summary = "Change some fields", description = "JSON merge patch (RFC 7396): only the fields sent change; "
            + "null is refused for these required fields.")
    @APIResponse(responseCode = "200", description = "The task as stored",
            content = @Content(schema = @Schema(implementation = TaskResponse.class),
                    examples = @ExampleObject(name = "task", value = TASK_EXAMPLE)))
    @APIResponse(responseCode = "412", description = "If-Match names a version that is no longer current",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "stale", value = STALE_EXAMPLE)))
    public Uni<RestResponse<TaskResponse>> patch(@PathParam("id") long id,
            @Parameter(in = ParameterIn.HEADER, description = IF_MATCH) @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @RequestBody(content = @Content(mediaType = MERGE_PATCH,
                    examples = @ExampleObject(name = "done", value = "{\"done\":true}")))
            @NotNull @Valid TaskPatch body) {
        return service.update(id, body.getTitle(), body.getDone(), ETags.ifMatch(ifMatch), metadata.writeContext())
                .map(task -> ok(Status.OK, task));
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete a task", description = "Its history stays.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "412", description = "If-Match names a version that is no longer current",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "stale", value = STALE_EXAMPLE)))
    public Uni<RestResponse<Void>> delete(@PathParam("id") long id,
            @Parameter(in = ParameterIn.HEADER, description = IF_MATCH) @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        return service.delete(id, ETags.ifMatch(ifMatch), metadata.writeContext())
                .map(nothing -> RestResponse.noContent());
    }

    private static RestResponse<TaskResponse> ok(Status status, Task task) {
        return versioned(ResponseBuilder.create(status, TaskResponse.from(task)), task).build();
    }

    private static <T> ResponseBuilder<T> versioned(ResponseBuilder<T> builder, Task task) {
        return builder.header(HttpHeaders.ETAG, ETags.of(task.getUpdatedAt()))
                .lastModified(Date.from(task.getUpdatedAt().toInstant()));
    }
}
