package dev.tasks.resilience;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Map;

import dev.tasks.support.TestDatabase;
import io.quarkus.test.common.DevServicesContext;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts a {@link TcpProxy} in front of the test PostgreSQL server (the variables' or Dev Services') and points the
 * service's reactive URL at it. Liquibase and the tests' JDBC checks keep the direct JDBC URL, so they
 * see the database while the service cannot.
 */
public class DatabaseProxyResource implements QuarkusTestResourceLifecycleManager, DevServicesContext.ContextAware {

    /** What Dev Services started, when it did: the database is taken from there first. */
    private Map<String, String> devServices = Map.of();

    private static volatile TcpProxy proxy;

    /** The proxy of the running test application. */
    public static TcpProxy proxy() {
        if (proxy == null) {
            throw new IllegalStateException(
                    "no database proxy: the test must use a profile with DatabaseProxyResource");
        }
        return proxy;
    }

    @Override
    public void setIntegrationTestContext(DevServicesContext context) {
        devServices = context.devServicesProperties();
    }

    @Override
    public Map<String, String> start() {
        TestDatabase database = TestDatabase.from(devServices);
        try {
            proxy = new TcpProxy(database.host(), database.port());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        URI direct = URI.create(database.reactiveUrl(database.name()));
        String proxied = direct.getScheme() + "://127.0.0.1:" + proxy.port() + direct.getRawPath()
                + (direct.getRawQuery() == null ? "" : "?" + direct.getRawQuery());
        return Map.of("quarkus.datasource.reactive.url", proxied);
    }

    @Override
    public void stop() {
        if (proxy != null) {
            proxy.close();
            proxy = null;
        }
    }
}
