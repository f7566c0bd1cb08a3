package dev.tasks.stream;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tasks.entity.ChangeEntry;
import dev.tasks.mapping.ChangeItem;
import dev.tasks.service.ChangeFeedService;
import dev.tasks.service.ChangeFeedService.Changes;
import dev.tasks.service.FeedCursor;
import dev.tasks.service.InvalidCursorException;
import dev.tasks.service.RetainedRangeException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

/**
 * The change streams of this instance. Every event is read with the polled feed's own query, so a stream
 * sends exactly what polling from the same cursor would return, in the same order.
 * <p>
 * One shared reader, the tail, follows the end of the feed: it reads when PostgreSQL announces a commit
 * ({@link FeedNotifications}), when changes were held back behind a running transaction (soon after),
 * and every {@code poll-interval} in case a notification was lost. It keeps the newest events in a
 * bounded window that every subscriber at the end of the feed is served from, so a write costs one read
 * however many subscribers there are. A subscriber behind that window (one resuming from an old cursor)
 * reads its own pages until it reaches it.
 * <p>
 * Each subscriber has at most {@code queue} events sent but not yet written to its connection; the next
 * page waits until it drains. One whose queue stays full for {@code stall-timeout} is disconnected, and
 * resumes from its last event id when it reconnects. So the memory a stream holds is bounded whatever the
 * client does.
 * <p>
 * A stream whose position the database has not reached ends: the database went back to an earlier point (a
 * restore, or a failover to a standby that had not received the latest commits), and the changes it lost
 * were sent already. Its reconnect is answered 400 with that explanation, so the client resynchronises
 * instead of waiting, unaware, for transaction ids the database will hand out again to other changes.
 */
@ApplicationScoped
public class ChangeStreams {

    private static final Logger LOG = Logger.getLogger(ChangeStreams.class);
    /** Events the tail keeps for subscribers at the end of the feed. */
    private static final int WINDOW = 2048;
    /** Most entries one read asks for. */
    private static final int PAGE = 500;
    private static final long TICK_MILLIS = 1000;

    /** One change, ready to send: its position is the event id. */
    private record Event(FeedCursor position, OutboundSseEvent sse) {
    }

    private final ChangeFeedService feed;
    private final ObjectMapper json;
    private final Vertx vertx;
    private final StreamConfig config;
    private final FeedNotifications notifications;
    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    private final AtomicInteger open = new AtomicInteger();
    private final Counter cutOff;
    private volatile Sse sse;

    // The tail, guarded by this. window holds the feed's events in (base, head], contiguous.
    private FeedCursor head;
    private FeedCursor base;
    private final ArrayDeque<Event> window = new ArrayDeque<>();
    private boolean tailReading;
    private boolean tailAgain;
    private boolean retryScheduled;
    /** Advances whenever the tail starts again, so that a read begun before is dropped. */
    private long tailEpoch;
    private long periodic = -1;
    private long lastTailRead;

    public ChangeStreams(ChangeFeedService feed, ObjectMapper json, Vertx vertx, StreamConfig config,
            FeedNotifications notifications, MeterRegistry registry) {
        this.feed = feed;
        this.json = json;
        this.vertx = vertx;
        this.config = config;
        this.notifications = notifications;
        registry.gauge("tasks.feed.stream.subscribers", open);
        this.cutOff = Counter.builder("tasks.feed.stream.cutoffs")
                .description("Change streams disconnected because their client stopped reading").register(registry);
    }

    /**
     * Starts a stream from {@code from}: validates the cursor with a first read (a cursor this service
     * never issued fails here, before anything is sent), then registers the subscriber. Fails with
     * {@link TooManySubscribersException} at the limit. {@code exchange} is the HTTP exchange under the
     * stream, which outlives the request.
     */
    public Uni<Void> open(FeedCursor from, SseEventSink sink, Sse sse, RoutingContext exchange) {
        if (open.incrementAndGet() > config.maxSubscribers()) {
            open.decrementAndGet();
            throw new TooManySubscribersException(config.maxSubscribers());
        }
        this.sse = sse;
        // The place is given back on every way this can end before the subscriber holds it: a failed read,
        // and a client that left during the read (Quarkus REST then cancels it).
        return feed.after(from, 1)
                .onFailure().invoke(open::decrementAndGet)
                .onCancellation().invoke(open::decrementAndGet)
                .map(validated -> register(from, sink, exchange));
    }

    /** After the first read: the subscriber takes the place counted for it, unless its client has gone. */
    private Void register(FeedCursor from, SseEventSink sink, RoutingContext exchange) {
        if (exchange.response().ended() || exchange.response().closed()) {
            // Gone already, so no end handler would run for it.
            open.decrementAndGet();
            return null;
        }
        Subscriber subscriber = new Subscriber(sink, exchange, from);
        subscribers.add(subscriber);
        // Whichever side ends the exchange.
        exchange.addEndHandler(ended -> close(subscriber, false));
        start();
        pump(subscriber);
        return null;
    }

