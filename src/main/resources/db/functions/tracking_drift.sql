-- Tracked tables whose generated trigger functions are not what tracking_generate() would write today
-- (a column added, dropped or retyped since, or a function edited by hand), or that have a partition
-- without the statement triggers tracking_generate() gives each (one created or attached since). One row
-- per table and problem, with the call that fixes it. Empty when every tracked table is up to date.
CREATE OR REPLACE FUNCTION tracking_drift()
    RETURNS TABLE (table_name regclass, problem text, fix text)
    LANGUAGE plpgsql STABLE
    SET search_path FROM CURRENT
AS $$
DECLARE
    tracked record;
    expected text;
    installed text;
    missing text;
BEGIN
    FOR tracked IN
        SELECT t.tgrelid::pg_catalog.regclass AS rel,
               bool_or(t.tgname = 'zz_10_timestamps') AS timestamps,
               bool_or(t.tgname = 'zz_90_audit') AS audit
          FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
         WHERE t.tgname IN ('zz_10_timestamps', 'zz_90_audit') AND NOT t.tgisinternal AND NOT c.relispartition
         GROUP BY t.tgrelid
    LOOP
        table_name := tracked.rel;
        fix := pg_catalog.format('SELECT %I.enable_tracking(%L)', pg_catalog.current_schema(), tracked.rel::pg_catalog.regclass::text);
        BEGIN
            EXECUTE pg_catalog.format('SELECT %I.tracking_generate($1, $2, $3, false)', pg_catalog.current_schema())
               INTO expected USING tracked.rel, tracked.timestamps, tracked.audit;
        EXCEPTION WHEN OTHERS THEN
            problem := 'cannot be generated: ' || SQLERRM;
            RETURN NEXT;
            CONTINUE;
        END;
        -- The settings as the catalog holds them ('name=value'), written as tracking_generate() writes them.
        SELECT pg_catalog.string_agg(pg_catalog.format(
                   'CREATE OR REPLACE FUNCTION %I.%I() RETURNS trigger LANGUAGE plpgsql %s%s AS %L',
                   n.nspname, p.proname, CASE WHEN p.prosecdef THEN 'SECURITY DEFINER ' ELSE '' END,
                   (SELECT pg_catalog.string_agg('SET ' || pg_catalog.regexp_replace(c.setting, '=', ' = '), ' ' ORDER BY c.n)
                      FROM pg_catalog.unnest(p.proconfig) WITH ORDINALITY c (setting, n)),
                   p.prosrc), E';\n'
                   ORDER BY t.tgname)
          INTO installed
          FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_proc p ON p.oid = t.tgfoid
          JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
         WHERE t.tgrelid = tracked.rel AND t.tgname IN ('zz_10_timestamps', 'zz_90_audit');
        IF installed IS DISTINCT FROM expected THEN
            problem := 'generated trigger functions differ from the table''s current columns';
            RETURN NEXT;
        END IF;
        -- Statement triggers are not cloned: a partition created or attached since the last generation
        -- lets TRUNCATE remove its rows unaudited and writes naming it notify no one.
        IF tracked.audit THEN
            SELECT pg_catalog.string_agg(p.relid::pg_catalog.regclass::text, ', ' ORDER BY p.relid::pg_catalog.regclass::text)
              INTO missing
              FROM pg_catalog.pg_partition_tree(tracked.rel) p
             WHERE p.relid <> tracked.rel
               AND (SELECT pg_catalog.count(*) FROM pg_catalog.pg_trigger t
                     WHERE t.tgrelid = p.relid AND NOT t.tgisinternal
                       AND t.tgname IN ('tracking_refuse_truncate', 'tracking_notify')) < 2;
            IF missing IS NOT NULL THEN
                problem := 'partitions without the TRUNCATE refusal or the change notification: ' || missing;
                RETURN NEXT;
            END IF;
        END IF;
    END LOOP;
END
$$;
REVOKE ALL ON FUNCTION tracking_drift() FROM PUBLIC;
