package dev.tasks.config;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.spi.Converter;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;

/**
 * Where the database is, checked when the configuration is read, before any datasource starts. Without
 * it, a start with neither the variables nor a working Dev Services (no Docker) ends in a long stack
 * trace about an inactive datasource bean; Quarkus prints a failed configuration check as one line.
 * The check is a converter rather than a Bean Validation constraint: one constraint on a configuration
 * mapping makes Quarkus build a Hibernate Validator factory for the configuration at every start, about
 * 0.3 s of a 3 s start here.
 */
@ConfigMapping(prefix = "tasks.database")
public interface DatabaseLocation {

    String NO_DATABASE = "No PostgreSQL to use: Dev Services could not start one (is Docker running?) and "
            + "QUARKUS_DATASOURCE_USERNAME, QUARKUS_DATASOURCE_PASSWORD, QUARKUS_DATASOURCE_JDBC_URL and "
            + "QUARKUS_DATASOURCE_REACTIVE_URL are not set. See README.md, \"Without Docker\".";

    /** The JDBC URL Quarkus resolved: the variables', or the one Dev Services published; "none" if neither. */
    @WithConverter(JdbcUrl.class)
    String jdbcUrl();

    /** Accepts a JDBC URL; anything else ("none") fails the start with {@link #NO_DATABASE}. */
    final class JdbcUrl implements Converter<String> {

        @Override
        public String convert(String value) {
            if (value == null || !value.startsWith("jdbc:")) {
                throw new IllegalArgumentException(NO_DATABASE);
            }
            return value;
        }
    }

    /**
     * Quarkus reads a configuration mapping at start only if something injects it; this observer does, so
     * the converter runs when the configuration is read, before any datasource starts.
     */
    @Singleton
    class Reader {

        void read(@Observes StartupEvent start, DatabaseLocation location) {
            // Nothing to do: reading the mapping has checked it.
        }
    }
}
