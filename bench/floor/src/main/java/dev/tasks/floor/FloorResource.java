package dev.tasks.floor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.annotation.JsonRawValue;

import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;

/**
 * The least a Quarkus REST service can do to answer {@code GET /tasks/{id}}: the service's statement on a
 * pipelined client shaped like the service's reads (same connections, same pipelining limit), the row
 * written as the same JSON. {@code GET /constant/{id}} answers a task of the same size without the
 * database: the HTTP stack alone. No filters, metrics, security or error mapping.
 */
@jakarta.ws.rs.Path("/")
@Singleton
@Startup // its client built during the start, on the main thread, as the service's is
@Produces(MediaType.APPLICATION_JSON)
public class FloorResource {

    /** A task as the service writes it. */
    public record TaskResponse(long id, String title, boolean done, OffsetDateTime createdAt,
            OffsetDateTime updatedAt, @JsonRawValue String fieldUpdatedAt) {
    }

    private static final OffsetDateTime TIME = OffsetDateTime.of(2026, 12, 3, 6, 0, 0, 123456000, ZoneOffset.UTC);

    private final SqlClient client;
    private final String read;

    public FloorResource(Vertx vertx, @ConfigProperty(name = "floor.db-url") String url,
            @ConfigProperty(name = "floor.read-sql") Path readSql,
            @ConfigProperty(name = "floor.read-connections", defaultValue = "4") int connections,
            @ConfigProperty(name = "floor.read-pipelining-limit", defaultValue = "32") int pipelining) {
        try {
            this.read = Files.readString(readSql);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.client = PgBuilder.client()
                .with(new PoolOptions().setMaxSize(connections))
                .connectingTo(PgConnectOptions.fromUri(url).setPipeliningLimit(pipelining).setCachePreparedStatements(true))
                .using(vertx)
                .build();
    }

    @GET
    @jakarta.ws.rs.Path("tasks/{id}")
    public Uni<TaskResponse> task(@PathParam("id") long id) {
        return client.preparedQuery(read).execute(Tuple.of(id)).map(rows -> {
            RowIterator<Row> it = rows.iterator();
            if (!it.hasNext()) {
                throw new NotFoundException();
            }
            Row row = it.next();
            return new TaskResponse(row.getLong(0), row.getString(1), row.getBoolean(2), row.getOffsetDateTime(3),
                    row.getOffsetDateTime(4), row.getString(5));
        });
    }

    @GET
    @jakarta.ws.rs.Path("constant/{id}")
    public TaskResponse constant(@PathParam("id") long id) {
        return new TaskResponse(id, "seed task " + id, id % 3 == 0, TIME, TIME,
                "{\"done\": \"2026-12-03T06:00:00.123456Z\", \"title\": \"2026-12-03T06:00:00.123456Z\"}");
    }

    @PreDestroy
    void close() {
        client.closeAndAwait();
    }
}
