package dev.tasks.repository;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tasks.entity.ChangeEntry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Reads the change feed of tasks from {@code audit_log}, on the reactive client like the history. */
@ApplicationScoped
public class ChangeFeedRepository {

    private static final String CHANGES = SqlStatements.load("task-changes");

    /**
     * The entries after a position, and the horizon they were read under: the oldest transaction id
     * that may still be running. {@code held}: committed entries wait beyond the horizon.
     */
    public record Batch(long horizon, boolean held, List<ChangeEntry> entries) {
    }

    private final Pool client;

    public ChangeFeedRepository(Pool client) {
        this.client = client;
    }

    public Uni<Batch> after(long txid, long id, int limit) {
        return client.preparedQuery(CHANGES)
                .execute(Tuple.of(Long.toString(txid), id, limit))
                .map(rows -> {
                    long horizon = 0;
                    boolean held = false;
                    List<ChangeEntry> entries = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        horizon = Long.parseLong(row.getString("horizon"));
                        held = row.getBoolean("held");
                        if (row.getValue("id") != null) {
                            entries.add(ChangeEntry.from(row));
                        }
                    }
                    return new Batch(horizon, held, entries);
                });
    }
}
