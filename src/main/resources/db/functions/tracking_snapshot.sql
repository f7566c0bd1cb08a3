-- What the tracking machinery of this schema is right now, one row per object, for tracking_record() to
-- store and tracking_check() to compare with what was stored:
--   every function of the schema, and every function a trigger of a tracked table executes (the generated
--   functions of a table in another schema, or a trigger function of the owner's own on a tracked
--   table): a hash of pg_get_functiondef() (body, language, SECURITY DEFINER, pinned settings such as
--   search_path), its owner and its grants;
--   every trigger on a tracked table (one with a trigger executing a function of the schema, or with the
--   generated zz_10_timestamps or zz_90_audit), on audit_log or on one of audit_log's partitions: a hash
--   of pg_get_triggerdef() and its enabled state (pg_trigger.tgenabled). audit_log has none: a trigger on
--   it (BEFORE INSERT ... RETURN NULL) would drop every entry;
--   every rule, row security policy and row level security switch on a tracked table, on audit_log or on
--   one of its partitions: none is installed, and each can make writes or their audit entries vanish
--   while every trigger stays as recorded (a rule ON INSERT TO audit_log DO INSTEAD NOTHING drops every
--   entry; row level security without a policy hides the trail from the request role). A rule's hash is
--   of pg_get_ruledef() with its enabled state (pg_rewrite.ev_enabled); a policy's of its command, kind,
--   roles and expressions.
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
         WHERE (t.tgfoid IN (SELECT oid FROM schema_functions) OR t.tgname IN ('zz_10_timestamps', 'zz_90_audit'))
           AND NOT t.tgisinternal
    ), guarded_tables AS (
        SELECT tgrelid AS oid FROM tracked_tables
        UNION
        SELECT c.oid FROM pg_catalog.pg_class c
         WHERE c.oid = pg_catalog.to_regclass('"${database.defaultSchemaName}".audit_log')
        UNION
        SELECT p.relid FROM pg_catalog.pg_partition_tree(pg_catalog.to_regclass('"${database.defaultSchemaName}".audit_log')) p
    ), watched_triggers AS (
        SELECT t.oid, t.tgname, t.tgrelid, t.tgfoid, t.tgenabled
          FROM pg_catalog.pg_trigger t
         WHERE t.tgrelid IN (SELECT oid FROM guarded_tables)
           AND NOT t.tgisinternal
    ), watched_functions AS (
        SELECT oid, proowner, proacl FROM schema_functions
        UNION
        SELECT p.oid, p.proowner, p.proacl
          FROM pg_catalog.pg_proc p
         WHERE p.oid IN (SELECT tgfoid FROM watched_triggers)
    )
    SELECT 'function ' || f.oid::pg_catalog.regprocedure::text,
           pg_catalog.md5(pg_catalog.pg_get_functiondef(f.oid)
                          || ' owner=' || f.proowner::pg_catalog.regrole::text
                          || ' acl=' || coalesce(f.proacl::text, 'default')),
           NULL::"char"
      FROM watched_functions f
    UNION ALL
    SELECT 'trigger ' || pg_catalog.quote_ident(t.tgname) || ' on ' || t.tgrelid::pg_catalog.regclass::text,
           pg_catalog.md5(pg_catalog.pg_get_triggerdef(t.oid)),
           t.tgenabled
      FROM watched_triggers t
    UNION ALL
    SELECT 'rule ' || pg_catalog.quote_ident(r.rulename) || ' on ' || r.ev_class::pg_catalog.regclass::text,
           pg_catalog.md5(pg_catalog.pg_get_ruledef(r.oid)),
           r.ev_enabled
      FROM pg_catalog.pg_rewrite r
     WHERE r.ev_class IN (SELECT oid FROM guarded_tables)
    UNION ALL
    SELECT 'policy ' || pg_catalog.quote_ident(p.polname) || ' on ' || p.polrelid::pg_catalog.regclass::text,
           pg_catalog.md5(p.polcmd::text || ' permissive=' || p.polpermissive::text
                          || ' roles=' || p.polroles::pg_catalog.regrole[]::text
                          || ' using=' || coalesce(pg_catalog.pg_get_expr(p.polqual, p.polrelid), '')
                          || ' check=' || coalesce(pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid), '')),
           NULL::"char"
      FROM pg_catalog.pg_policy p
     WHERE p.polrelid IN (SELECT oid FROM guarded_tables)
    UNION ALL
    SELECT 'row level security on ' || c.oid::pg_catalog.regclass::text,
           pg_catalog.md5(CASE WHEN c.relforcerowsecurity THEN 'forced' ELSE 'enabled' END),
           NULL::"char"
      FROM pg_catalog.pg_class c
     WHERE c.oid IN (SELECT oid FROM guarded_tables)
       AND c.relrowsecurity
$$;
REVOKE ALL ON FUNCTION "${database.defaultSchemaName}".tracking_snapshot() FROM PUBLIC;
