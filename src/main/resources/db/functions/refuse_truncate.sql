-- BEFORE TRUNCATE statement trigger of every audited table (tracking_refuse_truncate): TRUNCATE fires no
-- row trigger, so the rows would vanish with no DELETE entry and every mirror following the change feed
-- would keep them. It is refused; delete the rows instead (DELETE FROM <table>), which the audit records.
CREATE OR REPLACE FUNCTION refuse_truncate() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RAISE EXCEPTION 'TRUNCATE of %.% is refused: it would remove rows without audit entries', TG_TABLE_SCHEMA, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Use DELETE, which the audit trail and the change feed record.';
END
$$;
REVOKE ALL ON FUNCTION refuse_truncate() FROM PUBLIC;
