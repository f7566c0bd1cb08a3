package dev.tasks.rest;

import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.function.Function;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.RestResponse.ResponseBuilder;
import org.jboss.resteasy.reactive.RestResponse.Status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tasks.entity.Task;
import dev.tasks.mapping.ChangeItem;
import dev.tasks.mapping.ChangePage;
import dev.tasks.mapping.HistoryEntry;
import dev.tasks.mapping.HistoryPage;
import dev.tasks.mapping.RevertRequest;
import dev.tasks.mapping.TaskPage;
import dev.tasks.mapping.TaskPatch;
import dev.tasks.mapping.TaskRequest;
import dev.tasks.mapping.TaskResponse;
import dev.tasks.service.ChangeFeedService;
import dev.tasks.service.FeedCursor;
import dev.tasks.service.InvalidCursorException;
import dev.tasks.service.InvalidParameterException;
import dev.tasks.service.PreconditionFailedException;
import dev.tasks.service.PreconditionRequiredException;
import dev.tasks.service.TaskNotFoundException;
import dev.tasks.service.TaskService;
import dev.tasks.service.TaskVersions;
import dev.tasks.service.WriteContext;
import dev.tasks.stream.ChangeStreams;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * The HTTP surface of tasks, described in {@code META-INF/openapi.yaml}. Every task response carries an
 * {@code ETag} (the row's version) and {@code Last-Modified}; writes honour {@code If-Match} (or, without
 * it, {@code If-Unmodified-Since}), reads {@code If-None-Match} (or {@code If-Modified-Since}).
 */
@Path("/tasks")
@Produces(MediaType.APPLICATION_JSON)
public class TaskResource {

    public static final String MERGE_PATCH = "application/merge-patch+json";
    /** Digits only, so that {@code /tasks/changes} with a wrong method is a 405, not a task id. */
    private static final String ID = "{id: [0-9]+}";
    private static final String LAST_EVENT_ID = "Last-Event-ID";

    private final TaskService service;
    private final ChangeFeedService feed;
    private final ChangeStreams streams;
    private final RoutingContext routing;
    private final ObjectMapper json;

    public TaskResource(TaskService service, ChangeFeedService feed, ChangeStreams streams, RoutingContext routing,
            ObjectMapper json) {
        this.service = service;
        this.feed = feed;
        this.streams = streams;
        this.routing = routing;
        this.json = json;
    }

    @GET
    public Uni<TaskPage> list(
            // A String, not a Boolean: JAX-RS would read any other word as false.
            @QueryParam("done") @Pattern(regexp = "true|false", message = "must be true or false") String done,
            @QueryParam("page") @DefaultValue("0") @Min(0) @Max(1_000_000) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size) {
        return service.list(done == null ? null : Boolean.valueOf(done), page, size).map(rows -> new TaskPage(
                rows.size() > size ? rows.subList(0, size) : rows, page, size, rows.size() > size));
    }

    /** Changes to tasks after a cursor: every committed change exactly once, in a stable order. */
    @GET
    @Path("changes")
    public Uni<ChangePage> changes(@QueryParam("after") String after,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        FeedCursor cursor = FeedCursor.decode(after);
        return feed.after(cursor, limit).map(changes -> new ChangePage(
                changes.entries().stream().map(ChangeItem::from).toList(),
                changes.next().encode(), changes.hasMore()));
    }

    /**
     * The change feed pushed as Server-Sent Events: each change is an event whose id is the feed cursor after
     * it and whose data is the feed item. A client resumes with {@code Last-Event-ID} (as EventSource does by
     * itself) or {@code ?after=}. The stream outlives the request, so it gets the request's own RoutingContext.
     */
    @GET
    @Path("changes/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Uni<Void> stream(@HeaderParam(LAST_EVENT_ID) String lastEventId, @QueryParam("after") String after,
            @Context SseEventSink sink, @Context Sse sse, @Context RoutingContext request) {
        // Like every read's answer (RequestFilters): the sink writes the stream's headers past that filter, and
        // a refused cursor's problem is answered past it too.
        request.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-cache").putHeader(HttpHeaders.VARY, HttpHeaders.ACCEPT);
        return fromStreamStart(lastEventId, after, cursor -> streams.open(cursor, sink, sse, request));
    }

