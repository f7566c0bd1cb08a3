-- Generic audit trigger of earlier versions (zz_90_audit), kept (hardened) only because a database rolled
-- back before changeset 0007-tasks-generated-tracking uses it; enable_audit() now generates a function
-- per table (tracking_generate()). Writes to the audit_log of the audited table's schema, under the
-- name of the partitioned table for a partition, and refuses temporary tables. The first trigger
-- argument names the primary-key column.
-- SECURITY DEFINER: writers need no privilege on audit_log, so they cannot forge or erase entries.
CREATE OR REPLACE FUNCTION audit_row() RETURNS trigger
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    tracking CONSTANT text[] := ARRAY['created_at', 'updated_at', 'field_updated_at'];
    root regclass := coalesce(pg_catalog.pg_partition_root(TG_RELID), TG_RELID);
    root_name name;
    root_schema name;
    old_row jsonb;
    new_row jsonb;
    changes jsonb;
BEGIN
    SELECT c.relname, n.nspname INTO root_name, root_schema
      FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     WHERE c.oid = root AND c.relpersistence <> 't';
    IF root_name IS NULL THEN
        RAISE EXCEPTION 'audit_row() does not audit temporary table %', TG_RELID::regclass;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        old_row := pg_catalog.to_jsonb(OLD);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        new_row := pg_catalog.to_jsonb(NEW);
    END IF;

    SELECT pg_catalog.jsonb_object_agg(key, pg_catalog.jsonb_build_object('old', old_row -> key, 'new', new_row -> key))
      INTO changes
      FROM pg_catalog.jsonb_object_keys(coalesce(new_row, old_row) - tracking) AS key
     WHERE TG_OP <> 'UPDATE' OR (new_row -> key) IS DISTINCT FROM (old_row -> key);
    IF changes IS NULL THEN
        RETURN NULL;
    END IF;

    EXECUTE pg_catalog.format('INSERT INTO %I.audit_log (table_name, row_id, operation, old_row, new_row, '
                              'changes, txid, tx_time, statement_time, clock_time, db_user, actor, request_id) '
                              'VALUES ($2, $3, $4, $5, $6, $7, pg_catalog.pg_current_xact_id(), pg_catalog.now(), '
                              'pg_catalog.statement_timestamp(), pg_catalog.clock_timestamp(), SESSION_USER, '
                              'NULLIF(pg_catalog.current_setting(''app.actor'', true), ''''), '
                              'NULLIF(pg_catalog.current_setting(''app.request_id'', true), ''''))', root_schema)
      USING root_schema, root_name, coalesce(new_row, old_row) ->> TG_ARGV[0], TG_OP, old_row, new_row, changes;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION audit_row() FROM PUBLIC;
