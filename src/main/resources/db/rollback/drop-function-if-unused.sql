-- Rollback of a function changeset: drops the function named by the transaction-local setting
-- tasks.rollback_function (a signature such as 'set_timestamps()', set by the rollback's first change)
-- only when nothing uses it: no trigger executes it, and no other function of the schema names it in its
-- body (next_row_time() in the trigger functions, primary_key_column() in enable_*). Otherwise the
-- function stays as it is and a notice says so.
-- Why: rolling back a re-run of a runOnChange changeset (a new body) must not take away a function that
-- every write needs; Liquibase cannot restore the previous body, so that is a roll-forward (docs/database-roles.md).
-- When the whole changelog is rolled back, triggers go first and the functions that use a helper go before it,
-- so every function is unused by the time its own changeset is rolled back, and is dropped.
DO $$
DECLARE
    target regprocedure := pg_catalog.to_regprocedure(
        '"${database.defaultSchemaName}".' || pg_catalog.current_setting('tasks.rollback_function'));
    bare_name text;
    used_by text;
BEGIN
    IF target IS NULL THEN
        RETURN;
    END IF;
    SELECT p.proname INTO bare_name FROM pg_catalog.pg_proc p WHERE p.oid = target;
    SELECT pg_catalog.string_agg(user_name, ', ') INTO used_by
      FROM (SELECT 'trigger ' || t.tgname || ' on ' || t.tgrelid::pg_catalog.regclass::text AS user_name
              FROM pg_catalog.pg_trigger t
             WHERE t.tgfoid = target
            UNION ALL
            SELECT 'function ' || p.oid::pg_catalog.regprocedure::text
              FROM pg_catalog.pg_proc p
             WHERE p.pronamespace = '"${database.defaultSchemaName}"'::pg_catalog.regnamespace
               AND p.oid <> target
               AND p.prosrc ~ ('\m' || bare_name || '\M')) AS users;
    IF used_by IS NOT NULL THEN
        RAISE NOTICE 'rollback keeps % as it is: used by %', target, used_by;
        RETURN;
    END IF;
    EXECUTE 'DROP FUNCTION ' || target::text;
END
$$
