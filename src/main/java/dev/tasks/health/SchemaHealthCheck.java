package dev.tasks.health;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.quarkus.logging.Log;

/**
 * Readiness: DOWN while Liquibase has changesets to run or any function or trigger the changelogs define
 * is missing, disabled or different from its source (edited, dropped or disabled by hand). The data names
 * each such object. Whether the database answers at all is the datasource checks' job, which Quarkus adds
 * beside this one. A synchronous check: SmallRye Health runs it on a worker thread, not the event loop.
 */
@Readiness
@ApplicationScoped
public class SchemaHealthCheck implements HealthCheck {

    static final String NAME = "Database schema";

    private final SchemaInspector inspector;
    private volatile Map<String, String> lastProblems = Map.of();

    public SchemaHealthCheck(SchemaInspector inspector) {
        this.inspector = inspector;
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
        response.withData("changesets applied", report.applied())
                .withData("changesets pending", report.pending().size())
                .withData("functions checked", report.functions())
                .withData("triggers checked", report.triggers());
        report.pending().forEach(changeSet -> response.withData("pending " + changeSet, "not run"));
        report.problems().forEach(response::withData);
        logChange(report);
        return response.status(report.healthy()).build();
    }

    /** Logs drift when it appears or changes, not on every probe. */
    private void logChange(SchemaInspector.Report report) {
        Map<String, String> problems = new LinkedHashMap<>(report.problems());
        report.pending().forEach(changeSet -> problems.put("pending " + changeSet, "not run"));
        if (problems.equals(lastProblems)) {
            return;
        }
        if (problems.isEmpty()) {
            Log.info("Readiness: the database schema matches the changelogs again");
        } else {
            Log.warnf("Readiness: the database schema differs from the changelogs: %s %s", problems, report.details());
        }
        lastProblems = Map.copyOf(problems);
    }
}
