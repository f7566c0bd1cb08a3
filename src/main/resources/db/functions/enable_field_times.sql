-- Attaches set_field_times() to a table that has a field_updated_at jsonb column, a single-column
-- primary key and the timestamp trigger. Named zz_05_field_times: it fires after the table's own
-- BEFORE triggers and just before zz_10_timestamps, which then sees the final row.
CREATE OR REPLACE FUNCTION enable_field_times(target regclass) RETURNS void
    LANGUAGE plpgsql
AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_attribute
                    WHERE attrelid = target AND attname = 'field_updated_at' AND NOT attisdropped
                      AND atttypid = 'jsonb'::regtype) THEN
        RAISE EXCEPTION 'table % needs a jsonb column field_updated_at', target;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = target AND tgname = 'zz_10_timestamps') THEN
        RAISE EXCEPTION 'table % needs the timestamp trigger first: SELECT enable_timestamps(''%'')', target, target;
    END IF;
    EXECUTE format('CREATE TRIGGER zz_05_field_times BEFORE INSERT OR UPDATE ON %s '
                   'FOR EACH ROW EXECUTE FUNCTION set_field_times(%L)', target, primary_key_column(target));
END
$$;
