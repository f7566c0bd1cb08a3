-- BEFORE INSERT OR UPDATE row trigger: the database, not the writer, decides created_at and updated_at.
--   INSERT: both are the transaction time, whatever the writer sent.
--   UPDATE: created_at keeps its stored value (a write to it is ignored, silently).
--           updated_at moves only when another column really changed, to next_row_time(): the
--           transaction time, never earlier than the stored value plus one microsecond.
-- Fires as zz_10_timestamps, after every other BEFORE trigger (zz_05_field_times included), so it sees
-- the row as it will be stored. Change detection is a row comparison: every column type of the table
-- needs an equality operator (jsonb rather than json).
CREATE OR REPLACE FUNCTION set_timestamps() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        NEW.created_at := now();
        NEW.updated_at := now();
        RETURN NEW;
    END IF;

    NEW.created_at := OLD.created_at;
    NEW.updated_at := OLD.updated_at;
    IF NEW IS DISTINCT FROM OLD THEN
        NEW.updated_at := next_row_time(OLD.updated_at);
    END IF;
    RETURN NEW;
END
$$;
