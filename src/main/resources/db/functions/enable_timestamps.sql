-- Attaches set_timestamps() to a table that has created_at and updated_at timestamptz columns.
-- The trigger is named zz_10_timestamps so that it fires after every other BEFORE trigger of the table
-- (PostgreSQL fires triggers of one event in name order): whatever they change, the time is set last.
CREATE OR REPLACE FUNCTION enable_timestamps(target regclass) RETURNS void
    LANGUAGE plpgsql
AS $$
DECLARE
    missing text;
BEGIN
    SELECT string_agg(required, ', ') INTO missing
      FROM unnest(ARRAY['created_at', 'updated_at']) AS required
     WHERE NOT EXISTS (SELECT 1 FROM pg_attribute a
                        WHERE a.attrelid = target AND a.attname = required AND NOT a.attisdropped
                          AND a.atttypid = 'timestamptz'::regtype);
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'table % needs timestamptz columns: %', target, missing;
    END IF;
    EXECUTE format('CREATE TRIGGER zz_10_timestamps BEFORE INSERT OR UPDATE ON %s '
                   'FOR EACH ROW EXECUTE FUNCTION set_timestamps()', target);
END
$$;
