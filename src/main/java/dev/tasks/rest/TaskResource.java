package dev.tasks.rest;

import java.net.URI;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tasks.entity.Task;
import dev.tasks.mapping.HistoryEntry;
import dev.tasks.mapping.HistoryPage;
import dev.tasks.mapping.TaskPage;
import dev.tasks.mapping.TaskPatch;
import dev.tasks.mapping.TaskRequest;
import dev.tasks.mapping.TaskResponse;
import dev.tasks.service.TaskService;
import io.smallrye.mutiny.Uni;

/** The HTTP surface of tasks. */
@Path("/tasks")
@Produces(MediaType.APPLICATION_JSON)
public class TaskResource {

    public static final String MERGE_PATCH = "application/merge-patch+json";

    private final TaskService service;
    private final RequestMetadata metadata;
    private final ObjectMapper json;

    public TaskResource(TaskService service, RequestMetadata metadata, ObjectMapper json) {
        this.service = service;
        this.metadata = metadata;
        this.json = json;
    }

    @GET
    public Uni<TaskPage> list(@QueryParam("done") Boolean done,
            @QueryParam("page") @DefaultValue("0") @Min(0) @Max(1_000_000) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size) {
        return service.list(done, page, size).map(rows -> new TaskPage(
                rows.stream().limit(size).map(TaskResponse::from).toList(), page, size, rows.size() > size));
    }

    @GET
    @Path("{id}")
    public Uni<TaskResponse> get(@PathParam("id") long id) {
        return service.find(id).map(task -> found(id, task));
    }

    /** The audit trail of one task, oldest first; it outlives the task. */
    @GET
    @Path("{id}/history")
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
    public Uni<RestResponse<TaskResponse>> create(@NotNull @Valid TaskRequest body, UriInfo uri) {
        return service.create(body.title(), body.doneOrFalse(), metadata.writeContext())
                .map(task -> RestResponse.ResponseBuilder
                        .create(RestResponse.Status.CREATED, TaskResponse.from(task))
                        .location(uri.getBaseUriBuilder().path(TaskResource.class).path(String.valueOf(task.getId())).build())
                        .build());
    }

    /** The seed's update route, kept beside {@code PUT}: both replace title and done. */
    @POST
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<TaskResponse> updateByPost(@PathParam("id") long id, @NotNull @Valid TaskRequest body) {
        return replace(id, body);
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<TaskResponse> replace(@PathParam("id") long id, @NotNull @Valid TaskRequest body) {
        return service.update(id, body.title(), body.doneOrFalse(), metadata.writeContext())
                .map(task -> found(id, task));
    }

    @PATCH
    @Path("{id}")
    @Consumes(MERGE_PATCH)
    public Uni<TaskResponse> patch(@PathParam("id") long id, @NotNull @Valid TaskPatch body) {
        return service.update(id, body.getTitle(), body.getDone(), metadata.writeContext())
                .map(task -> found(id, task));
    }

    @DELETE
    @Path("{id}")
    public Uni<Response> delete(@PathParam("id") long id) {
        return service.delete(id, metadata.writeContext())
                .map(deleted -> {
                    if (!deleted) {
                        throw new TaskNotFoundException(id);
                    }
                    return Response.noContent().build();
                });
    }

    private static TaskResponse found(long id, Task task) {
        if (task == null) {
            throw new TaskNotFoundException(id);
        }
        return TaskResponse.from(task);
    }
}
