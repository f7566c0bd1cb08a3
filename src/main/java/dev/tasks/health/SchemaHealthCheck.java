package dev.tasks.health;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.tasks.config.SchemaDrift;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;

/**
 * Readiness: every changeset of this build applied, and the tracking functions and triggers as the last
 * migration recorded them. A changeset not recorded in {@code databasechangelog} (the service started before
 * its migration step ran) is always DOWN, naming the first one pending. A function whose
 * definition, owner or grants changed, a trigger dropped, added, redefined or disabled on a tracked table
 * is drift; a trigger made {@code ENABLE ALWAYS} is not. The data names each drifted object. Drift turns
 * the check DOWN, or only reports it with {@code tasks.schema.on-drift=report}; either way the gauge
 * {@code tasks_schema_drift} counts the drifted objects and a log line names them when they change.
 * Whether the database answers at all is the datasource checks' job, which Quarkus adds beside this one.
 * A synchronous check: SmallRye Health runs it on a worker thread, not the event loop.
 */
@Readiness
@ApplicationScoped
public class SchemaHealthCheck implements HealthCheck {

    static final String NAME = "Database schema";

    private final SchemaInspector inspector;
    private final SchemaDrift.Action onDrift;
    private final AtomicInteger drifted = new AtomicInteger();
    private volatile Map<String, String> lastProblems = Map.of();
    private volatile boolean pendingLogged;

    public SchemaHealthCheck(SchemaInspector inspector, SchemaDrift drift, MeterRegistry registry) {
        this.inspector = inspector;
        this.onDrift = drift.onDrift();
        Gauge.builder("tasks.schema.drift", drifted, AtomicInteger::get)
                .description("Tracking functions and triggers that differ from the recorded ones, at the last readiness probe")
                .register(registry);
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME);
        SchemaInspector.Report report;
        try {
            report = inspector.inspect();
        } catch (Exception e) {
            Log.warnf("Readiness: cannot inspect the database schema: %s", e.toString());
            // The first line names the failure; anything after it may quote SQL.
            String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            return response.down().withData("error", e.getClass().getSimpleName() + ": " + message).build();
        }
        if (!report.pending().isEmpty()) {
            logPending(report.pending());
            return response.down().withData("pending changesets", report.pending().size())
                    .withData("first pending", report.pending().get(0)).build();
        }
        pendingLogged = false;
        drifted.set(report.problems().size());
        response.withData("functions checked", report.functions())
                .withData("triggers checked", report.triggers())
                .withData("drifted", report.problems().size());
        report.problems().forEach(response::withData);
        logChange(report.problems());
        return response.status(report.healthy() || onDrift == SchemaDrift.Action.REPORT).build();
    }

    /** Logs pending changesets once until they are applied. */
    private void logPending(List<String> pending) {
        if (!pendingLogged) {
            Log.warnf("Readiness: %d changesets of this build are not applied yet, first %s: the migration step has not run "
                    + "(docs/operations.md, \"Migrations in operation\")", pending.size(), pending.get(0));
            pendingLogged = true;
        }
    }

    /** Logs drift when it appears or changes, not on every probe. */
    private void logChange(Map<String, String> problems) {
        if (problems.equals(lastProblems)) {
            return;
        }
        if (problems.isEmpty()) {
            Log.info("Readiness: the tracking functions and triggers match the recorded ones again");
        } else {
            Log.warnf("Readiness: the tracking functions and triggers differ from the recorded ones (on-drift=%s): %s",
                    onDrift.name().toLowerCase(Locale.ROOT), problems);
        }
        lastProblems = Map.copyOf(problems);
    }
}
