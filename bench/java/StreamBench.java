import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Change-stream benchmark client (bench/stream): opens SUBSCRIBERS streams from the current end of the
 * feed, prints "ready", then records every event until the feed has been quiet for QUIET seconds after
 * the writer signals the end on stdin. Checks that every subscriber received every change of the polled
 * feed exactly once and in order, and reports delivery latency (event receipt minus the change's time, the
 * row time PostgreSQL wrote) as markdown. Java 17, no dependencies: java bench/java/StreamBench.java.
 */
public class StreamBench {

    private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");
    private static final Pattern ITEM = Pattern.compile("\\{\"id\":(\\d+),\"version\":");
    private static final Pattern TIME = Pattern.compile("\"time\":\"([^\"]+)\"");
    private static final Pattern NEXT = Pattern.compile("\"next\":\"([^\"]+)\"");
    private static final Pattern MORE = Pattern.compile("\"hasMore\":(true|false)");

    record Received(long auditId, long receivedNanos, long latencyMicros) {
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        int subscribers = Integer.parseInt(args[1]);
        int quietSeconds = Integer.parseInt(args[2]);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String start = end(http, base);

        List<List<Received>> received = new ArrayList<>();
        CountDownLatch connected = new CountDownLatch(subscribers);
        java.util.concurrent.atomic.AtomicLong lastEvent = new java.util.concurrent.atomic.AtomicLong(System.nanoTime());
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < subscribers; i++) {
            List<Received> mine = new ArrayList<>();
            received.add(mine);
            Thread reader = new Thread(() -> {
                try {
                    HttpResponse<java.util.stream.Stream<String>> response = http.send(
                            HttpRequest.newBuilder(URI.create(base + "/tasks/changes/stream?after=" + start))
                                    .header("Accept", "text/event-stream").build(),
                            HttpResponse.BodyHandlers.ofLines());
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("stream answered " + response.statusCode());
                    }
                    connected.countDown();
                    response.body().forEach(line -> {
                        if (!line.startsWith("data:")) {
                            return;
                        }
                        long now = System.nanoTime();
                        java.time.Instant clock = java.time.Instant.now();
                        long wall = clock.getEpochSecond() * 1_000_000 + clock.getNano() / 1000;
                        Matcher id = ID.matcher(line);
                        Matcher updated = TIME.matcher(line);
                        id.find();
                        long latency = -1;
                        if (updated.find()) {
                            OffsetDateTime t = OffsetDateTime.parse(updated.group(1));
                            long written = t.toEpochSecond() * 1_000_000 + t.getNano() / 1000;
                            latency = wall - written;
                        }
                        synchronized (mine) {
                            mine.add(new Received(Long.parseLong(id.group(1)), now, latency));
                        }
                        lastEvent.set(now);
                    });
                } catch (Exception e) {
                    if (!Thread.currentThread().isInterrupted()) {
                        System.err.println("subscriber failed: " + e);
                    }
                }
            }, "subscriber-" + i);
            reader.setDaemon(true);
            reader.start();
            readers.add(reader);
        }
        if (!connected.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("only " + (subscribers - connected.getCount()) + " streams opened");
        }
        System.out.println("ready");
        System.out.flush();
        // The writer says when it is done; then wait until the streams have been quiet for a while.
        System.in.read();
        while (System.nanoTime() - lastEvent.get() < TimeUnit.SECONDS.toNanos(quietSeconds)) {
            Thread.sleep(200);
        }
        List<Long> expected = feed(http, base, start);

        int complete = 0;
        List<Long> latencies = new ArrayList<>();
        for (List<Received> mine : received) {
            List<Long> ids;
            synchronized (mine) {
                ids = mine.stream().map(Received::auditId).toList();
                mine.forEach(r -> {
                    if (r.latencyMicros() >= 0) {
                        latencies.add(r.latencyMicros());
                    }
                });
            }
            if (ids.equals(expected)) {
                complete++;
            }
        }
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("| subscribers | %d |%n", subscribers);
        System.out.printf("| changes written | %d |%n", expected.size());
        System.out.printf("| subscribers that received every change exactly once, in feed order | %d of %d |%n",
                complete, subscribers);
        System.out.printf("| events delivered | %d |%n", sorted.length);
        System.out.printf("| delivery latency p50 / p99 / max, ms | %.1f / %.1f / %.1f |%n",
                percentile(sorted, 50) / 1000.0, percentile(sorted, 99) / 1000.0,
                sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1000.0);
        System.exit(complete == subscribers && !expected.isEmpty() ? 0 : 1);
    }

    private static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static String get(HttpClient http, String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode());
        }
        return r.body();
    }

    /** The cursor at the current end of the feed. */
    private static String end(HttpClient http, String base) throws Exception {
        return read(http, base, "", new ArrayList<>());
    }

    /** Audit ids of the polled feed after a cursor, in feed order. */
    private static List<Long> feed(HttpClient http, String base, String cursor) throws Exception {
        List<Long> ids = new ArrayList<>();
        read(http, base, cursor, ids);
        return ids;
    }

    /** Reads the feed from a cursor to its end, adding each item's audit id; answers the last cursor. */
    private static String read(HttpClient http, String base, String cursor, List<Long> ids) throws Exception {
        for (boolean more = true; more;) {
            String page = get(http, base + "/tasks/changes?limit=1000&after=" + cursor);
            // Items start with their audit id and version; the row nested in each has no version.
            Matcher item = ITEM.matcher(page);
            while (item.find()) {
                ids.add(Long.parseLong(item.group(1)));
            }
            Matcher next = NEXT.matcher(page);
            next.find();
            cursor = next.group(1);
            Matcher m = MORE.matcher(page);
            m.find();
            more = Boolean.parseBoolean(m.group(1));
        }
        return cursor;
    }
}
