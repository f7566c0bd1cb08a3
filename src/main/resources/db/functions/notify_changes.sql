-- AFTER INSERT OR UPDATE OR DELETE statement trigger of every audited table (tracking_notify): announces
-- that the audit trail may have grown, on the channel audit_log, without a payload. PostgreSQL delivers it
-- at commit, once per transaction however many statements sent it, and never for a rolled back one. The
-- service's change streams wake on it and then read the feed with the same query as a polling client, so
-- a lost, late or forged notification (anyone may NOTIFY) changes when they read, never what they send.
CREATE OR REPLACE FUNCTION notify_changes() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM pg_catalog.pg_notify('audit_log', '');
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION notify_changes() FROM PUBLIC;
