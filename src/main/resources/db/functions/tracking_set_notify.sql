-- Turns the change notification of an audited table on or off: its tracking_notify statement triggers
-- (NOTIFY audit_log at commit, which wakes the change streams) are enabled or disabled, and their new state
-- becomes the recorded one (tracking_record_table()), so readiness does not take the switch for drift.
-- PostgreSQL serializes the commits of notifying transactions (one lock, held through the commit's WAL
-- flush), which costs concurrent single-row writers up to half their rate (docs/operations.md). A
-- deployment that serves no change streams turns it off; streams still work then, reading the feed every
-- tasks.feed.stream.poll-interval. tracking_generate() keeps the choice when it regenerates the table's
-- tracking. The owner's alone, like the enable_* functions.
CREATE OR REPLACE FUNCTION tracking_set_notify(target regclass, notify boolean) RETURNS void
    LANGUAGE plpgsql
    SET search_path FROM CURRENT
AS $$
DECLARE
    install_schema CONSTANT text := pg_catalog.current_schema();
    state "char";
    trigger_row record;
BEGIN
    IF (SELECT c.relispartition FROM pg_catalog.pg_class c WHERE c.oid = target) THEN
        RAISE EXCEPTION 'table % is a partition: switch the notification of its partitioned table, %',
            target, pg_catalog.pg_partition_root(target);
    END IF;
    SELECT t.tgenabled INTO state FROM pg_catalog.pg_trigger t WHERE t.tgrelid = target AND t.tgname = 'tracking_notify';
    IF NOT FOUND THEN
        RAISE EXCEPTION 'table % is not audited: call enable_audit(%L) first', target, target::text;
    END IF;
    IF notify IS NULL THEN
        RAISE EXCEPTION 'notify must be true or false';
    END IF;
    -- Enabling leaves an ENABLE ALWAYS (or REPLICA) trigger as it is: only a disabled one changes. A
    -- partitioned table's partitions each have their own (statement triggers are not cloned).
    FOR trigger_row IN
        SELECT t.tgrelid::pg_catalog.regclass AS rel, t.tgenabled AS state
          FROM (SELECT target AS relid UNION SELECT p.relid FROM pg_catalog.pg_partition_tree(target) p) tree
          JOIN pg_catalog.pg_trigger t ON t.tgrelid = tree.relid AND t.tgname = 'tracking_notify'
    LOOP
        IF notify AND trigger_row.state = 'D' THEN
            EXECUTE pg_catalog.format('ALTER TABLE %s ENABLE TRIGGER tracking_notify', trigger_row.rel);
        ELSIF NOT notify AND trigger_row.state <> 'D' THEN
            EXECUTE pg_catalog.format('ALTER TABLE %s DISABLE TRIGGER tracking_notify', trigger_row.rel);
        END IF;
    END LOOP;
    IF pg_catalog.to_regclass(pg_catalog.quote_ident(install_schema) || '.tracking_installed') IS NOT NULL THEN
        IF pg_catalog.to_regprocedure(pg_catalog.quote_ident(install_schema) || '.tracking_record_table(regclass, text[])') IS NOT NULL THEN
            EXECUTE pg_catalog.format('SELECT %I.tracking_record_table($1, $2)', install_schema)
              USING target, ARRAY['tracking_notify'];
        ELSE
            EXECUTE pg_catalog.format('SELECT %I.tracking_record()', install_schema);
        END IF;
    END IF;
END
$$;
REVOKE ALL ON FUNCTION tracking_set_notify(regclass, boolean) FROM PUBLIC;
