package dev.tasks.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

import dev.tasks.service.FeedCursor;
import dev.tasks.stream.ChangeStreams;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * The change feed pushed as Server-Sent Events: each change is an event whose id is the feed cursor after
 * it and whose data is the feed item. A client resumes with {@code Last-Event-ID} (as EventSource does by
 * itself) or {@code ?after=}.
 */
@Path("/tasks/changes/stream")
public class ChangeStreamResource {

    private final ChangeStreams streams;

    public ChangeStreamResource(ChangeStreams streams) {
        this.streams = streams;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Uni<Void> stream(@HeaderParam("Last-Event-ID") String lastEventId, @QueryParam("after") String after,
            @Context SseEventSink sink, @Context Sse sse, @Context RoutingContext routing) {
        FeedCursor from = FeedCursor.decode(lastEventId != null && !lastEventId.isEmpty() ? lastEventId : after);
        return streams.open(from, sink, sse, new ChangeStreams.Connection() {
            @Override
            public void onEnd(Runnable action) {
                routing.addEndHandler(ended -> action.run());
            }

            @Override
            public void reset() {
                routing.response().reset();
            }
        });
    }
}
