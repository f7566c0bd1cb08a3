package dev.tasks.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.test.common.DevServicesContext;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The PostgreSQL server the tests run against, as tests reach it themselves (other roles, a TCP proxy,
 * extra databases, a second process of the packaged jar): the URL, user and password the service got,
 * whether from the four {@code QUARKUS_DATASOURCE_*} variables or from Dev Services.
 *
 * <p>
 * Inside a {@code @QuarkusTest} the configuration Quarkus publishes has them either way ({@link #fromConfig()}).
 * A test resource or a {@code @QuarkusIntegrationTest} gets the Dev Services values as a map
 * ({@link io.quarkus.test.common.DevServicesContext}) and passes it to {@link #from(Map)}.
 */
public record TestDatabase(String jdbcUrl, String user, String password) {

    private static final Pattern JDBC_URL = Pattern.compile("jdbc:postgresql://([^/:?]+)(?::(\\d+))?/([^?]+)(\\?.*)?");

    static final String URL = "quarkus.datasource.jdbc.url";
    static final String USER = "quarkus.datasource.username";
    static final String PASSWORD = "quarkus.datasource.password";

    /** The database of the running test application, from the configuration Quarkus publishes. */
    public static TestDatabase fromConfig() {
        return from(Map.of());
    }

    /**
     * The database from the given Dev Services properties when they hold it, else from system properties,
     * the environment and the configuration, in that order.
     */
    public static TestDatabase from(Map<String, String> devServices) {
        String url = lookup(URL, devServices).orElseThrow(() -> new IllegalStateException(
                "no " + URL + ": neither Dev Services nor QUARKUS_DATASOURCE_JDBC_URL provide a database"));
        return new TestDatabase(url, lookup(USER, devServices).orElse("postgres"),
                lookup(PASSWORD, devServices).orElse(""));
    }

    private static Optional<String> lookup(String property, Map<String, String> devServices) {
        if (devServices.containsKey(property)) {
            return Optional.of(devServices.get(property));
        }
        String variable = property.toUpperCase().replace('.', '_').replace('-', '_');
        Optional<String> value = Optional.ofNullable(System.getProperty(property))
                .or(() -> Optional.ofNullable(System.getenv(variable)));
        if (value.isPresent()) {
            return value;
        }
        try {
            return ConfigProvider.getConfig().getOptionalValue(property, String.class);
        } catch (IllegalStateException noConfig) {
            return Optional.empty();
        }
    }

    private Matcher parts() {
        Matcher m = JDBC_URL.matcher(jdbcUrl);
        if (!m.matches()) {
            throw new IllegalStateException("unexpected JDBC URL " + jdbcUrl);
        }
        return m;
    }

    public String host() {
        return parts().group(1);
    }

    public int port() {
        String port = parts().group(2);
        return port == null ? 5432 : Integer.parseInt(port);
    }

    /** The name of the test database itself. */
    public String name() {
        return parts().group(3);
    }

    /** The JDBC URL of another database on the same server. */
    public String jdbcUrl(String database) {
        Matcher m = parts();
        return "jdbc:postgresql://" + m.group(1) + (m.group(2) == null ? "" : ":" + m.group(2)) + "/" + database
                + (m.group(4) == null ? "" : m.group(4));
    }

    /** The URL the reactive client takes for a database on this server. */
    public String reactiveUrl(String database) {
        return jdbcUrl(database).substring("jdbc:".length());
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, password);
    }

    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), user, password);
    }

    /** A connection to the test database as another role. */
    public Connection connectAs(String role, String rolePassword) throws SQLException {
        return DriverManager.getConnection(jdbcUrl, role, rolePassword);
    }

    /**
     * A name for a test's extra database or role, derived from the test database's name so that everything
     * one run creates is recognisable: {@code <test database>_<purpose>_<8 hex digits>}, at most 63 bytes.
     */
    public String derivedName(String purpose) {
        String suffix = "_" + purpose + "_" + UUID.randomUUID().toString().substring(0, 8);
        String base = name().toLowerCase();
        return (base.length() + suffix.length() > 63 ? base.substring(0, 63 - suffix.length()) : base) + suffix;
    }

    /** Creates an empty database named after the test database and answers its name. */
    public String createDatabase(String purpose) throws SQLException {
        String database = derivedName(purpose);
        maintenance("CREATE DATABASE " + database);
        return database;
    }

    public void dropDatabase(String database) throws SQLException {
        maintenance("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }

    private void maintenance(String statement) throws SQLException {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    /**
     * For a {@code @QuarkusIntegrationTest} ({@code @WithTestResource(TestDatabase.Resource.class)}): the test
     * runs outside the application, so it learns the Dev Services values from the test context.
     */
    public static class Resource implements QuarkusTestResourceLifecycleManager, DevServicesContext.ContextAware {

        private static volatile TestDatabase database;
        private Map<String, String> devServices = Map.of();

        /** The database of the running integration test. */
        public static TestDatabase database() {
            if (database == null) {
                throw new IllegalStateException("the test must declare @WithTestResource(TestDatabase.Resource.class)");
            }
            return database;
        }

        @Override
        public void setIntegrationTestContext(DevServicesContext context) {
            devServices = context.devServicesProperties();
        }

        @Override
        public Map<String, String> start() {
            database = TestDatabase.from(devServices);
            return Map.of();
        }

        @Override
        public void stop() {
            database = null;
        }
    }
}
