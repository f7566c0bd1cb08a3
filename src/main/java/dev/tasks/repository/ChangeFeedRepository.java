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
                    long horizon = 0;
                    boolean held = false;
                    boolean gone = false;
                    long retainedTxid = 0;
                    long retainedId = 0;
                    List<ChangeEntry> entries = new ArrayList<>(rows.size());
                    ChangeEntry.Columns at = ChangeEntry.Columns.of(rows.columnsNames());
                    boolean first = true;
                    for (Row row : rows) {
                        if (first) { // the horizon columns are alike on every row
                            first = false;
                            horizon = Long.parseLong(row.getString("horizon"));
                            held = row.getBoolean("held");
                            gone = row.getBoolean("gone");
                            if (row.getValue("retained_id") != null) {
                                retainedTxid = Long.parseLong(row.getString("retained_txid"));
                                retainedId = row.getLong("retained_id");
                            }
                        }
                        if (row.getValue(at.id()) != null) {
                            entries.add(ChangeEntry.from(row, at));
                        }
                    }
                    return new Batch(horizon, held, entries, gone, retainedTxid, retainedId);
                });
    }
}
