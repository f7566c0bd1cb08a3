-- Everything at once: timestamps, per-field times (when the table has field_updated_at) and the audit.
-- Also the one call that brings a tracked table's generated functions up to date after its columns
-- changed (tracking_drift() names the tables that need it).
CREATE OR REPLACE FUNCTION enable_tracking(target regclass) RETURNS void
    LANGUAGE plpgsql
    SET search_path FROM CURRENT
AS $$
BEGIN
    EXECUTE pg_catalog.format('SELECT %1$I.enable_timestamps($1), %1$I.enable_audit($1)', pg_catalog.current_schema())
      USING target;
END
$$;
REVOKE ALL ON FUNCTION enable_tracking(regclass) FROM PUBLIC;
