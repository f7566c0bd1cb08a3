-- BEFORE INSERT OR UPDATE row trigger: keeps field_updated_at, a jsonb map from column name to the
-- time that column last changed (ISO-8601, UTC, microseconds), in step with updated_at.
--   INSERT: every column gets the transaction time, as created_at and updated_at do.
--   UPDATE: only the columns whose value really changed (IS DISTINCT FROM) get next_row_time(), the
--           very value zz_10_timestamps gives updated_at; the others keep their time. Whatever the
--           writer put in field_updated_at is discarded.
-- Fires as zz_05_field_times: after the table's own BEFORE triggers, just before zz_10_timestamps.
-- Trigger arguments name columns to leave out of the map (the primary key); the tracking columns
-- themselves are always left out.
CREATE OR REPLACE FUNCTION set_field_times() RETURNS trigger
    LANGUAGE plpgsql
AS $$
DECLARE
    excluded CONSTANT text[] := ARRAY['created_at', 'updated_at', 'field_updated_at'] || TG_ARGV;
    stamp jsonb;
    new_values jsonb;
    old_values jsonb;
    changed jsonb;
BEGIN
    IF TG_OP = 'INSERT' THEN
        stamp := to_jsonb(to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'));
        SELECT coalesce(jsonb_object_agg(key, stamp), '{}'::jsonb) INTO changed
          FROM jsonb_object_keys(to_jsonb(NEW) - excluded) AS key;
        NEW.field_updated_at := changed;
        RETURN NEW;
    END IF;

    -- The tracking columns are not the writer's to set; with them reset, an unchanged row compares equal.
    NEW.field_updated_at := OLD.field_updated_at;
    NEW.created_at := OLD.created_at;
    NEW.updated_at := OLD.updated_at;
    IF NEW IS NOT DISTINCT FROM OLD THEN
        RETURN NEW;
    END IF;

    stamp := to_jsonb(to_char(next_row_time(OLD.updated_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'));
    new_values := to_jsonb(NEW) - excluded;
    old_values := to_jsonb(OLD) - excluded;
    SELECT coalesce(jsonb_object_agg(n.key, stamp), '{}'::jsonb) INTO changed
      FROM jsonb_each(new_values) AS n
     WHERE n.value IS DISTINCT FROM old_values -> n.key;
    NEW.field_updated_at := coalesce(OLD.field_updated_at, '{}'::jsonb) || changed;
    RETURN NEW;
END
$$;
