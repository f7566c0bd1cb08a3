package dev.tasks.health;

import java.util.Arrays;
import java.util.Optional;

/**
 * The tracking triggers a changelog attaches with {@code SELECT enable_<kind>('<table>')}, and the trigger
 * each {@code enable_<kind>} function creates. A new kind of tracking trigger gets a line here; until it
 * does, the readiness check reports the changelog's call as one it cannot verify.
 */
enum TriggerKind {

    // The per-field times are computed by the same generated BEFORE function as the timestamps.
    TIMESTAMPS("timestamps", "zz_10_timestamps", "BEFORE INSERT OR UPDATE", "_tracking_before"),
    FIELD_TIMES("field_times", "zz_10_timestamps", "BEFORE INSERT OR UPDATE", "_tracking_before"),
    AUDIT("audit", "zz_90_audit", "AFTER INSERT OR DELETE OR UPDATE", "_tracking_audit");

    final String kind;
    final String trigger;
    final String events;
    /** Suffix of the function tracking_generate() writes for a table, after the table name's first 40 characters. */
    final String functionSuffix;

    TriggerKind(String kind, String trigger, String events, String functionSuffix) {
        this.kind = kind;
        this.trigger = trigger;
        this.events = events;
        this.functionSuffix = functionSuffix;
    }

    static Optional<TriggerKind> of(String kind) {
        return Arrays.stream(values()).filter(k -> k.kind.equals(kind)).findFirst();
    }

    /**
     * What {@code pg_get_triggerdef} prints for this trigger on a table.
     *
     * @param qualifiedTable schema and table as {@code quote_ident} writes them, e.g. {@code public.tasks}
     * @param primaryKey the primary-key column; null when the table has none (no longer part of the definition)
     */
    String definition(String qualifiedTable, String primaryKey) {
        String table = qualifiedTable.substring(qualifiedTable.lastIndexOf('.') + 1);
        String function = table.substring(0, Math.min(40, table.length())) + functionSuffix;
        return "CREATE TRIGGER " + trigger + " " + events + " ON " + qualifiedTable
                + " FOR EACH ROW EXECUTE FUNCTION " + function + "()";
    }
}
