package dev.tasks.resilience;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A plain {@link HttpClient} on the test application, for many concurrent requests with a bounded
 * executor. Never throws for a failed exchange: the {@link Answer} carries the failure instead, so a
 * test can count requests that got no answer at all.
 */
final class ServiceClient implements AutoCloseable {

    private final URI base;
    private final ExecutorService executor;
    private final HttpClient client;
    private final Duration requestTimeout;

    ServiceClient(URI base, int threads, Duration requestTimeout) {
        this.base = base;
        this.executor = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "service-client");
            thread.setDaemon(true);
            return thread;
        });
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(executor)
                .build();
        this.requestTimeout = requestTimeout;
    }

    Answer send(String method, String path, String contentType, String body, String requestId) {
        return sendAsync(method, path, contentType, body, requestId).join();
    }

    CompletableFuture<Answer> sendAsync(String method, String path, String contentType, String body,
            String requestId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(requestTimeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (requestId != null) {
            request.header("X-Request-Id", requestId);
        }
        long start = System.nanoTime();
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .handle((response, failure) -> {
                    long millis = (System.nanoTime() - start) / 1_000_000;
                    if (failure != null) {
                        return Answer.failed(failure, millis);
                    }
                    return new Answer(response.statusCode(),
                            response.headers().firstValue("Content-Type").orElse(null),
                            response.headers().firstValue("Retry-After").orElse(null),
                            response.body(), millis, null);
                });
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    /** One exchange: the answer, or the failure that left the client without one. */
    record Answer(int status, String contentType, String retryAfter, String body, long millis,
            Throwable failure) {

        static Answer failed(Throwable failure, long millis) {
            return new Answer(-1, null, null, null, millis, failure instanceof IOException io ? io : failure);
        }

        boolean answered() {
            return failure == null;
        }
    }
}
