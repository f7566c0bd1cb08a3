-- Whether the current transaction has already recorded a change of one row in the audit trail. The
-- generated BEFORE and audit functions ask it only when the stored updated_at equals the transaction
-- time, to tell two cases apart:
--   * this transaction changed the row before: the row keeps the transaction time (one time per
--     transaction, docs/design.md guarantee 3);
--   * another transaction, which started in the same microsecond, changed it and committed: the row
--     gets that time plus one microsecond, as when that transaction started later (guarantee 4). Two
--     committed states of a row never share an updated_at, so an ETag names one state.
-- SECURITY DEFINER, so that a writer without SELECT on audit_log can ask; it keeps PostgreSQL's default
-- EXECUTE for PUBLIC for the same reason (every writer of a tracked table runs the triggers that call it),
-- left as the default so that a dump restores it as it was. It answers only about the caller's own
-- transaction (pg_current_xact_id()), which the caller knows anyway.
CREATE OR REPLACE FUNCTION "${database.defaultSchemaName}".tracking_changed_in_transaction(
        row_schema text, row_table text, row_key text)
    RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT EXISTS (SELECT 1 FROM "${database.defaultSchemaName}".audit_log a
                    WHERE a.table_name = row_table AND a.row_id = row_key AND a.table_schema = row_schema
                      AND a.txid = pg_catalog.pg_current_xact_id())
$$;
