package dev.tasks.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;


import dev.tasks.support.TestDatabase;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.LiquibaseException;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.resource.ResourceAccessor;

/**
 * Databases and roles a test creates beside the test database, on the same server (host and port of the
 * configured JDBC URL, or Dev Services'; see {@link TestDatabase}), named after the test database plus a
 * random suffix, and dropped by {@link #close}.
 * The configured login creates them, so it needs CREATEDB and CREATEROLE (or is a superuser).
 */
public final class Scratch implements AutoCloseable {

    public static final String MASTER = "db/changelog/db.changelog-master.yaml";

    /** A login made by the test: name and password. */
    public record Role(String name, String password) {
    }

    private final List<String> databases = new ArrayList<>();
    private final List<String> roles = new ArrayList<>();

    /** The server and login of the running test application. */
    public static TestDatabase server() {
        return TestDatabase.fromConfig();
    }

    /** A connection as the configured login. */
    public static Connection connect(String url) throws SQLException {
        TestDatabase server = server();
        return DriverManager.getConnection(url, server.user(), server.password());
    }

    public static Connection connect(String url, Role role) throws SQLException {
        return DriverManager.getConnection(url, role.name(), role.password());
    }

    private static void maintenance(String statement) throws SQLException {
        try (Connection c = server().connect("postgres")) {
            c.createStatement().execute(statement);
        }
    }

    /** Creates an empty database, owned by the given role or by the configured login, and returns its JDBC URL. */
    public String database(String purpose, Role owner) throws SQLException {
        TestDatabase server = server();
        String name = server.derivedName(purpose);
        maintenance("CREATE DATABASE " + name + (owner == null ? "" : " OWNER " + owner.name()));
        databases.add(name);
        return server.jdbcUrl(name);
    }

    public String database(String purpose) throws SQLException {
        return database(purpose, null);
    }

    /** Creates a login role with no other attribute. */
    public Role role(String purpose) throws SQLException {
        Role role = new Role(server().derivedName(purpose), UUID.randomUUID().toString());
        maintenance("CREATE ROLE " + role.name() + " LOGIN PASSWORD '" + role.password() + "'");
        roles.add(role.name());
        return role;
    }

    /** The database name of a JDBC URL. */
    public static String databaseName(String url) {
        return new TestDatabase(url, null, null).name();
    }

    /** Runs one Liquibase command on its own connection as the given login (null: the configured one). */
    public interface LiquibaseCommand {
        void run(Liquibase liquibase) throws LiquibaseException;
    }

    public static void liquibase(String url, Role as, ResourceAccessor resources, Map<String, String> parameters,
            LiquibaseCommand command) throws SQLException, LiquibaseException {
        try (Connection c = as == null ? connect(url) : connect(url, as);
                Liquibase liquibase = new Liquibase(MASTER, resources, new JdbcConnection(c))) {
            parameters.forEach(liquibase::setChangeLogParameter);
            command.run(liquibase);
        }
    }

    /** Migrates a database with the application's changelogs. */
    public static void update(String url, Role as, Map<String, String> parameters) throws SQLException, LiquibaseException {
        liquibase(url, as, new ClassLoaderResourceAccessor(), parameters, l -> l.update(new Contexts(), new LabelExpression()));
    }

    @Override
    public void close() throws SQLException {
        for (String name : databases) {
            maintenance("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
        for (String name : roles) {
            maintenance("DROP ROLE IF EXISTS " + name);
        }
        databases.clear();
        roles.clear();
    }
}
