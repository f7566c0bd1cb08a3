-- What the tracking machinery of this schema is right now, one row per object, for tracking_record() to
-- store and tracking_check() to compare with what was stored:
--   every function of the schema: a hash of pg_get_functiondef() (body, language, SECURITY DEFINER,
--     pinned settings such as search_path), its owner and its grants;
--   every trigger on a table that has at least one trigger executing a function of the schema (the
--     tracked tables): a hash of pg_get_triggerdef() and its enabled state (pg_trigger.tgenabled).
-- Names are schema-qualified: the search_path is pinned to pg_catalog, so regprocedure and regclass print
-- the schema. The schema is the one Liquibase installed into, substituted when the changeset runs.
CREATE OR REPLACE FUNCTION "${database.defaultSchemaName}".tracking_snapshot()
    RETURNS TABLE (object text, definition_md5 text, enabled "char")
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
    WITH schema_functions AS (
        SELECT p.oid, p.proowner, p.proacl
          FROM pg_catalog.pg_proc p
         WHERE p.pronamespace = '"${database.defaultSchemaName}"'::pg_catalog.regnamespace
           AND p.prokind IN ('f', 'p')
           -- An extension's functions (citext, say) are the extension's to manage, not tracking machinery.
           AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                            WHERE d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.objid = p.oid
                              AND d.deptype = 'e')
    ), tracked_tables AS (
        SELECT DISTINCT t.tgrelid
          FROM pg_catalog.pg_trigger t
         WHERE t.tgfoid IN (SELECT oid FROM schema_functions)
    )
    SELECT 'function ' || f.oid::pg_catalog.regprocedure::text,
           pg_catalog.md5(pg_catalog.pg_get_functiondef(f.oid)
                          || ' owner=' || f.proowner::pg_catalog.regrole::text
                          || ' acl=' || coalesce(f.proacl::text, 'default')),
           NULL::"char"
      FROM schema_functions f
    UNION ALL
    SELECT 'trigger ' || pg_catalog.quote_ident(t.tgname) || ' on ' || t.tgrelid::pg_catalog.regclass::text,
           pg_catalog.md5(pg_catalog.pg_get_triggerdef(t.oid)),
           t.tgenabled
      FROM pg_catalog.pg_trigger t
     WHERE t.tgrelid IN (SELECT tgrelid FROM tracked_tables)
       AND NOT t.tgisinternal
$$;
REVOKE ALL ON FUNCTION "${database.defaultSchemaName}".tracking_snapshot() FROM PUBLIC;
