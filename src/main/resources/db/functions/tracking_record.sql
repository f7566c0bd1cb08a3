-- Stores tracking_snapshot() as what was installed, replacing the previous record. Run by the last
-- changeset of every migration that changed something (9999-record-tracking.yaml), and by an operator who
-- has checked a change made by hand and accepts it: SELECT tracking_record();
-- Only the schema owner may call it (EXECUTE is revoked from PUBLIC): whoever can record can hide drift.
-- During a migration, the objects that already differed from the record before it began
-- (tasks.drift_before_migration, set by 0000-drift-before-migration.yaml) keep their recorded state: a
-- migration records what it changed, never a change made by hand. Called outside a migration, it records
-- everything: the owner's deliberate acceptance.
CREATE OR REPLACE FUNCTION "${database.defaultSchemaName}".tracking_record() RETURNS integer
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    recorded integer;
    kept CONSTANT text[] := pg_catalog.string_to_array(
        NULLIF(pg_catalog.current_setting('tasks.drift_before_migration', true), ''), E'\n');
BEGIN
    DELETE FROM "${database.defaultSchemaName}".tracking_installed r
     WHERE kept IS NULL OR r.object <> ALL (kept);
    INSERT INTO "${database.defaultSchemaName}".tracking_installed (object, definition_md5, enabled, recorded_at, recorded_by)
    SELECT s.object, s.definition_md5, s.enabled, pg_catalog.now(), session_user
      FROM "${database.defaultSchemaName}".tracking_snapshot() s
     WHERE kept IS NULL OR s.object <> ALL (kept);
    GET DIAGNOSTICS recorded = ROW_COUNT;
    RETURN recorded;
END
$$;
REVOKE ALL ON FUNCTION "${database.defaultSchemaName}".tracking_record() FROM PUBLIC;
