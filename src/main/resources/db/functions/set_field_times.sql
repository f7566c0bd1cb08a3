-- Generic per-field times trigger of earlier versions (zz_05_field_times), kept (hardened) only because
-- a database rolled back before changeset 0007-tasks-generated-tracking uses it; the generated function
-- of enable_timestamps() computes the per-field times now, in the same pass as updated_at.
-- Trigger arguments name columns to leave out of the map (the primary key).
CREATE OR REPLACE FUNCTION set_field_times() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    excluded CONSTANT text[] := ARRAY['created_at', 'updated_at', 'field_updated_at'] || TG_ARGV;
    stamp jsonb;
    new_values jsonb;
    old_values jsonb;
    changed jsonb;
BEGIN
    IF TG_OP = 'INSERT' THEN
        stamp := pg_catalog.to_jsonb(pg_catalog.to_char(pg_catalog.now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'));
        SELECT coalesce(pg_catalog.jsonb_object_agg(key, stamp), '{}'::jsonb) INTO changed
          FROM pg_catalog.jsonb_object_keys(pg_catalog.to_jsonb(NEW) - excluded) AS key;
        NEW.field_updated_at := changed;
        RETURN NEW;
    END IF;

    NEW.field_updated_at := OLD.field_updated_at;
    NEW.created_at := OLD.created_at;
    NEW.updated_at := OLD.updated_at;
    IF NEW IS NOT DISTINCT FROM OLD THEN
        RETURN NEW;
    END IF;

    stamp := pg_catalog.to_jsonb(pg_catalog.to_char(
        CASE WHEN OLD.updated_at IS NULL OR OLD.updated_at <= pg_catalog.now() THEN pg_catalog.now()
             ELSE OLD.updated_at + '00:00:00.000001'::pg_catalog.interval END AT TIME ZONE 'UTC',
        'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'));
    new_values := pg_catalog.to_jsonb(NEW) - excluded;
    old_values := pg_catalog.to_jsonb(OLD) - excluded;
    SELECT coalesce(pg_catalog.jsonb_object_agg(n.key, stamp), '{}'::jsonb) INTO changed
      FROM pg_catalog.jsonb_each(new_values) AS n
     WHERE n.value IS DISTINCT FROM old_values -> n.key;
    NEW.field_updated_at := coalesce(OLD.field_updated_at, '{}'::jsonb) || changed;
    RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION set_field_times() FROM PUBLIC;
