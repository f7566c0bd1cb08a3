package dev.tasks.feed;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Server-Sent Events client on {@code java.net.http}: collects the events and comments of one stream
 * on a thread of its own, as the lines arrive.
 */
final class SseClient implements AutoCloseable {

    /** One event: its id and data, or a comment (id and data null). */
    record Event(String id, String data, String comment) {
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final HttpResponse<Stream<String>> response;
    private final Thread reader;
    private volatile boolean ended;

    SseClient(URI uri, String lastEventId, HttpClient.Version version) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(version).connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        response = client.send(request.build(), HttpResponse.BodyHandlers.ofLines());
        reader = new Thread(this::read, "sse-client");
        reader.setDaemon(true);
        if (response.statusCode() == 200) {
            reader.start();
        }
    }

    int status() {
        return response.statusCode();
    }

    HttpResponse<Stream<String>> response() {
        return response;
    }

    private void read() {
        String id = null;
        StringBuilder data = null;
        try {
            for (String line : (Iterable<String>) response.body()::iterator) {
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new Event(id, data.toString(), null));
                    }
                    id = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    events.add(new Event(null, null, line.substring(1).trim()));
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("data:")) {
                    String value = line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5);
                    data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                }
            }
        } catch (RuntimeException closed) {
            // The stream was closed by either side.
        } finally {
            ended = true;
        }
    }

    /** The next {@code count} change events (comments skipped), waiting at most {@code timeout} in all. */
    List<Event> take(int count, Duration timeout) throws InterruptedException {
        List<Event> taken = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (taken.size() < count) {
            Event event = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (event == null) {
                throw new AssertionError("got " + taken.size() + " of " + count + " events within " + timeout);
            }
            if (event.comment() == null) {
                taken.add(event);
            }
        }
        return taken;
    }

    /** The next comment line, skipping events, or null if none comes within {@code timeout}. */
    String nextComment(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Event event; (event = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) != null;) {
            if (event.comment() != null) {
                return event.comment();
            }
        }
        return null;
    }

    /** Change events that arrived so far and were not taken, comments skipped. */
    List<Event> drained() {
        List<Event> rest = new ArrayList<>();
        events.drainTo(rest);
        return rest.stream().filter(e -> e.comment() == null).toList();
    }

    boolean ended() {
        return ended;
    }

    @Override
    public void close() {
        response.body().close();
        reader.interrupt();
    }
}
