-- AFTER INSERT OR UPDATE OR DELETE row trigger, usable by any table: appends one row to audit_log per
-- changed row. An UPDATE that changes nothing but the tracking columns (created_at, updated_at,
-- field_updated_at) writes nothing. The first trigger argument names the primary-key column.
-- Application context comes from the transaction-local settings app.actor and app.request_id; a write
-- made without them (another program, psql) records only the database user.
-- SECURITY DEFINER: writers need no privilege on audit_log, so they cannot forge or erase entries.
CREATE OR REPLACE FUNCTION audit_row() RETURNS trigger
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path FROM CURRENT
AS $$
DECLARE
    tracking CONSTANT text[] := ARRAY['created_at', 'updated_at', 'field_updated_at'];
    old_row jsonb;
    new_row jsonb;
    changes jsonb;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        old_row := to_jsonb(OLD);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        new_row := to_jsonb(NEW);
    END IF;

    SELECT jsonb_object_agg(key, jsonb_build_object('old', old_row -> key, 'new', new_row -> key))
      INTO changes
      FROM jsonb_object_keys(coalesce(new_row, old_row) - tracking) AS key
     WHERE TG_OP <> 'UPDATE' OR (new_row -> key) IS DISTINCT FROM (old_row -> key);
    IF changes IS NULL THEN
        RETURN NULL;
    END IF;

    INSERT INTO audit_log (table_name, row_id, operation, old_row, new_row, changes, txid,
                           tx_time, statement_time, clock_time, db_user, actor, request_id)
    VALUES (TG_TABLE_NAME, coalesce(new_row, old_row) ->> TG_ARGV[0], TG_OP, old_row, new_row, changes,
            pg_current_xact_id(), transaction_timestamp(), statement_timestamp(), clock_timestamp(),
            session_user,
            nullif(current_setting('app.actor', true), ''),
            nullif(current_setting('app.request_id', true), ''));
    RETURN NULL;
END
$$;
