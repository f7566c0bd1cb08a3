-- Change feed of tasks, in (txid, id) order, after the cursor ($1 txid as text, $2 audit id), at most
-- $3 entries. Only transactions older than the snapshot's xmin are read: every one of them has ended,
-- so no entry can later appear before the returned position. Always one row, with the horizon, even
-- when no entry is ready (its entry columns are then null). Served by audit_log_feed_idx. The row_*
-- columns are the row after the change, taken out of new_row (null for a delete); its times stay text as
-- stored, with the writer's offset. The audit id is the entry's per-task version. changes and the row's
-- field_updated_at as text: they go into the answer as PostgreSQL wrote them, with no decoding in the client.
-- held: committed entries wait beyond the horizon (a change stream then reads again soon).
-- gone: retention removed entries after the cursor (audit_log_retained), so the feed would have a gap;
-- retained: the lowest cursor still served, for the 410 answer. All in the same snapshot as the entries.
WITH horizon AS (SELECT x.xmin,
                        EXISTS (SELECT 1 FROM audit_log w WHERE w.table_name = 'tasks' AND w.txid >= x.xmin) AS held,
                        r.txid::text AS retained_txid, r.id AS retained_id,
                        coalesce((CAST(CAST($1 AS text) AS xid8), $2) < (r.txid, r.id), false) AS gone
                   FROM (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin) x
                   LEFT JOIN audit_log_retained r ON r.table_name = 'tasks')
SELECT h.xmin::text AS horizon, h.held, h.gone, h.retained_txid, h.retained_id, c.id, c.row_id, c.operation, c.tx_time,
       c.txid::text AS txid, c.actor, c.changes::text AS changes,
       (c.new_row->>'id')::bigint AS row_task_id, c.new_row->>'title' AS row_title,
       (c.new_row->>'done')::boolean AS row_done, c.new_row->>'created_at' AS row_created_at,
       c.new_row->>'updated_at' AS row_updated_at, coalesce(c.new_row->'field_updated_at', '{}')::text AS row_field_updated_at
  FROM horizon h
  LEFT JOIN LATERAL (
        SELECT a.id, a.row_id, a.operation, a.tx_time, a.txid, a.actor, a.changes, a.new_row
          FROM audit_log a
         WHERE a.table_name = 'tasks'
           AND (a.txid, a.id) > (CAST(CAST($1 AS text) AS xid8), $2)
           AND a.txid < h.xmin
           AND NOT h.gone
         ORDER BY a.txid, a.id
         LIMIT $3) c ON true
 ORDER BY c.txid, c.id
