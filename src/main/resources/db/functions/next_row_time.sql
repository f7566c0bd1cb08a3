-- The time a row changed by the current transaction gets: the transaction time, or the stored time
-- plus one microsecond when the transaction time would not move it forward (the transaction started
-- before a concurrent change to the row committed). Shared by the tracking triggers so that updated_at
-- and the per-field times of one change are always equal. Plain SQL, so the planner inlines it.
CREATE OR REPLACE FUNCTION next_row_time(previous timestamptz) RETURNS timestamptz
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN previous IS NULL OR previous <= now() THEN now()
                ELSE previous + interval '1 microsecond' END
$$;
