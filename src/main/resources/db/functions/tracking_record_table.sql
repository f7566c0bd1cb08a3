-- Records what the named triggers of one table and of its partitions now are, and, when zz_10_timestamps
-- or zz_90_audit is among them, the table's generated functions, keeping the record of everything else
-- as it was. tracking_generate() (so every enable_* function) calls it for the triggers it manages
-- (zz_05_field_times, which it drops, zz_10_timestamps, zz_90_audit, tracking_refuse_truncate,
-- tracking_notify), tracking_set_notify() for tracking_notify alone. So running one by hand
-- (enable_tracking() is the call readiness gives for a table whose columns changed) accepts that change
-- and no drift elsewhere: a trigger disabled by hand on another table, a function edited, a rule, or any
-- other trigger on this very table stay reported. Inside a migration
-- (tasks.drift_before_migration set by 0000-drift-before-migration.yaml) the migration's rule applies
-- instead: tracking_record(). The owner's alone, like tracking_record().
CREATE OR REPLACE FUNCTION "${database.defaultSchemaName}".tracking_record_table(target regclass, triggers text[]) RETURNS integer
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    tables text[];
    functions text[];
    kept text;
    recorded integer;
BEGIN
    IF coalesce(pg_catalog.current_setting('tasks.drift_before_migration', true), '') <> '' THEN
        RETURN "${database.defaultSchemaName}".tracking_record();
    END IF;
    SELECT pg_catalog.array_agg(tree.relid::pg_catalog.regclass::text) INTO tables
      FROM (SELECT target AS relid UNION SELECT p.relid FROM pg_catalog.pg_partition_tree(target) p) tree;
    SELECT pg_catalog.array_agg('function ' || t.tgfoid::pg_catalog.regprocedure::text) INTO functions
      FROM pg_catalog.pg_trigger t
     WHERE t.tgrelid = target AND t.tgname IN ('zz_10_timestamps', 'zz_90_audit') AND t.tgname = ANY (triggers)
       AND t.tgfoid::pg_catalog.regproc::text ~ '_tracking_(before|audit)$';
    SELECT pg_catalog.string_agg(c.object, E'\n') INTO kept
      FROM "${database.defaultSchemaName}".tracking_check() c
     WHERE c.problem IS NOT NULL
       AND NOT (pg_catalog.substring(c.object, '^trigger (\S+) on ') = ANY (triggers)
                AND pg_catalog.substring(c.object, ' on (.*)$') = ANY (tables))
       AND c.object <> ALL (coalesce(functions, '{}'));
    -- Only for this transaction, and emptied again before returning.
    PERFORM pg_catalog.set_config('tasks.drift_before_migration', coalesce(kept, ''), true);
    recorded := "${database.defaultSchemaName}".tracking_record();
    PERFORM pg_catalog.set_config('tasks.drift_before_migration', '', true);
    RETURN recorded;
END
$$;
REVOKE ALL ON FUNCTION "${database.defaultSchemaName}".tracking_record_table(regclass, text[]) FROM PUBLIC;
