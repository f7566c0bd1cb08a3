package dev.tasks.health;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.liquibase.LiquibaseFactory;
import liquibase.Liquibase;
import liquibase.changelog.ChangeSet;
import liquibase.exception.LiquibaseException;

/**
 * Compares the live database with what the changelogs declare: changesets Liquibase has not run, and the
 * functions and triggers Liquibase cannot track itself (see {@link DeclaredSchema}). One probe costs three
 * small catalog reads on one JDBC connection; Liquibase parses the changelogs once, and lists pending
 * changesets again only when its history table has changed.
 */
@ApplicationScoped
public class SchemaInspector {

    /**
     * What one inspection found.
     *
     * @param problems each drifted object and what is wrong with it, fit for the probe's answer
     * @param details the same with the definitions found, for the log only
     */
    public record Report(int applied, List<String> pending, int functions, int triggers, Map<String, String> problems,
            List<String> details) {

        public boolean healthy() {
            return pending.isEmpty() && problems.isEmpty();
        }
    }

    private static final Pattern PLAIN_IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");

    private final DataSource dataSource;
    private final LiquibaseFactory liquibase;
    private final String functionsSql = load("functions");
    private final String triggersSql = load("triggers");
    private final String fingerprintSql;

    private volatile DeclaredSchema declared;
    private volatile PendingSnapshot pending;

    private record PendingSnapshot(String fingerprint, List<String> changeSets) {
    }

    public SchemaInspector(DataSource dataSource, LiquibaseFactory liquibase) {
        this.dataSource = dataSource;
        this.liquibase = liquibase;
        this.fingerprintSql = load("changelog-fingerprint").replace("{table}", historyTable(liquibase));
    }

    /** Runs the comparison; blocking, so call it off the event loop. */
    public Report inspect() throws SQLException, LiquibaseException {
        try (Connection connection = dataSource.getConnection()) {
            // First, and before Liquibase: it fails plainly if the history table is gone, which Liquibase
            // would otherwise create again while parsing.
            String[] fingerprint = fingerprint(connection);
            DeclaredSchema expected = declared();
            Map<String, String> problems = new LinkedHashMap<>();
            List<String> details = new ArrayList<>();
            for (String call : expected.unknownKinds()) {
                problems.put(call, "changelog attaches a trigger kind the readiness check does not know");
            }
            List<String> notRun = pending(fingerprint[1]);
            compareFunctions(connection, expected, problems);
            compareTriggers(connection, expected, problems, details);
            return new Report(Integer.parseInt(fingerprint[0]), notRun, expected.functions().size(),
                    expected.triggers().size(), problems, details);
        }
    }

    /** The declared schema, read from the changelogs on first use: they do not change while the service runs. */
    DeclaredSchema declared() throws LiquibaseException {
        DeclaredSchema current = declared;
        if (current == null) {
            synchronized (this) {
                if (declared == null) {
                    try (Liquibase parser = liquibase.createLiquibase()) {
                        declared = DeclaredSchema.from(parser.getDatabaseChangeLog(), SchemaInspector::resource);
                    }
                }
                current = declared;
            }
        }
        return current;
    }

