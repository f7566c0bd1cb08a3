package dev.tasks.health;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Compares the database with this build: first whether every changeset of the changelogs is recorded as
 * applied (the service may start without migrating, after a migration step of its own; a schema older
 * than the build is not ready), then the live tracking functions and triggers with what the last migration
 * recorded, by calling the database's own {@code tracking_check()} (see {@code db/functions/tracking_check.sql}).
 * Two queries on one JDBC connection per probe; the changelogs are read once, for their changeset ids only.
 */
@ApplicationScoped
public class SchemaInspector {

    /**
     * What one inspection found.
     *
     * @param functions functions recorded or found in the schema
     * @param triggers triggers recorded or found on the tracked tables
     * @param problems each drifted object and what is wrong with it
     * @param pending the changesets of this build not recorded as applied, as {@code file::id::author}, in
     *        changelog order; while any is pending, the tracking set is not compared
     */
    public record Report(int functions, int triggers, Map<String, String> problems, List<String> pending) {

        public boolean healthy() {
            return problems.isEmpty();
        }
    }

    private final DataSource dataSource;
    private final String checkSql;
    private final String appliedSql;
    /** This build's changesets, in changelog order. */
    private final Set<String> changesets = new LinkedHashSet<>();

    public SchemaInspector(DataSource dataSource,
            @ConfigProperty(name = "quarkus.liquibase.default-schema-name") Optional<String> schema,
            @ConfigProperty(name = "quarkus.liquibase.change-log") String changeLog) {
        this.dataSource = dataSource;
        // The functions and Liquibase's tables live where Liquibase installed them; without a configured
        // schema, on the search path.
        String prefix = prefix(schema);
        this.checkSql = load("db/health/tracking-check.sql").replace("{schema}", prefix);
        this.appliedSql = "SELECT filename, id, author FROM " + prefix + "databasechangelog";
        // An application-scoped bean is made on first use: the first readiness probe reads the changelogs.
        collect(changeLog, changesets);
    }

    /** Runs the comparison; blocking, so call it off the event loop. */
    public Report inspect() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            List<String> pending = pending(connection);
            if (!pending.isEmpty()) {
                return new Report(0, 0, Map.of(), pending);
            }
            return trackingCheck(connection);
        }
    }

    private List<String> pending(Connection connection) throws SQLException {
        Set<String> applied = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement(appliedSql);
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                applied.add(rows.getString(1) + "::" + rows.getString(2) + "::" + rows.getString(3));
            }
        } catch (SQLException e) {
            if (!"42P01".equals(e.getSQLState())) {
                throw e;
            }
            // No databasechangelog yet: a database never migrated, every changeset is pending.
        }
        List<String> pending = new ArrayList<>();
        for (String changeset : changesets) {
            if (!applied.contains(changeset)) {
                pending.add(changeset);
            }
        }
        return pending;
    }

    private Report trackingCheck(Connection connection) throws SQLException {
        int functions = 0;
        int triggers = 0;
        Map<String, String> problems = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(checkSql);
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                String object = rows.getString("object");
                String problem = rows.getString("problem");
                if (object.startsWith("function ")) {
                    functions++;
                } else if (object.startsWith("trigger ")) {
                    triggers++;
                }
                if (problem != null) {
                    problems.put(object, problem);
                }
            }
        }
        return new Report(functions, triggers, problems, List.of());
    }

    /**
     * Adds the changesets of a YAML changelog and of the files it includes, keyed as Liquibase records
     * them in {@code databasechangelog}: the file as included from the master, the id, the author.
     */
    static void collect(String file, Set<String> into) {
        JsonNode entries;
        try (InputStream in = resource(file)) {
            entries = new YAMLMapper().readTree(in).path("databaseChangeLog");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (JsonNode entry : entries) {
            if (entry.has("changeSet")) {
                JsonNode changeSet = entry.get("changeSet");
                into.add(file + "::" + changeSet.path("id").asText() + "::" + changeSet.path("author").asText());
            } else if (entry.has("include")) {
                JsonNode include = entry.get("include");
                String path = include.path("file").asText();
                collect(include.path("relativeToChangelogFile").asBoolean(false)
                        ? URI.create(file).resolve(path).normalize().getPath()
                        : path, into);
            } else if (entry.has("includeAll")) {
                // Not used here; refuse rather than report an incomplete list as current.
                throw new IllegalStateException("includeAll in " + file + " is not supported by the readiness check");
            }
        }
    }

    private static InputStream resource(String path) {
        InputStream in = SchemaInspector.class.getClassLoader().getResourceAsStream(path);
        if (in == null) {
            throw new IllegalStateException("missing " + path);
        }
        return in;
    }

    /** The schema as a quoted prefix ({@code "app".}), or empty for the search path. */
    static String prefix(Optional<String> schema) {
        return schema.map(s -> "\"" + s.replace("\"", "\"\"") + "\".").orElse("");
    }

    static String load(String path) {
        try (InputStream in = resource(path)) {
            // The leading comment lines document the file; the server does not need them.
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.startsWith("--")).reduce((a, b) -> a + "\n" + b).orElse("").strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
