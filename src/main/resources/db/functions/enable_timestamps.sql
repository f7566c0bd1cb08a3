-- Makes the database, not the writer, decide created_at and updated_at of a table that has them as
-- timestamptz columns (and field_updated_at, when it has that jsonb column): generates the table's
-- BEFORE trigger function and attaches it as zz_10_timestamps, named to fire after every other BEFORE
-- trigger of the table (PostgreSQL fires triggers of one event in name order), so it sees the row as it
-- will be stored. Idempotent: call it again after changing the table's columns. See tracking_generate().
CREATE OR REPLACE FUNCTION enable_timestamps(target regclass) RETURNS void
    LANGUAGE plpgsql
    SET search_path FROM CURRENT
AS $$
DECLARE
    missing text;
BEGIN
    SELECT pg_catalog.string_agg(required, ', ') INTO missing
      FROM pg_catalog.unnest(ARRAY['created_at', 'updated_at']) AS required
     WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                        WHERE a.attrelid = target AND a.attname = required AND NOT a.attisdropped
                          AND a.atttypid = 'pg_catalog.timestamptz'::pg_catalog.regtype);
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'table % needs timestamptz columns: %', target, missing;
    END IF;
    EXECUTE pg_catalog.format('SELECT %I.tracking_generate($1, true, $2)', pg_catalog.current_schema())
      USING target, EXISTS (SELECT 1 FROM pg_catalog.pg_trigger WHERE tgrelid = target AND tgname = 'zz_90_audit');
END
$$;
REVOKE ALL ON FUNCTION enable_timestamps(regclass) FROM PUBLIC;
