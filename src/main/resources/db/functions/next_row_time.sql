-- The time a row changed by the current transaction gets: the transaction time, or the stored time
-- plus one microsecond when the transaction time would not move it forward (the transaction started
-- before a concurrent change to the row committed). The generated tracking functions write this very
-- expression inline (see tracking_generate()), for updated_at, the per-field times and the audit
-- entry's time of one change alike; this function states the rule for anyone else who needs it. The
-- generated functions add one case it cannot see: a stored time equal to now() that another transaction,
-- started in the same microsecond, wrote also gets plus one microsecond (tracking_changed_in_transaction()
-- tells it from this transaction's own earlier change).
CREATE OR REPLACE FUNCTION next_row_time(previous timestamptz) RETURNS timestamptz
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE WHEN previous IS NULL OR previous <= pg_catalog.now() THEN pg_catalog.now()
                ELSE previous + '00:00:00.000001'::pg_catalog.interval END
$$;
REVOKE ALL ON FUNCTION next_row_time(timestamptz) FROM PUBLIC;
