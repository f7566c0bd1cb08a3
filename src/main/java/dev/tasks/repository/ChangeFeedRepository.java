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
     * that may still be running. {@code held}: committed entries wait beyond the horizon. {@code gone}: retention removed entries after the position (no entries
     * are read then); {@code retainedTxid}/{@code retainedId}: the lowest position still served.
     */
    public record Batch(long horizon, boolean held, List<ChangeEntry> entries, boolean gone, long retainedTxid, long retainedId) {
    }

    private final Pool client;

    public ChangeFeedRepository(Pool client) {
        this.client = client;
    }

    public Uni<Batch> after(long txid, long id, int limit) {
        return client.preparedQuery(CHANGES)
                .execute(Tuple.of(Long.toString(txid), id, limit))
                .map(rows -> {
                    // Always one row at least, and the horizon columns are alike on every row.
                    Row head = rows.iterator().next();
                    long horizon = Long.parseLong(head.getString("horizon"));
                    boolean held = head.getBoolean("held");
                    boolean gone = head.getBoolean("gone");
                    boolean retained = head.getValue("retained_id") != null;
                    long retainedTxid = retained ? Long.parseLong(head.getString("retained_txid")) : 0;
                    long retainedId = retained ? head.getLong("retained_id") : 0;
                    List<ChangeEntry> entries = new ArrayList<>(rows.size());
                    ChangeEntry.Columns at = ChangeEntry.Columns.of(rows.columnsNames());
                    for (Row row : rows) {
                        if (row.getValue(at.id()) != null) {
                            entries.add(ChangeEntry.from(row, at));
                        }
                    }
                    return new Batch(horizon, held, entries, gone, retainedTxid, retainedId);
                });
    }
}
