-- Audits a table with a single-column primary key: generates its AFTER trigger function, attached as
-- zz_90_audit so that it fires after every other AFTER trigger of the table, and refuses TRUNCATE of it
-- (tracking_refuse_truncate). Idempotent: call it again after changing the table's columns.
CREATE OR REPLACE FUNCTION enable_audit(target regclass) RETURNS void
    LANGUAGE plpgsql
    SET search_path FROM CURRENT
AS $$
BEGIN
    EXECUTE pg_catalog.format('SELECT %I.tracking_generate($1, $2, true)', pg_catalog.current_schema())
      USING target, EXISTS (SELECT 1 FROM pg_catalog.pg_trigger WHERE tgrelid = target AND tgname = 'zz_10_timestamps');
END
$$;
REVOKE ALL ON FUNCTION enable_audit(regclass) FROM PUBLIC;
