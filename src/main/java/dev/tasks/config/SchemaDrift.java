package dev.tasks.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * What the readiness check does when the tracking functions or triggers differ from what the last migration
 * recorded (docs/database-roles.md, "Drift").
 */
@ConfigMapping(prefix = "tasks.schema")
public interface SchemaDrift {

    enum Action {
        /** Readiness DOWN: the instance leaves rotation, so no write goes unrecorded. */
        DOWN,
        /** Readiness stays UP; the drift shows in the check's data, the log and the tasks_schema_drift gauge. */
        REPORT
    }

    /** {@code down} (default) or {@code report}. */
    @WithDefault("down")
    Action onDrift();
}