    /**
     * {@code HEAD} of the stream: the answer a {@code GET} would start with (the cursor checked as it would
     * be), without a stream behind it. Left to JAX-RS, a {@code HEAD} would open a stream, hold a place and
     * never end, and its connection could carry no other request.
     */
    @HEAD
    @Path("changes/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Uni<RestResponse<Void>> streamHead(@HeaderParam(LAST_EVENT_ID) String lastEventId,
            @QueryParam("after") String after) {
        return fromStreamStart(lastEventId, after, cursor -> feed.after(cursor, 1))
                .map(checked -> ResponseBuilder.<Void> ok().type(MediaType.SERVER_SENT_EVENTS_TYPE).build());
    }

    /**
     * Starts a stream (or its {@code HEAD}) from its cursor: the {@code Last-Event-ID} a reconnecting client
     * sends wins over {@code after}, and a refused cursor is named by the one that sent it.
     */
    private static <T> Uni<T> fromStreamStart(String lastEventId, String after, Function<FeedCursor, Uni<T>> start) {
        String field = lastEventId != null && !lastEventId.isEmpty() ? LAST_EVENT_ID : InvalidCursorException.AFTER;
        FeedCursor cursor = FeedCursor.decode(LAST_EVENT_ID.equals(field) ? lastEventId : after, field);
        return start.apply(cursor)
                .onFailure(InvalidCursorException.class).transform(e -> ((InvalidCursorException) e).from(field));
    }

