-- Creates the monthly partitions of audit_log (range of tx_time, whole months in UTC, named
-- audit_log_yYYYYmMM) from the month of `since` through `months_ahead` months after the current one,
-- skipping those that exist. Returns the partitions it created.
-- A row whose month has no partition yet lands in audit_log_default, so a write never fails; when a
-- partition is created for a month that the default partition holds rows of, they are moved into it
-- (the default partition is detached for that, under an ACCESS EXCLUSIVE lock on audit_log: writers
-- wait for the move, they do not fail). Run by the migration (0012), by audit_log_retain() and by the
-- owner's schedule (docs/operations.md); it creates tables, so it is the owner's alone.
CREATE OR REPLACE FUNCTION "${database.defaultSchemaName}".audit_log_add_partitions(months_ahead integer DEFAULT 3,
                                                                                     since timestamptz DEFAULT pg_catalog.now())
    RETURNS SETOF text
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    install_schema CONSTANT text := '${database.defaultSchemaName}';
    parent CONSTANT text := pg_catalog.format('%I.audit_log', install_schema);
    fallback CONSTANT text := pg_catalog.format('%I.audit_log_default', install_schema);
    columns text;
    first_month timestamp;
    last_month timestamp;
    month timestamp;
    partition_name text;
    lower_bound timestamptz;
    upper_bound timestamptz;
BEGIN
    IF months_ahead IS NULL OR months_ahead < 0 OR months_ahead > 120 THEN
        RAISE EXCEPTION 'months_ahead must be between 0 and 120, not %', months_ahead;
    END IF;
    SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO columns
      FROM pg_catalog.pg_attribute a
     WHERE a.attrelid = parent::pg_catalog.regclass AND a.attnum > 0 AND NOT a.attisdropped;
    first_month := pg_catalog.date_trunc('month', least(since, pg_catalog.now()) AT TIME ZONE 'UTC');
    last_month := pg_catalog.date_trunc('month', pg_catalog.now() AT TIME ZONE 'UTC')
                  + pg_catalog.make_interval(months => months_ahead);
    FOR month IN
        -- The months asked for, and every month the default partition holds rows of.
        SELECT m FROM pg_catalog.generate_series(first_month, last_month, interval '1 month') AS m
        UNION
        SELECT DISTINCT pg_catalog.date_trunc('month', d.tx_time AT TIME ZONE 'UTC')
          FROM "${database.defaultSchemaName}".audit_log_default d
        ORDER BY 1
    LOOP
        partition_name := pg_catalog.format('audit_log_y%sm%s', pg_catalog.to_char(month, 'YYYY'), pg_catalog.to_char(month, 'MM'));
        CONTINUE WHEN pg_catalog.to_regclass(pg_catalog.format('%I.%I', install_schema, partition_name)) IS NOT NULL;
        lower_bound := month AT TIME ZONE 'UTC';
        upper_bound := (month + interval '1 month') AT TIME ZONE 'UTC';
        IF EXISTS (SELECT 1 FROM "${database.defaultSchemaName}".audit_log_default d
                    WHERE d.tx_time >= lower_bound AND d.tx_time < upper_bound) THEN
            EXECUTE pg_catalog.format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE', parent);
            EXECUTE pg_catalog.format('ALTER TABLE %s DETACH PARTITION %s', parent, fallback);
            EXECUTE pg_catalog.format('CREATE TABLE %I.%I PARTITION OF %s FOR VALUES FROM (%L) TO (%L)',
                                      install_schema, partition_name, parent, lower_bound, upper_bound);
            EXECUTE pg_catalog.format('INSERT INTO %1$I.%2$I (%3$s) SELECT %3$s FROM %4$s WHERE tx_time >= %5$L AND tx_time < %6$L',
                                      install_schema, partition_name, columns, fallback, lower_bound, upper_bound);
            EXECUTE pg_catalog.format('DELETE FROM %s WHERE tx_time >= %L AND tx_time < %L', fallback, lower_bound, upper_bound);
            EXECUTE pg_catalog.format('ALTER TABLE %s ATTACH PARTITION %s DEFAULT', parent, fallback);
        ELSE
            EXECUTE pg_catalog.format('CREATE TABLE %I.%I PARTITION OF %s FOR VALUES FROM (%L) TO (%L)',
                                      install_schema, partition_name, parent, lower_bound, upper_bound);
        END IF;
        RETURN NEXT partition_name;
    END LOOP;
END
$$;
REVOKE ALL ON FUNCTION "${database.defaultSchemaName}".audit_log_add_partitions(integer, timestamptz) FROM PUBLIC;