    /** A commit was announced, or the notification connection was (re)established. */
    void wake() {
        readTail();
    }

    private synchronized void start() {
        if (periodic < 0) {
            periodic = vertx.setPeriodic(TICK_MILLIS, id -> tick());
            notifications.listen(this::wake);
        }
    }

    /** Heartbeats, stall cut-offs, the safety-net read, and another try for subscribers whose read failed. */
    private void tick() {
        long now = System.nanoTime();
        for (Subscriber s : subscribers) {
            s.tick(now);
        }
        boolean due;
        synchronized (this) {
            due = now - lastTailRead >= config.pollInterval().toNanos();
        }
        if (due) {
            readTail();
        }
    }

    private void readTail() {
        FeedCursor from;
        long epoch;
        synchronized (this) {
            if (head == null || subscribers.isEmpty()) {
                return;
            }
            if (tailReading) {
                tailAgain = true;
                return;
            }
            tailReading = true;
            lastTailRead = System.nanoTime();
            from = head;
            epoch = tailEpoch;
        }
        feed.after(from, PAGE).subscribe().with(changes -> {
            List<Event> events = events(changes);
            boolean again;
            boolean stale;
            synchronized (this) {
                tailReading = false;
                // The tail may have started again meanwhile: then this read followed a position it no longer holds.
                stale = epoch != tailEpoch;
                if (!stale) {
                    for (Event event : events) {
                        window.addLast(event);
                        if (window.size() > WINDOW) {
                            base = window.removeFirst().position();
                        }
                    }
                    head = changes.next();
                }
                again = stale || tailAgain || changes.hasMore();
                tailAgain = false;
                if (!stale && changes.held() && !retryScheduled) {
                    retryScheduled = true;
                    vertx.setTimer(config.heldRetry().toMillis(), id -> {
                        synchronized (this) {
                            retryScheduled = false;
                        }
                        readTail();
                    });
                }
            }
            if (!stale && !events.isEmpty()) {
                subscribers.forEach(this::pump);
            }
            if (again) {
                readTail();
            }
        }, failure -> {
            boolean wentBack = failure instanceof InvalidCursorException;
            synchronized (this) {
                tailReading = false;
                if (wentBack && epoch == tailEpoch) {
                    restartTail(null);
                } else {
                    wentBack = false;
                }
            }
            if (wentBack) {
                LOG.warnf("The database has not reached the change streams' position %s: it went back to an earlier "
                        + "point (a restore or a failover). Every stream past it ends; its reconnect is answered 400.",
                        from.encode());
                // Each subscriber reads from its own position now: those the database has not reached end there.
                subscribers.forEach(this::pump);
                return;
            }
            LOG.debugf("Change stream read failed, retried within %s: %s", config.pollInterval(), failure);
        });
    }

    /** Under this. The tail follows the feed from {@code position} (null: from the first subscriber to reach its end). */
    private void restartTail(FeedCursor position) {
        head = position;
        base = position;
        window.clear();
        tailEpoch++;
    }

    /**
     * The first subscriber to reach the end of the feed gives the tail its starting point. A later one that
     * found nothing after a position below the window's start shows that the tail started past the feed's
     * end: from a cursor a client made up (an audit id no entry has), which would otherwise send every
     * subscriber at the real end to read on its own, again and again, until the next change. The tail then
     * starts again from there; it re-reads, and subscribers skip what they already have.
     */
    private synchronized void reachedEnd(Subscriber s, FeedCursor position, boolean found) {
        if (!subscribers.contains(s)) {
            // Closed while it read: the tail stays released (close()), not restarted for nobody.
            return;
        }
        if (head == null || (!found && position.compareTo(base) < 0)) {
            restartTail(position);
        }
    }

    /**
     * Under this. The window's first {@code room} events after {@code cursor}, found from the newest back: a
     * subscriber at the end of the feed, the usual one, looks at the new events only, not the whole window.
     */
    private List<Event> newerThan(FeedCursor cursor, int room) {
        List<Event> newer = new ArrayList<>();
        for (Iterator<Event> fromNewest = window.descendingIterator(); fromNewest.hasNext();) {
            Event event = fromNewest.next();
            if (event.position().compareTo(cursor) <= 0) {
                break;
            }
            newer.add(event);
        }
        Collections.reverse(newer);
        return newer.size() > room ? newer.subList(0, room) : newer;
    }

