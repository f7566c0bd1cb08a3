-- Compares tracking_snapshot() with what tracking_record() stored: one row per object, problem null when
-- it matches; then a row per tracked table whose columns changed since its functions were generated. The readiness check runs it; so can an operator:
--   SELECT * FROM tracking_check() WHERE problem IS NOT NULL;
-- Enabled states rank D (disabled) and R (replica sessions only) below O (normal) below A (always): a
-- trigger made ENABLE ALWAYS after it was recorded is a hardening step, not drift; any step down is drift.
-- SECURITY DEFINER so that the request role reads the record without a grant on tracking_installed.
CREATE OR REPLACE FUNCTION "${database.defaultSchemaName}".tracking_check()
    RETURNS TABLE (object text, problem text)
    LANGUAGE sql STABLE
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
    WITH recorded AS (
        SELECT r.object, r.definition_md5, r.enabled FROM "${database.defaultSchemaName}".tracking_installed r
    ), live AS (
        SELECT s.object, s.definition_md5, s.enabled FROM "${database.defaultSchemaName}".tracking_snapshot() s
    ), compared AS (
        SELECT coalesce(r.object, l.object) AS object,
               CASE WHEN l.object IS NULL THEN 'missing'
                    WHEN r.object IS NULL THEN 'not recorded'
                    WHEN l.definition_md5 <> r.definition_md5 THEN 'definition differs from the recorded one'
                    WHEN l.enabled = 'D' AND r.enabled <> 'D' THEN 'disabled'
                    WHEN l.enabled = 'R' AND r.enabled <> 'R' THEN 'fires only in replica sessions'
                    WHEN l.enabled = 'O' AND r.enabled = 'A' THEN 'no longer ENABLE ALWAYS'
               END AS problem
          FROM recorded r
          FULL JOIN live l ON l.object = r.object
         -- A recorded trigger, rule, policy or row level security whose table was dropped since is not drift:
         -- there is nothing left to track; nor is a missing generated function of a table, which no trigger
         -- can use any more (a trigger that did is dropped with it, and that is reported).
         WHERE NOT (l.object IS NULL AND r.object ~ '^((trigger|rule|policy) .* on |row level security on )'
                    AND pg_catalog.to_regclass(pg_catalog.substring(r.object, ' on (.*)$')) IS NULL)
           AND NOT (l.object IS NULL AND r.object ~ '_tracking_(before|audit)\(\)$')
    )
    SELECT c.object, c.problem FROM compared c
    UNION ALL
    -- Tracked tables whose columns changed since their functions were generated, with the fixing call.
    SELECT 'table ' || d.table_name::text, d.problem || '; fix: ' || d.fix
      FROM "${database.defaultSchemaName}".tracking_drift() d
     -- A trigger of the table or one of its functions that differs from the record is reported above already.
     WHERE NOT EXISTS (SELECT 1 FROM compared c
                        WHERE c.problem IS NOT NULL
                          AND ((c.object LIKE 'trigger %' AND pg_catalog.substring(c.object, ' on (.*)$') = d.table_name::text)
                               OR c.object IN (SELECT 'function ' || t.tgfoid::pg_catalog.regprocedure::text
                                                 FROM pg_catalog.pg_trigger t WHERE t.tgrelid = d.table_name)))
    UNION ALL
    SELECT 'tracking record', 'empty: nothing was recorded, run SELECT tracking_record() as the owner'
     WHERE NOT EXISTS (SELECT 1 FROM recorded)
    ORDER BY 1
$$;
-- Not for PUBLIC: granted to the request role by 0023-request-role-runs-tracking-check only where readiness needs it.
REVOKE ALL ON FUNCTION "${database.defaultSchemaName}".tracking_check() FROM PUBLIC;
