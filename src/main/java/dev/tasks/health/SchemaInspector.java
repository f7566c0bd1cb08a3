package dev.tasks.health;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Compares the live tracking functions and triggers with what the last migration recorded, by calling the
 * database's own {@code tracking_check()} (see {@code db/functions/tracking_check.sql}): one catalog query
 * on one JDBC connection per probe, no changelog parsing.
 */
@ApplicationScoped
public class SchemaInspector {

    /**
     * What one inspection found.
     *
     * @param functions functions recorded or found in the schema
     * @param triggers triggers recorded or found on the tracked tables
     * @param problems each drifted object and what is wrong with it
     */
    public record Report(int functions, int triggers, Map<String, String> problems) {

        public boolean healthy() {
            return problems.isEmpty();
        }
    }

    private final DataSource dataSource;
    private final String checkSql;

    public SchemaInspector(DataSource dataSource,
            @ConfigProperty(name = "quarkus.liquibase.default-schema-name") Optional<String> schema) {
        this.dataSource = dataSource;
        // The functions live where Liquibase installed them; without a configured schema, on the search path.
        this.checkSql = load("db/health/tracking-check.sql")
                .replace("{schema}", schema.map(s -> "\"" + s.replace("\"", "\"\"") + "\".").orElse(""));
    }

    /** Runs the comparison; blocking, so call it off the event loop. */
    public Report inspect() throws SQLException {
        int functions = 0;
        int triggers = 0;
        Map<String, String> problems = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(checkSql);
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
        return new Report(functions, triggers, problems);
    }

    static String load(String path) {
        try (InputStream in = SchemaInspector.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing " + path);
            }
            // The leading comment lines document the file; the server does not need them.
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.startsWith("--")).reduce((a, b) -> a + "\n" + b).orElse("").strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
