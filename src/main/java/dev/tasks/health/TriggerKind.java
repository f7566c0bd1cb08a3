package dev.tasks.health;

import java.util.Arrays;
import java.util.Optional;

/**
 * The tracking triggers a changelog attaches with {@code SELECT enable_<kind>('<table>')}, and the trigger
 * each {@code enable_<kind>} function creates. A new kind of tracking trigger gets a line here; until it
 * does, the readiness check reports the changelog's call as one it cannot verify.
 */
enum TriggerKind {

    TIMESTAMPS("timestamps", "zz_10_timestamps", "BEFORE INSERT OR UPDATE", "set_timestamps", false),
    FIELD_TIMES("field_times", "zz_05_field_times", "BEFORE INSERT OR UPDATE", "set_field_times", true),
    AUDIT("audit", "zz_90_audit", "AFTER INSERT OR DELETE OR UPDATE", "audit_row", true);

    final String kind;
    final String trigger;
    final String events;
    final String function;
    /** Whether the trigger function receives the table's primary-key column as its argument. */
    final boolean primaryKeyArgument;

    TriggerKind(String kind, String trigger, String events, String function, boolean primaryKeyArgument) {
        this.kind = kind;
        this.trigger = trigger;
        this.events = events;
        this.function = function;
        this.primaryKeyArgument = primaryKeyArgument;
    }

    static Optional<TriggerKind> of(String kind) {
        return Arrays.stream(values()).filter(k -> k.kind.equals(kind)).findFirst();
    }

    /**
     * What {@code pg_get_triggerdef} prints for this trigger on a table.
     *
     * @param qualifiedTable schema and table as {@code quote_ident} writes them, e.g. {@code public.tasks}
     * @param primaryKey the primary-key column; null when the table has none
     */
    String definition(String qualifiedTable, String primaryKey) {
        String argument = primaryKeyArgument ? "'" + String.valueOf(primaryKey).replace("'", "''") + "'" : "";
        return "CREATE TRIGGER " + trigger + " " + events + " ON " + qualifiedTable
                + " FOR EACH ROW EXECUTE FUNCTION " + function + "(" + argument + ")";
    }
}
