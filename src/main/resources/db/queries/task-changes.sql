-- Change feed of tasks, in (txid, id) order, after the cursor ($1 txid as text, $2 audit id), at most
-- $3 entries. Only transactions older than the snapshot's xmin are read: every one of them has ended,
-- so no entry can later appear before the returned position. Always one row, with the horizon, even
-- when no entry is ready (its entry columns are then null). Served by audit_log_feed_idx.
WITH horizon AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin)
SELECT h.xmin::text AS horizon, c.id, c.row_id, c.operation, c.tx_time, c.txid::text AS txid, c.actor, c.changes
  FROM horizon h
  LEFT JOIN LATERAL (
        SELECT a.id, a.row_id, a.operation, a.tx_time, a.txid, a.actor, a.changes
          FROM audit_log a
         WHERE a.table_name = 'tasks'
           AND (a.txid, a.id) > (CAST(CAST($1 AS text) AS xid8), $2)
           AND a.txid < h.xmin
         ORDER BY a.txid, a.id
         LIMIT $3) c ON true
 ORDER BY c.txid, c.id
