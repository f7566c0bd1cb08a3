package dev.tasks.resilience;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The service behind a {@link TcpProxy} with a deliberately small pool and short bounds, so outages and
 * overload show up within seconds. The values are the test's bounds: see {@link #ACQUIRE_TIMEOUT_MS}.
 */
public class ConstrainedDatabaseProfile implements QuarkusTestProfile {

    static final int POOL_SIZE = 4;
    static final int WAIT_QUEUE = 16;
    static final long ACQUIRE_TIMEOUT_MS = 2_000;
    static final long CONNECT_TIMEOUT_MS = 1_000;
    static final long SOCKET_IDLE_TIMEOUT_MS = 4_000;
    static final int RETRY_AFTER_SECONDS = 3;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.datasource.reactive.max-size", String.valueOf(POOL_SIZE),
                // Below the socket idle timeout, so the pool retires idle connections before the socket does.
                "quarkus.datasource.reactive.idle-timeout", "3s",
                "tasks.db.max-wait-queue", String.valueOf(WAIT_QUEUE),
                "tasks.db.acquire-timeout", ACQUIRE_TIMEOUT_MS + "ms",
                "tasks.db.connect-timeout", CONNECT_TIMEOUT_MS + "ms",
                "tasks.db.socket-idle-timeout", SOCKET_IDLE_TIMEOUT_MS + "ms",
                "tasks.db.retry-after", RETRY_AFTER_SECONDS + "s");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(DatabaseProxyResource.class));
    }
}
