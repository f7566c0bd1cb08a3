-- BEFORE INSERT OR UPDATE row trigger: keeps field_updated_at, a jsonb map from column name to the
-- time that column last changed (ISO-8601, UTC, microseconds), in step with updated_at.
--   INSERT: every column gets the row's updated_at.
--   UPDATE: only the columns whose value really changed (IS DISTINCT FROM) get the row's updated_at;
--           the others keep their time, whatever the writer put in field_updated_at.
-- Fires after zz_10_timestamps, so updated_at is already final. Trigger arguments name the columns to
-- leave out of the map (the primary key); the tracking columns themselves are always left out.
CREATE OR REPLACE FUNCTION set_field_times() RETURNS trigger
    LANGUAGE plpgsql
AS $$
DECLARE
    excluded CONSTANT text[] := ARRAY['created_at', 'updated_at', 'field_updated_at'] || TG_ARGV;
    stamp CONSTANT jsonb := to_jsonb(to_char(NEW.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'));
    new_values jsonb := to_jsonb(NEW) - excluded;
    old_values jsonb;
    changed jsonb;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT coalesce(jsonb_object_agg(key, stamp), '{}'::jsonb) INTO changed
          FROM jsonb_object_keys(new_values) AS key;
        NEW.field_updated_at := changed;
        RETURN NEW;
    END IF;

    old_values := to_jsonb(OLD) - excluded;
    SELECT coalesce(jsonb_object_agg(n.key, stamp), '{}'::jsonb) INTO changed
      FROM jsonb_each(new_values) AS n
     WHERE n.value IS DISTINCT FROM old_values -> n.key;
    NEW.field_updated_at := coalesce(OLD.field_updated_at, '{}'::jsonb) || changed;
    RETURN NEW;
END
$$;
