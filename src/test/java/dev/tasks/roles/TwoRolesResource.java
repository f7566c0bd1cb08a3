package dev.tasks.roles;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

import dev.tasks.support.TestDatabase;
import io.quarkus.test.common.DevServicesContext;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The deployment of docs/database-roles.md on the test server: an owner role (no superuser) owning a new
 * database, which Liquibase logs in as, and a request role the service's requests and readiness use.
 * Nothing else is set: application.properties passes the datasource user to Liquibase as request-role. Both are logins with a password,
 * named after the test database; {@link #stop} drops the database and both roles. The server is the one the
 * suite runs against, from the variables or from Dev Services ({@link TestDatabase}).
 */
public class TwoRolesResource implements QuarkusTestResourceLifecycleManager, DevServicesContext.ContextAware {

    static volatile String owner;
    static volatile String request;
    private Map<String, String> devServices = Map.of();
    private TestDatabase server;
    private String database;

    @Override
    public void setIntegrationTestContext(DevServicesContext context) {
        devServices = context.devServicesProperties();
    }

    @Override
    public Map<String, String> start() {
        server = TestDatabase.from(devServices);
        database = server.derivedName("2r");
        owner = server.derivedName("own");
        request = server.derivedName("req");
        String ownerPassword = UUID.randomUUID().toString();
        String requestPassword = UUID.randomUUID().toString();
        execute("CREATE ROLE " + owner + " LOGIN PASSWORD '" + ownerPassword + "'",
                "CREATE ROLE " + request + " LOGIN PASSWORD '" + requestPassword + "'",
                "CREATE DATABASE " + database + " OWNER " + owner);
        return Map.of(
                "quarkus.datasource.jdbc.url", server.jdbcUrl(database),
                "quarkus.datasource.reactive.url", server.reactiveUrl(database),
                "quarkus.datasource.username", request,
                "quarkus.datasource.password", requestPassword,
                "quarkus.liquibase.username", owner,
                "quarkus.liquibase.password", ownerPassword);
    }

    @Override
    public void stop() {
        execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)", "DROP ROLE IF EXISTS " + request,
                "DROP ROLE IF EXISTS " + owner);
    }

    private void execute(String... statements) {
        try (Connection c = server.connect("postgres"); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
