package dev.tasks.health;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Readiness data: how long the oldest running transaction has held the change feed back, in which
 * database, and who holds it ({@code db/health/feed-holdback.sql}), which is never a reason to be unready.
 * The one reason is an audit trail whose newest transaction id this cluster has not reached yet (a restore
 * from another cluster): the feed would silently miss every new write. The gauge
 * {@code tasks_feed_holdback_seconds} keeps the value of the last probe. A synchronous check, run on a
 * worker thread.
 */
@Readiness
@ApplicationScoped
public class FeedHoldbackCheck implements HealthCheck {

    static final String NAME = "Change feed";

    private static final Logger LOG = Logger.getLogger(FeedHoldbackCheck.class);

    private final DataSource dataSource;
    private final String sql;
    private final AtomicReference<Double> seconds = new AtomicReference<>(0.0);
    /** Whether the last probe found the audit trail ahead of the cluster: logged once each time it changes. */
    private final AtomicBoolean ahead = new AtomicBoolean();

    public FeedHoldbackCheck(DataSource dataSource, MeterRegistry registry,
            @ConfigProperty(name = "quarkus.liquibase.default-schema-name") Optional<String> schema) {
        this.dataSource = dataSource;
        this.sql = SchemaInspector.load("db/health/feed-holdback.sql").replace("{schema}", SchemaInspector.prefix(schema));
        Gauge.builder("tasks.feed.holdback.seconds", seconds, AtomicReference::get)
                .description("How long the oldest running transaction on the server has held the change feed back, at the last readiness probe")
                .register(registry);
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).up();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql);
                ResultSet row = statement.executeQuery()) {
            row.next();
            boolean aheadNow = row.getBoolean("ahead");
            boolean changed = ahead.getAndSet(aheadNow) != aheadNow;
            if (aheadNow) {
                // Positions the cluster has not reached: new writes would sort before the restored tail.
                if (changed) {
                    LOG.errorf("The audit trail holds transaction id %s and this cluster hands out %s next: the change feed "
                            + "would miss new writes. Raise the cluster's transaction id epoch (docs/database-roles.md).",
                            row.getString("newest"), row.getString("next"));
                }
                return response.down().withData("audit trail ahead of this cluster", true)
                        .withData("newest audit transaction", row.getString("newest"))
                        .withData("next transaction", row.getString("next")).build();
            }
            if (changed) {
                LOG.info("The audit trail is behind this cluster's transaction ids again: the change feed is whole.");
            }
            String xid = row.getString("xid");
            double age = row.getDouble("age_seconds");
            boolean known = !row.wasNull();
            seconds.set(known ? age : 0.0);
            if (!known && !row.getBoolean("behind")) {
                return response.withData("held back", false).build();
            }
            response.withData("held back", true).withData("oldest transaction", xid);
            if (!known) {
                // Another login's session: pg_stat_activity shows it only to pg_read_all_stats.
                return response.withData("held by", "not visible to this login (grant it pg_read_all_stats)").build();
            }
            return response.withData("held for seconds", (long) Math.floor(age))
                    .withData("held in database", row.getString("database"))
                    .withData("held by", row.getString("holder"))
                    .build();
        } catch (Exception e) {
            // The datasource checks report an unreachable database; this one only lacks its data then.
            return response.withData("error", e.getClass().getSimpleName()).build();
        }
    }
}