    private String[] fingerprint(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(fingerprintSql);
                ResultSet row = statement.executeQuery()) {
            row.next();
            return new String[] { row.getString("applied"), row.getString("fingerprint") };
        }
    }

    private List<String> pending(String fingerprint) throws LiquibaseException {
        PendingSnapshot last = pending;
        if (last != null && last.fingerprint().equals(fingerprint)) {
            return last.changeSets();
        }
        try (Liquibase parser = liquibase.createLiquibase()) {
            // false: only look, never create Liquibase's tables from a probe.
            List<String> notRun = parser.listUnrunChangeSets(liquibase.createContexts(), liquibase.createLabels(), false)
                    .stream().map(SchemaInspector::describe).toList();
            pending = new PendingSnapshot(fingerprint, notRun);
            return notRun;
        }
    }

    private void compareFunctions(Connection connection, DeclaredSchema expected, Map<String, String> problems)
            throws SQLException {
        if (expected.functions().isEmpty()) {
            return;
        }
        Map<String, String> installed = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(functionsSql)) {
            statement.setArray(1, connection.createArrayOf("text", expected.functionNames().toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    installed.put(rows.getString("name") + "/" + rows.getInt("arguments"), rows.getString("body_md5"));
                }
            }
        }
        for (FunctionFile function : expected.functions().values()) {
            String actual = installed.get(function.signature());
            if (actual == null) {
                problems.put("function " + function.signature(), "missing");
            } else if (!actual.equals(function.bodyMd5())) {
                problems.put("function " + function.signature(), "body differs from " + function.path());
            }
        }
    }

    private void compareTriggers(Connection connection, DeclaredSchema expected, Map<String, String> problems,
            List<String> details) throws SQLException {
        if (expected.triggers().isEmpty()) {
            return;
        }
        record InstalledTrigger(String enabled, String definition) {
        }
        record Installed(String qualified, String primaryKey, Map<String, InstalledTrigger> triggers) {
        }
        Map<String, Installed> tables = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(triggersSql)) {
            statement.setArray(1, connection.createArrayOf("text", expected.tables().toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String qualified = rows.getString("qualified");
                    String primaryKey = rows.getString("primary_key");
                    Installed table = tables.computeIfAbsent(rows.getString("table_name"),
                            name -> new Installed(qualified, primaryKey, new HashMap<>()));
                    String trigger = rows.getString("trigger_name");
                    if (trigger != null) {
                        table.triggers().put(trigger,
                                new InstalledTrigger(rows.getString("enabled"), rows.getString("definition")));
                    }
                }
            }
        }
        for (DeclaredSchema.ExpectedTrigger trigger : expected.triggers()) {
            Installed table = tables.get(trigger.table());
            String key = "trigger " + trigger.label();
            if (table == null) {
                problems.put(key, "table " + trigger.table() + " is missing");
                continue;
            }
            InstalledTrigger actual = table.triggers().get(trigger.kind().trigger);
            String definition = trigger.kind().definition(table.qualified(), table.primaryKey());
            if (actual == null) {
                problems.put(key, "missing");
            } else if (!Objects.equals(definition, actual.definition())) {
                // The definitions go to the log only: the probe answer names the trigger, not its SQL.
                details.add(trigger.label() + ": expected [" + definition + "], found [" + actual.definition() + "]");
                problems.put(key, "definition differs from what enable_" + trigger.kind().kind + " creates");
            } else if (!"O".equals(actual.enabled())) {
                problems.put(key, "D".equals(actual.enabled()) ? "disabled"
                        : "enabled state '" + actual.enabled() + "', expected 'O'");
            }
        }
    }

    private static String describe(ChangeSet changeSet) {
        return changeSet.getFilePath() + "::" + changeSet.getId() + "::" + changeSet.getAuthor();
    }

    /** The history table as the fingerprint query names it; Liquibase creates it unquoted on PostgreSQL. */
    private static String historyTable(LiquibaseFactory liquibase) {
        var config = liquibase.getConfiguration();
        String table = config.databaseChangeLogTableName.toLowerCase(Locale.ROOT);
        String schema = config.liquibaseSchemaName.or(() -> config.defaultSchemaName).orElse(null);
        for (String name : new String[] { table, schema }) {
            if (name != null && !PLAIN_IDENTIFIER.matcher(name).matches()) {
                throw new IllegalArgumentException("unsupported Liquibase table or schema name: " + name);
            }
        }
        return schema == null ? table : schema.toLowerCase(Locale.ROOT) + "." + table;
    }

    static String resource(String path) {
        try (InputStream in = SchemaInspector.class.getClassLoader().getResourceAsStream(path)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String load(String name) {
        String sql = resource("db/health/" + name + ".sql");
        if (sql == null) {
            throw new IllegalStateException("missing db/health/" + name + ".sql");
        }
        // The leading comment lines document the file; the server does not need them.
        List<String> lines = new ArrayList<>(sql.lines().toList());
        lines.removeIf(line -> line.startsWith("--"));
        return String.join("\n", lines).strip();
    }
}