    @GET
    @Path(ID)
    public Uni<RestResponse<TaskResponse>> get(@PathParam("id") long id,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
            @HeaderParam(HttpHeaders.IF_MODIFIED_SINCE) String ifModifiedSince, @QueryParam("asOf") String asOf,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @HeaderParam(HttpHeaders.IF_UNMODIFIED_SINCE) String ifUnmodifiedSince) {
        // If-Match or If-Unmodified-Since, read once, as a write reads them (without If-None-Match: a read's is 304).
        TaskVersions accepted = ETags.precondition(ifMatch, ifUnmodifiedSince, null);
        if (asOf != null) {
            return service.asOf(id, instant(asOf)).map(stored -> {
                try {
                    return conditional(TaskResponse.fromStoredRow(json.readTree(stored)), accepted, ifNoneMatch,
                            ifModifiedSince);
                } catch (JsonProcessingException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return service.find(id).map(task -> {
            if (task == null) {
                throw new TaskNotFoundException(id);
            }
            return conditional(task, accepted, ifNoneMatch, ifModifiedSince);
        });
    }

    /**
     * The answer to a read, in the order of RFC 9110 (section 13.2.2): 412 when {@code If-Match} (or
     * {@code If-Unmodified-Since}) refuses the task's version, as on a write; else 304 when
     * {@code If-None-Match} (or {@code If-Modified-Since}) says the client has it; else 200 with the task.
     */
    private static RestResponse<TaskResponse> conditional(TaskResponse task, TaskVersions accepted, String ifNoneMatch,
            String ifModifiedSince) {
        if (!accepted.accepts(task.updatedAt())) {
            throw PreconditionFailedException.of(task.id(), accepted.refusedBy(task.updatedAt()));
        }
        return versioned(ETags.notModified(ifNoneMatch, ifModifiedSince, task.updatedAt())
                ? ResponseBuilder.<TaskResponse> create(Status.NOT_MODIFIED) : ResponseBuilder.create(Status.OK, task),
                task.updatedAt());
    }

    /** An RFC 3339 instant (date, time and offset), kept to the microsecond like every stored time. */
    private static OffsetDateTime instant(String text) {
        return Rfc3339.parse(text).orElseThrow(() -> new InvalidParameterException("asOf",
                "must be an RFC 3339 instant with an offset, such as 2026-11-21T09:05:05.618349Z"));
    }

    /** The audit trail of one task, oldest first; it outlives the task. */
    @GET
    @Path(ID + "/history")
    public Uni<HistoryPage> history(@PathParam("id") long id,
            @QueryParam("page") @DefaultValue("0") @Min(0) @Max(1_000_000) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size) {
        return service.history(id, page, size).map(entries -> {
            if (entries == null) {
                throw new TaskNotFoundException(id);
            }
            return new HistoryPage(entries.stream().limit(size).map(HistoryEntry::from).toList(),
                    page, size, entries.size() > size);
        });
    }

    /**
     * With an {@code Idempotency-Key}, a retry of the same request answers what the first one got (the
     * same 201, task, {@code Location} and {@code ETag}) and creates nothing.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<TaskResponse>> create(@NotNull @Valid TaskRequest body, UriInfo uri, HttpHeaders headers) {
        String key = IdempotencyKeys.parse(headers.getRequestHeader(IdempotencyKeys.HEADER));
        Uni<TaskResponse> created = key == null
                ? service.create(body.getTitle(), body.doneOrFalse(), writer()).map(TaskResponse::from)
                : service.create(body.getTitle(), body.doneOrFalse(), key, writer());
        return created.map(task -> versioned(ResponseBuilder.create(Status.CREATED, task)
                .location(uri.getBaseUriBuilder().path(TaskResource.class).path(String.valueOf(task.id())).build()),
                task.updatedAt()));
    }

    /** The seed's update route, kept beside {@code PUT}: both replace title and done. */
    @POST
    @Path(ID)
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<TaskResponse>> replaceByPost(@PathParam("id") long id,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @HeaderParam(HttpHeaders.IF_UNMODIFIED_SINCE) String ifUnmodifiedSince,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch, @NotNull @Valid TaskRequest body) {
        return replace(id, ifMatch, ifUnmodifiedSince, ifNoneMatch, body);
    }

    @PUT
    @Path(ID)
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<TaskResponse>> replace(@PathParam("id") long id,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @HeaderParam(HttpHeaders.IF_UNMODIFIED_SINCE) String ifUnmodifiedSince,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch, @NotNull @Valid TaskRequest body) {
        return service.update(id, body.getTitle(), body.doneOrFalse(),
                ETags.precondition(ifMatch, ifUnmodifiedSince, ifNoneMatch), writer())
                .map(TaskResource::ok);
    }

    @PATCH
    @Path(ID)
    @Consumes(MERGE_PATCH)
    public Uni<RestResponse<TaskResponse>> patch(@PathParam("id") long id,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @HeaderParam(HttpHeaders.IF_UNMODIFIED_SINCE) String ifUnmodifiedSince,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch, @NotNull @Valid TaskPatch body) {
        return service.update(id, body.getTitle(), body.getDone(),
                ETags.precondition(ifMatch, ifUnmodifiedSince, ifNoneMatch), writer())
                .map(TaskResource::ok);
    }

    /**
     * Sets the task's fields back to their values at a version (from its history or the feed), as one
     * ordinary audited write; {@code If-Match} is required.
     */
    @POST
    @Path(ID + "/revert")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<TaskResponse>> revert(@PathParam("id") long id,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch, @NotNull @Valid RevertRequest body) {
        if (ifMatch == null || ifMatch.isBlank()) {
            throw new PreconditionRequiredException(id);
        }
        // If-Match is there, so If-Unmodified-Since would be ignored (RFC 9110, section 13.2.2).
        return service.revert(id, body.version(), ETags.precondition(ifMatch, null, ifNoneMatch), writer())
                .map(TaskResource::ok);
    }

    /**
     * Any Accept will do: a 204 has no body to negotiate, and errors are always problem details. A body is
     * read, and dropped: an HTTP/2 body of unknown length announces itself by no header, so only reading it
     * refuses it as on any route, past the size limit (413) or without a {@code Content-Type} (415), before
     * anything is deleted. Unread, the task was deleted and the body ignored.
     */
    @DELETE
    @Path(ID)
    @Produces(MediaType.WILDCARD)
    public Uni<RestResponse<Void>> delete(@PathParam("id") long id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @HeaderParam(HttpHeaders.IF_UNMODIFIED_SINCE) String ifUnmodifiedSince,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch, byte[] ignoredBody) {
        return service.delete(id, ETags.precondition(ifMatch, ifUnmodifiedSince, ifNoneMatch), writer())
                .map(nothing -> RestResponse.noContent());
    }

    /** Who writes, for the audit trail: the verified principal ({@link Authentication}) and the request id. */
    private WriteContext writer() {
        return new WriteContext(routing.get(Authentication.ACTOR, "anonymous"), routing.get(HttpEdge.REQUEST_ID));
    }

    private static RestResponse<TaskResponse> ok(Task task) {
        return versioned(ResponseBuilder.create(Status.OK, TaskResponse.from(task)), task.getUpdatedAt());
    }

    /** Every task answer names the row's version: {@code ETag} and {@code Last-Modified}. */
    private static <T> RestResponse<T> versioned(ResponseBuilder<T> builder, OffsetDateTime updatedAt) {
        return builder.header(HttpHeaders.ETAG, ETags.of(updatedAt))
                .header(HttpHeaders.LAST_MODIFIED, ETags.lastModified(updatedAt)).build();
    }
}
