package dev.tasks.stream;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;

/**
 * Listens on the channel {@code audit_log}, where the {@code tracking_notify} trigger announces each
 * commit that wrote audit entries. The Vert.x subscriber keeps one connection of its own (not from the
 * request pool), reconnects by itself with a growing delay, and after every (re)connection the streams
 * read the feed again, since notifications sent meanwhile are lost. Started by the first change stream.
 */
@ApplicationScoped
public class FeedNotifications {

    static final String CHANNEL = "audit_log";
    private static final Logger LOG = Logger.getLogger(FeedNotifications.class);
    private static final long MAX_DELAY_MILLIS = 5000;

    private final Vertx vertx;
    private final Optional<String> url;
    private final Optional<String> username;
    private final Optional<String> password;
    private PgSubscriber subscriber;
    private volatile boolean stopping;

    public FeedNotifications(Vertx vertx, @ConfigProperty(name = "quarkus.datasource.reactive.url") Optional<String> url,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> username,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.vertx = vertx;
        this.url = url;
        this.username = username;
        this.password = password;
    }

    /** Calls {@code wake} on every notification and after every (re)connection; idempotent. */
    synchronized void listen(Runnable wake) {
        if (subscriber != null) {
            return;
        }
        subscriber = PgSubscriber.subscriber(vertx, options())
                .reconnectPolicy(attempt -> {
                    if (attempt == 0 && !stopping) {
                        LOG.warn("Change notifications: connection lost, reconnecting; change streams poll meanwhile");
                    }
                    return Math.min(MAX_DELAY_MILLIS, 100L << Math.min(attempt, 6));
                });
        subscriber.channel(CHANNEL)
                .subscribeHandler(v -> wake.run())
                .handler(payload -> wake.run());
        connect(0);
    }

    private void connect(int attempt) {
        subscriber.connect().onFailure(failure -> {
            long delay = Math.min(MAX_DELAY_MILLIS, 100L << Math.min(attempt, 6));
            LOG.debugf("Change notifications: connecting failed (%s), retrying in %d ms", failure, delay);
            vertx.setTimer(delay, id -> connect(attempt + 1));
        });
    }

    /** The request pool's server and login: a plain {@code postgresql://} URL, or Dev Services' own form. */
    private PgConnectOptions options() {
        String uri = url.orElseThrow(() -> new IllegalStateException("quarkus.datasource.reactive.url is not set"));
        uri = uri.replaceFirst("^vertx-reactive:", "").split(",")[0];
        PgConnectOptions options = PgConnectOptions.fromUri(uri);
        username.ifPresent(options::setUser);
        password.ifPresent(options::setPassword);
        return options.setTcpKeepAlive(true).setReconnectAttempts(0);
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        synchronized (this) {
            if (subscriber != null) {
                subscriber.close();
            }
        }
    }
}
