-- Keeps field_updated_at, a jsonb map from column name to the time that column last changed (ISO-8601,
-- UTC, microseconds), in step with updated_at. The table needs that column, a single-column primary
-- key (left out of the map) and the timestamp tracking first. The times are computed by the same
-- generated function as updated_at, in one pass (see tracking_generate()); the zz_05_field_times
-- trigger of earlier versions is dropped.
CREATE OR REPLACE FUNCTION enable_field_times(target regclass) RETURNS void
    LANGUAGE plpgsql
    SET search_path FROM CURRENT
AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute
                    WHERE attrelid = target AND attname = 'field_updated_at' AND NOT attisdropped
                      AND atttypid = 'pg_catalog.jsonb'::pg_catalog.regtype) THEN
        RAISE EXCEPTION 'table % needs a jsonb column field_updated_at', target;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger WHERE tgrelid = target AND tgname = 'zz_10_timestamps') THEN
        RAISE EXCEPTION 'table % needs the timestamp trigger first: SELECT enable_timestamps(''%'')', target, target;
    END IF;
    EXECUTE pg_catalog.format('SELECT %I.tracking_generate($1, true, $2)', pg_catalog.current_schema())
      USING target, EXISTS (SELECT 1 FROM pg_catalog.pg_trigger WHERE tgrelid = target AND tgname = 'zz_90_audit');
END
$$;
REVOKE ALL ON FUNCTION enable_field_times(regclass) FROM PUBLIC;
