-- BEFORE INSERT OR UPDATE row trigger: the database, not the writer, decides created_at and updated_at.
--   INSERT: both are the transaction time, whatever the writer sent.
--   UPDATE: created_at keeps its stored value (a write to it is ignored, silently).
--           updated_at moves only when another column really changed; it then takes the transaction
--           time, or the previous value plus one microsecond when that time would not move it forward
--           (a transaction that started before a concurrent change to the row committed).
-- Columns the tracking triggers maintain themselves do not count as changes.
CREATE OR REPLACE FUNCTION set_timestamps() RETURNS trigger
    LANGUAGE plpgsql
AS $$
DECLARE
    maintained CONSTANT text[] := ARRAY['created_at', 'updated_at', 'field_updated_at'];
BEGIN
    IF TG_OP = 'INSERT' THEN
        NEW.created_at := now();
        NEW.updated_at := now();
        RETURN NEW;
    END IF;

    NEW.created_at := OLD.created_at;
    IF (to_jsonb(NEW) - maintained) IS NOT DISTINCT FROM (to_jsonb(OLD) - maintained) THEN
        NEW.updated_at := OLD.updated_at;
    ELSIF OLD.updated_at <= now() THEN
        NEW.updated_at := now();
    ELSE
        NEW.updated_at := OLD.updated_at + interval '1 microsecond';
    END IF;
    RETURN NEW;
END
$$;
