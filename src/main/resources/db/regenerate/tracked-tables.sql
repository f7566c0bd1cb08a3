-- Regenerates the tracking of every tracked table with the parts it has (timestamps, audit), as
-- tracking_drift() would ask of each: run by 9998-tracked-tables-follow-the-generator whenever the
-- generator changes. Partitions are left to their root, which regenerates them.
DO $$
DECLARE
    tracked record;
BEGIN
    FOR tracked IN
        SELECT t.tgrelid::pg_catalog.regclass AS rel,
               pg_catalog.bool_or(t.tgname = 'zz_10_timestamps') AS timestamps,
               pg_catalog.bool_or(t.tgname = 'zz_90_audit') AS audit
          FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
         WHERE t.tgname IN ('zz_10_timestamps', 'zz_90_audit') AND NOT t.tgisinternal
           AND NOT c.relispartition
         GROUP BY t.tgrelid
    LOOP
        PERFORM "${database.defaultSchemaName}".tracking_generate(tracked.rel, tracked.timestamps, tracked.audit);
    END LOOP;
END
$$
