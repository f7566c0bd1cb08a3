-- The single primary-key column of a table; the tracking identifies rows by it.
CREATE OR REPLACE FUNCTION primary_key_column(target regclass) RETURNS text
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    columns text[];
BEGIN
    SELECT pg_catalog.array_agg(a.attname ORDER BY a.attnum) INTO columns
      FROM pg_catalog.pg_index i
      JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
     WHERE i.indrelid = target AND i.indisprimary;
    IF columns IS NULL OR pg_catalog.cardinality(columns) <> 1 THEN
        RAISE EXCEPTION 'table % needs a single-column primary key', target;
    END IF;
    RETURN columns[1];
END
$$;
REVOKE ALL ON FUNCTION primary_key_column(regclass) FROM PUBLIC;
