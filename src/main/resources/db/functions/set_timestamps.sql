-- Generic timestamp trigger of earlier versions, kept (hardened) only because triggers of a database
-- rolled back before changeset 0007-tasks-generated-tracking use it; enable_timestamps() now generates
-- a function per table instead (tracking_generate()). Same rule: created_at and updated_at are the
-- transaction time on INSERT; on UPDATE created_at is kept and updated_at moves only when another
-- column changed, to the transaction time or the stored time plus one microsecond, whichever is later.
CREATE OR REPLACE FUNCTION set_timestamps() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        NEW.created_at := pg_catalog.now();
        NEW.updated_at := pg_catalog.now();
        RETURN NEW;
    END IF;

    NEW.created_at := OLD.created_at;
    NEW.updated_at := OLD.updated_at;
    IF NEW IS DISTINCT FROM OLD THEN
        NEW.updated_at := CASE WHEN OLD.updated_at IS NULL OR OLD.updated_at <= pg_catalog.now() THEN pg_catalog.now()
                               ELSE OLD.updated_at + '00:00:00.000001'::pg_catalog.interval END;
    END IF;
    RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION set_timestamps() FROM PUBLIC;