    /** Sends what a subscriber can take: from the window when it is within it, else from its own read. */
    private void pump(Subscriber s) {
        List<Event> ready = null;
        boolean ownRead = false;
        int room;
        synchronized (s) {
            room = config.queue() - s.pending;
            if (s.closed || s.reading || room <= 0) {
                return;
            }
            synchronized (this) {
                if (head != null && s.cursor.compareTo(base) >= 0 && s.cursor.compareTo(head) <= 0) {
                    ready = newerThan(s.cursor, room);
                } else if (head == null || s.cursor.compareTo(base) < 0) {
                    ownRead = true;
                    s.reading = true;
                }
                // Else the subscriber read past the tail on its own: the tail's next read brings it along.
            }
            if (ready != null) {
                ready.forEach(event -> send(s, event));
                return;
            }
        }
        if (!ownRead) {
            readTail();
            return;
        }
        FeedCursor from;
        synchronized (s) {
            from = s.cursor;
        }
        feed.after(from, Math.min(room, PAGE)).subscribe().with(changes -> {
            List<Event> events = events(changes);
            synchronized (s) {
                s.reading = false;
                events.forEach(event -> send(s, event));
                s.cursor = changes.next();
            }
            if (!changes.hasMore()) {
                reachedEnd(s, changes.next(), !events.isEmpty());
                if (changes.held()) {
                    readTail();
                }
            }
            pump(s);
        }, failure -> {
            synchronized (s) {
                s.reading = false;
            }
            if (failure instanceof RetainedRangeException || failure instanceof InvalidCursorException) {
                // Retention removed changes this stream has not sent, or the database went back before what it
                // sent: end it; reconnecting answers 410 or 400, each saying what the client must do.
                close(s, false);
                return;
            }
            LOG.debugf("Change stream read failed, retried within a second: %s", failure);
        });
    }

    private List<Event> events(Changes changes) {
        Sse builder = sse;
        List<Event> events = new ArrayList<>(changes.entries().size());
        for (ChangeEntry entry : changes.entries()) {
            FeedCursor position = new FeedCursor(entry.txid(), entry.id());
            String data;
            try {
                data = json.writeValueAsString(ChangeItem.from(entry));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            events.add(new Event(position, builder.newEventBuilder().id(position.encode()).data(data).build()));
        }
        return events;
    }

    /** Under the subscriber's lock. Never sends an event at or before the subscriber's position. */
    private void send(Subscriber s, Event event) {
        if (event.position().compareTo(s.cursor) <= 0) {
            return;
        }
        s.cursor = event.position();
        write(s, event.sse());
    }

    /** Under the subscriber's lock. */
    private void write(Subscriber s, OutboundSseEvent event) {
        if (s.closed) {
            return;
        }
        s.pending++;
        s.lastSend = System.nanoTime();
        CompletionStage<?> sent;
        try {
            sent = s.sink.send(event);
        } catch (IllegalStateException closedSink) {
            // A sink whose response is closed throws rather than failing the stage.
            s.pending--;
            close(s, false);
            return;
        }
        sent.whenComplete((ok, failure) -> {
            boolean drained;
            synchronized (s) {
                s.pending--;
                if (failure != null) {
                    close(s, false);
                    return;
                }
                drained = s.pending <= config.queue() / 2;
                if (s.pending < config.queue()) {
                    s.fullSince = -1;
                }
            }
            if (drained) {
                // Not from inside the send that may have completed at once: no deep recursion.
                vertx.runOnContext(v -> pump(s));
            }
        });
        if (s.pending >= config.queue() && s.fullSince < 0) {
            s.fullSince = System.nanoTime();
        }
    }

    private void close(Subscriber s, boolean stalled) {
        synchronized (s) {
            if (s.closed) {
                return;
            }
            s.closed = true;
        }
        if (subscribers.remove(s)) {
            open.decrementAndGet();
            synchronized (this) {
                if (subscribers.isEmpty()) {
                    // Nobody follows the tail now: the next stream starts it where it finds the end, rather than
                    // waiting while everything written in between is read again.
                    restartTail(null);
                }
            }
        }
        if (stalled) {
            cutOff.increment();
            LOG.debugf("Change stream cut off: its client left %d events unread for %s", config.queue(),
                    config.stallTimeout());
        }
        if (stalled) {
            // Drops the exchange with whatever is still queued for it: the connection on HTTP/1.1, the stream
            // on HTTP/2. Ending the response would only queue its end behind what the client does not read.
            s.exchange.response().reset();
        } else if (!s.sink.isClosed()) {
            s.sink.close();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        subscribers.forEach(s -> close(s, false));
    }

    /** One open stream. */
    private final class Subscriber {

        private final SseEventSink sink;
        private final RoutingContext exchange;
        /** The position of the last event sent, or the one the client resumed from. */
        private FeedCursor cursor;
        private int pending;
        private boolean reading;
        private boolean closed;
        private long fullSince = -1;
        private long lastSend = System.nanoTime();

        Subscriber(SseEventSink sink, RoutingContext exchange, FeedCursor from) {
            this.sink = sink;
            this.exchange = exchange;
            this.cursor = from;
        }

        void tick(long now) {
            boolean stalled;
            synchronized (this) {
                if (closed) {
                    return;
                }
                stalled = fullSince >= 0 && now - fullSince >= config.stallTimeout().toNanos();
                if (!stalled && pending == 0
                        && now - lastSend >= TimeUnit.MILLISECONDS.toNanos(config.heartbeat().toMillis())) {
                    write(this, sse.newEventBuilder().comment("keep-alive").build());
                }
            }
            if (stalled) {
                close(this, true);
            } else {
                pump(this);
            }
        }
    }
}
