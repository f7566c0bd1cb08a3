package dev.tasks.health;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import liquibase.change.Change;
import liquibase.change.core.DropTableChange;
import liquibase.change.core.RawSQLChange;
import liquibase.change.core.SQLFileChange;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;

/**
 * What the changelogs say the database must hold beyond what Liquibase itself tracks: every PL/pgSQL
 * function applied from a {@code sqlFile} (with its exact body) and every tracking trigger attached with
 * {@code SELECT enable_<kind>('<table>')}. Changesets are read in order, so a later {@code DROP TRIGGER},
 * {@code DROP FUNCTION}, {@code disable_<kind>} call or {@code dropTable} withdraws an earlier expectation.
 *
 * @param functions by name
 * @param triggers in changelog order
 * @param unknownKinds {@code enable_<kind>} calls whose trigger {@link TriggerKind} does not describe
 */
record DeclaredSchema(Map<String, FunctionFile> functions, List<ExpectedTrigger> triggers, List<String> unknownKinds) {

    /** A trigger that {@code enable_<kind>(table)} creates. */
    record ExpectedTrigger(String table, TriggerKind kind) {

        String label() {
            return kind.trigger + " on " + table;
        }
    }

    private static final Pattern ENABLE = Pattern.compile(
            "\\bSELECT\\s+(?:[\\w\"]+\\.)?(enable|disable)_(\\w+)\\s*\\(\\s*'([^']+)'(?:\\s*::\\s*regclass)?\\s*\\)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern DROP_TRIGGER = Pattern.compile(
            "\\bDROP\\s+TRIGGER\\s+(?:IF\\s+EXISTS\\s+)?(\"[^\"]+\"|\\w+)\\s+ON\\s+((?:\"[^\"]+\"|\\w+)(?:\\.(?:\"[^\"]+\"|\\w+))?)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern DROP_FUNCTION = Pattern.compile(
            "\\bDROP\\s+FUNCTION\\s+(?:IF\\s+EXISTS\\s+)?(?:(?:\"[^\"]+\"|\\w+)\\.)?(\"[^\"]+\"|\\w+)",
            Pattern.CASE_INSENSITIVE);

    /**
     * Reads a parsed changelog.
     *
     * @param resources classpath resource path to its text, null when missing
     */
    static DeclaredSchema from(DatabaseChangeLog changelog, Function<String, String> resources) {
        Map<String, FunctionFile> functions = new LinkedHashMap<>();
        Map<String, ExpectedTrigger> triggers = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (ChangeSet changeSet : changelog.getChangeSets()) {
            for (Change change : changeSet.getChanges()) {
                if (change instanceof SQLFileChange file) {
                    String path = resolve(changeSet.getFilePath(), file.getPath(),
                            Boolean.TRUE.equals(file.isRelativeToChangelogFile()));
                    String sql = resources.apply(path);
                    if (sql == null) {
                        throw new IllegalStateException(changeSet.getFilePath() + " applies missing file " + path);
                    }
                    if (HEADLINE.matcher(sql).find()) {
                        FunctionFile function = FunctionFile.parse(path, sql);
                        functions.put(function.name(), function);
                    }
                } else if (change instanceof RawSQLChange raw && raw.getSql() != null) {
                    read(raw.getSql(), functions, triggers, unknown);
                } else if (change instanceof DropTableChange drop) {
                    String table = identifier(drop.getTableName());
                    triggers.values().removeIf(t -> t.table().equals(table));
                }
            }
        }
        return new DeclaredSchema(Map.copyOf(functions), List.copyOf(triggers.values()), List.copyOf(unknown));
    }

    private static final Pattern HEADLINE = Pattern.compile("CREATE\\s+(?:OR\\s+REPLACE\\s+)?FUNCTION\\b",
            Pattern.CASE_INSENSITIVE);

    private static void read(String sql, Map<String, FunctionFile> functions, Map<String, ExpectedTrigger> triggers,
            List<String> unknown) {
        Matcher call = ENABLE.matcher(sql);
        while (call.find()) {
            String verb = call.group(1).toLowerCase(Locale.ROOT);
            String kindName = call.group(2).toLowerCase(Locale.ROOT);
            String table = table(call.group(3));
            var kind = TriggerKind.of(kindName);
            if (kind.isEmpty()) {
                if (verb.equals("enable")) {
                    unknown.add("enable_" + kindName + "('" + table + "')");
                }
                continue;
            }
            ExpectedTrigger trigger = new ExpectedTrigger(table, kind.get());
            if (verb.equals("enable")) {
                // enable_field_times regenerates the trigger enable_timestamps created: the first call names it.
                triggers.putIfAbsent(trigger.label(), trigger);
            } else {
                triggers.remove(trigger.label());
            }
        }
        Matcher dropTrigger = DROP_TRIGGER.matcher(sql);
        while (dropTrigger.find()) {
            triggers.remove(identifier(dropTrigger.group(1)) + " on " + table(dropTrigger.group(2)));
        }
        Matcher dropFunction = DROP_FUNCTION.matcher(sql);
        while (dropFunction.find()) {
            functions.remove(identifier(dropFunction.group(1)));
        }
    }

    private static final Pattern QUALIFIED = Pattern.compile("(?:(?:\"[^\"]+\"|[^.\"]+)\\.)?(\"[^\"]+\"|[^.\"]+)");

    /** The table name without schema, as pg_class.relname holds it. */
    private static String table(String qualified) {
        Matcher name = QUALIFIED.matcher(qualified.strip());
        return identifier(name.matches() ? name.group(1) : qualified);
    }

    private static String identifier(String name) {
        String strip = name.strip();
        return strip.startsWith("\"") && strip.endsWith("\"") ? strip.substring(1, strip.length() - 1)
                : strip.toLowerCase(Locale.ROOT);
    }

    /** A sqlFile path as a classpath resource: relative to the changelog that names it, or as written. */
    static String resolve(String changelogFile, String path, boolean relativeToChangelog) {
        String resolved = relativeToChangelog ? URI.create(changelogFile).resolve(path).normalize().toString() : path;
        return resolved.startsWith("classpath:") ? resolved.substring("classpath:".length()) : resolved;
    }

    /** Names of every function expected, for the catalog query. */
    Collection<String> functionNames() {
        return functions.keySet();
    }

    /** Names of every table that should carry a tracking trigger, for the catalog query. */
    List<String> tables() {
        return triggers.stream().map(ExpectedTrigger::table).distinct().toList();
    }
}
