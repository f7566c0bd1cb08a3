-- Rollback of a function changeset. The rollback's first change names the function and the changeset in
-- the transaction-local settings tasks.rollback_function (a signature such as 'set_timestamps()') and
-- tasks.rollback_changeset (its id). The function stays as it is when
--   * the changeset's history row says RERAN: this undoes a re-run of the runOnChange changeset (an edited
--     file), the function existed before it, and Liquibase cannot restore the previous body. Dropping it
--     would break every write; going back to the previous body is a roll-forward (docs/database-roles.md);
--   * or something still uses it: a trigger executes it, or a trigger function of the schema names it in
--     its body (next_row_time() in the generated trigger functions).
-- Otherwise (the rollback of the changeset that created it, with its users already rolled back, as in a
-- rollback of the whole changelog) it is dropped. A notice says which.
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
    IF EXISTS (SELECT 1 FROM ${database.liquibaseSchemaName}.${database.databaseChangeLogTableName} h
                WHERE h.id = pg_catalog.current_setting('tasks.rollback_changeset') AND h.author = 'tasks-service'
                  AND h.exectype = 'RERAN') THEN
        RAISE NOTICE 'rollback keeps % as it is: this undoes a re-run, roll forward to change it', target;
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
               -- Only a trigger function's body matters: writes break if it loses what it calls.
               AND p.oid IN (SELECT t.tgfoid FROM pg_catalog.pg_trigger t)
               AND p.prosrc ~ ('\m' || bare_name || '\M')) AS users;
    IF used_by IS NOT NULL THEN
        RAISE NOTICE 'rollback keeps % as it is: used by %', target, used_by;
        RETURN;
    END IF;
    EXECUTE 'DROP FUNCTION ' || target::text;
END
$$
