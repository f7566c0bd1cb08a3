package dev.tasks.resilience;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts a {@link TcpProxy} in front of the PostgreSQL server of the reactive URL and points the
 * service's reactive URL at it. Liquibase and the tests' JDBC checks keep the direct JDBC URL, so they
 * see the database while the service cannot.
 */
public class DatabaseProxyResource implements QuarkusTestResourceLifecycleManager {

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
    public Map<String, String> start() {
        String reactiveUrl = configured("quarkus.datasource.reactive.url", "QUARKUS_DATASOURCE_REACTIVE_URL")
                .orElseThrow(() -> new IllegalStateException(
                        "set QUARKUS_DATASOURCE_REACTIVE_URL: the outage tests need a PostgreSQL they can reach"));
        URI uri = URI.create(reactiveUrl.replaceFirst("^vertx-reactive:", ""));
        try {
            proxy = new TcpProxy(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 5432);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String proxied = uri.getScheme() + "://127.0.0.1:" + proxy.port() + uri.getRawPath()
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return Map.of("quarkus.datasource.reactive.url", proxied);
    }

    @Override
    public void stop() {
        if (proxy != null) {
            proxy.close();
            proxy = null;
        }
    }

    private static Optional<String> configured(String property, String variable) {
        Optional<String> value = Optional.ofNullable(System.getProperty(property))
                .or(() -> Optional.ofNullable(System.getenv(variable)));
        return value.isPresent() ? value
                : ConfigProvider.getConfig().getOptionalValue(property, String.class);
    }
}
