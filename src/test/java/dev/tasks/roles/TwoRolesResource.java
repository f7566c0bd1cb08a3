package dev.tasks.roles;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.test.common.DevServicesContext;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The deployment of docs/database-roles.md on the test server: an owner role (no superuser) owning a new
 * database, which Liquibase logs in as, and a request role the service's requests and readiness use.
 * Nothing else is set: application.properties passes the datasource user to Liquibase as request-role. Both are logins with a password,
 * named after the test database; {@link #stop} drops the database and both roles.
 */
public class TwoRolesResource implements QuarkusTestResourceLifecycleManager, DevServicesContext.ContextAware {

    /** What Dev Services started, when it did: the server the roles and the database are made on. */
    private Map<String, String> devServices = Map.of();

    @Override
    public void setIntegrationTestContext(DevServicesContext context) {
        devServices = context.devServicesProperties();
    }

    static final Pattern JDBC_URL = Pattern.compile("jdbc:postgresql://([^/]+)/([^?]+)(.*)");

    static volatile String owner;
    static volatile String request;
    private String database;
    private String maintenanceUrl;

    @Override
    public Map<String, String> start() {
        String jdbcUrl = configured("quarkus.datasource.jdbc.url", "QUARKUS_DATASOURCE_JDBC_URL")
                .orElseThrow(() -> new IllegalStateException("set QUARKUS_DATASOURCE_JDBC_URL: the two-role test creates roles there"));
        Matcher url = JDBC_URL.matcher(jdbcUrl);
        if (!url.matches()) {
            throw new IllegalStateException("unexpected JDBC URL " + jdbcUrl);
        }
        String base = url.group(2).toLowerCase();
        String suffix = "_" + UUID.randomUUID().toString().substring(0, 8);
        base = base.length() > 40 ? base.substring(0, 40) : base;
        database = base + "_2r" + suffix;
        owner = base + "_own" + suffix;
        request = base + "_req" + suffix;
        String ownerPassword = UUID.randomUUID().toString();
        String requestPassword = UUID.randomUUID().toString();
        maintenanceUrl = "jdbc:postgresql://" + url.group(1) + "/postgres" + url.group(3);
        execute("CREATE ROLE " + owner + " LOGIN PASSWORD '" + ownerPassword + "'",
                "CREATE ROLE " + request + " LOGIN PASSWORD '" + requestPassword + "'",
                "CREATE DATABASE " + database + " OWNER " + owner);
        return Map.of(
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://" + url.group(1) + "/" + database + url.group(3),
                "quarkus.datasource.reactive.url", "postgresql://" + url.group(1) + "/" + database,
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
        try (Connection c = DriverManager.getConnection(maintenanceUrl,
                configured("quarkus.datasource.username", "QUARKUS_DATASOURCE_USERNAME").orElse("postgres"),
                configured("quarkus.datasource.password", "QUARKUS_DATASOURCE_PASSWORD").orElse(null))) {
            for (String statement : statements) {
                c.createStatement().execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private Optional<String> configured(String property, String variable) {
        Optional<String> value = Optional.ofNullable(System.getProperty(property))
                .or(() -> Optional.ofNullable(System.getenv(variable)));
        if (value.isPresent()) {
            return value;
        }
        return devServices.containsKey(property) ? Optional.of(devServices.get(property))
                : ConfigProvider.getConfig().getOptionalValue(property, String.class);
    }
}
