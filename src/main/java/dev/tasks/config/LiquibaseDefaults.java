package dev.tasks.config;

import java.util.Map;

import liquibase.configuration.AbstractMapConfigurationValueProvider;

/**
 * Liquibase settings of this service, below system properties and the environment (which still override
 * them): the update summary goes to the log only. By default Liquibase also prints it to standard output,
 * so every migration showed its summary twice.
 */
public class LiquibaseDefaults extends AbstractMapConfigurationValueProvider {

    @Override
    public int getPrecedence() {
        // Liquibase's system property and environment providers rank higher.
        return 1;
    }

    @Override
    protected Map<?, ?> getMap() {
        return Map.of("liquibase.command.showSummaryOutput", "LOG");
    }

    @Override
    protected String getSourceDescription() {
        return "tasks-service defaults";
    }
}
