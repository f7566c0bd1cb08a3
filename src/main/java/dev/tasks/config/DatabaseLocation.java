package dev.tasks.config;

import jakarta.validation.constraints.Pattern;

import io.smallrye.config.ConfigMapping;

/**
 * Where the database is, checked when the configuration is read, before any datasource starts. Without
 * it, a start with neither the variables nor a working Dev Services (no Docker) ends in a long stack
 * trace about an inactive datasource bean; Quarkus prints a failed configuration check as its message alone.
 */
@ConfigMapping(prefix = "tasks.database")
public interface DatabaseLocation {

    String NO_DATABASE = "No PostgreSQL to use: Dev Services could not start one (is Docker running?) and "
            + "QUARKUS_DATASOURCE_USERNAME, QUARKUS_DATASOURCE_PASSWORD, QUARKUS_DATASOURCE_JDBC_URL and "
            + "QUARKUS_DATASOURCE_REACTIVE_URL are not set. See README.md, \"Without Docker\".";

    /** The JDBC URL Quarkus resolved: the variables', or the one Dev Services published; "none" if neither. */
    @Pattern(regexp = "jdbc:.+", message = NO_DATABASE)
    String jdbcUrl();
}
