package dev.tasks.service;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tasks.entity.ChangeEntry;
import dev.tasks.repository.ChangeFeedRepository;
import io.smallrye.mutiny.Uni;

/**
 * The change feed: every committed change to tasks exactly once, in (transaction id, audit id) order.
 * Positions come from transaction ids and the snapshot horizon, never from timestamps, so a
 * transaction that commits late is held back until no earlier position can still appear.
 */
@ApplicationScoped
public class ChangeFeedService {

    /**
     * Entries after {@code cursor}, and the cursor to pass next time. {@code held}: committed changes wait
     * behind a transaction that is still running, so reading again later will find more.
     */
    public record Changes(List<ChangeEntry> entries, FeedCursor next, boolean hasMore, boolean held) {
    }

    private final ChangeFeedRepository feed;

    public ChangeFeedService(ChangeFeedRepository feed) {
        this.feed = feed;
    }

    /** Up to {@code limit} entries; one more is asked for, so that {@code hasMore} says whether any is ready. */
    public Uni<Changes> after(FeedCursor cursor, int limit) {
        return feed.after(cursor.txid(), cursor.id(), limit + 1).map(batch -> {
            // Every issued cursor lies below the horizon it was read under, and horizons only grow, unless the
            // database went back to an earlier point.
            if (cursor.txid() >= batch.horizon()) {
                throw InvalidCursorException.ahead();
            }
            if (batch.gone()) {
                throw RetainedRangeException.feed(new FeedCursor(batch.retainedTxid(), batch.retainedId()));
            }
            List<ChangeEntry> entries = batch.entries();
            if (entries.isEmpty()) {
                return new Changes(entries, cursor, false, batch.held());
            }
            boolean more = entries.size() > limit;
            if (more) {
                entries = entries.subList(0, limit);
            }
            ChangeEntry last = entries.get(entries.size() - 1);
            return new Changes(entries, new FeedCursor(last.txid(), last.id()), more, batch.held());
        });
    }
}
