-- Retention of audit_log: removes the entries of every whole month (UTC) that ended at least `keep`
-- ago, by dropping its partition (no DELETE, no vacuum), and the entries of the default partition from
-- before that month boundary by a range DELETE (the default partition is small: it only holds rows
-- whose month had no partition yet). Before anything goes, it records in audit_log_retained, per audited
-- table, the greatest change-feed position (txid, id) removed: a feed cursor below it, or a history
-- that began before the removed range, is answered 410 Gone. Record and removal commit together.
-- Then it creates the partitions of the coming months (audit_log_add_partitions), so one scheduled
-- call does both. Returns one row per partition dropped or created and one for the default partition.
-- The search for the greatest position descends audit_log_feed_idx once per audited table of each
-- dropped partition; nothing scans a whole partition. The schema owner's alone.
CREATE OR REPLACE FUNCTION "${database.defaultSchemaName}".audit_log_retain(keep interval, months_ahead integer DEFAULT 3)
    RETURNS TABLE (partition_name text, action text)
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    install_schema CONSTANT text := '${database.defaultSchemaName}';
    parent CONSTANT regclass := pg_catalog.format('%I.audit_log', install_schema)::pg_catalog.regclass;
    cutoff timestamptz;
    part record;
    removed bigint;
    -- Per audited table of one relation (a partition, or the default partition's old rows), the greatest
    -- (txid, id): a loose index scan finds the table names, then one descent of the feed index each.
    greatest_positions CONSTANT text := $q$
        WITH RECURSIVE names AS (
            SELECT (SELECT min(table_name) FROM %1$s WHERE %2$s) AS name
            UNION ALL
            SELECT (SELECT min(table_name) FROM %1$s WHERE table_name > n.name AND %2$s) FROM names n WHERE n.name IS NOT NULL
        )
        INSERT INTO %3$I.audit_log_retained AS r (table_name, txid, id, removed_before, retained_at)
        SELECT n.name, last.txid, last.id, $1, pg_catalog.now()
          FROM names n
         CROSS JOIN LATERAL (SELECT a.txid, a.id FROM %1$s a
                              WHERE a.table_name = n.name AND %2$s
                              ORDER BY a.txid DESC, a.id DESC LIMIT 1) last
         WHERE n.name IS NOT NULL
        ON CONFLICT (table_name) DO UPDATE
           SET txid = CASE WHEN (EXCLUDED.txid, EXCLUDED.id) > (r.txid, r.id) THEN EXCLUDED.txid ELSE r.txid END,
               id = CASE WHEN (EXCLUDED.txid, EXCLUDED.id) > (r.txid, r.id) THEN EXCLUDED.id ELSE r.id END,
               removed_before = greatest(r.removed_before, EXCLUDED.removed_before),
               retained_at = EXCLUDED.retained_at$q$;
BEGIN
    IF keep IS NULL OR keep < interval '1 day' THEN
        RAISE EXCEPTION 'keep must be at least one day, not %', keep;
    END IF;
    cutoff := pg_catalog.date_trunc('month', (pg_catalog.now() - keep) AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
    -- Dropping a partition locks audit_log exclusively anyway; taking that lock first, before any
    -- partition, keeps the order of locks the same as readers' and writers' (parent, then partition).
    -- They wait for the few index descents and drops, they do not fail.
    EXECUTE pg_catalog.format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE', parent);
    FOR part IN
        SELECT c.oid::pg_catalog.regclass AS relation, c.relname::text AS name,
               pg_catalog.substring(pg_catalog.pg_get_expr(c.relpartbound, c.oid), 'TO \(''([^'']*)''\)')::timestamptz AS upper_bound
          FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = parent AND pg_catalog.pg_get_expr(c.relpartbound, c.oid) <> 'DEFAULT'
         ORDER BY 3
    LOOP
        CONTINUE WHEN part.upper_bound > cutoff;
        EXECUTE pg_catalog.format(greatest_positions, part.relation, 'true', install_schema) USING part.upper_bound;
        EXECUTE pg_catalog.format('DROP TABLE %s', part.relation);
        partition_name := part.name;
        action := 'dropped';
        RETURN NEXT;
    END LOOP;
    EXECUTE pg_catalog.format(greatest_positions, pg_catalog.format('%I.audit_log_default', install_schema),
                              pg_catalog.format('tx_time < %L', cutoff), install_schema) USING cutoff;
    EXECUTE pg_catalog.format('DELETE FROM %I.audit_log_default WHERE tx_time < %L', install_schema, cutoff);
    GET DIAGNOSTICS removed = ROW_COUNT;
    -- Whatever was dropped above, nothing before the cutoff is left of any table.
    UPDATE "${database.defaultSchemaName}".audit_log_retained r SET removed_before = cutoff WHERE r.removed_before < cutoff;
    partition_name := 'audit_log_default';
    action := pg_catalog.format('deleted %s rows before %s', removed, cutoff);
    RETURN NEXT;
    FOR partition_name IN SELECT p FROM "${database.defaultSchemaName}".audit_log_add_partitions(months_ahead) AS p LOOP
        action := 'created';
        RETURN NEXT;
    END LOOP;
END
$$;
REVOKE ALL ON FUNCTION "${database.defaultSchemaName}".audit_log_retain(interval, integer) FROM PUBLIC;
