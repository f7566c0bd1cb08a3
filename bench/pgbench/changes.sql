-- GET /tasks/changes?limit=100 without a cursor, as the service sends db/queries/task-changes.sql on the
-- reactive client ($1 cursor txid as text, $2 cursor id, $3 limit).
\set txid 0
\set after 0
\set rows 100
WITH horizon AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin)
SELECT h.xmin::text AS horizon, c.id, c.row_id, c.operation, c.tx_time, c.txid::text AS txid, c.actor, c.changes
  FROM horizon h
  LEFT JOIN LATERAL (
        SELECT a.id, a.row_id, a.operation, a.tx_time, a.txid, a.actor, a.changes
          FROM audit_log a
         WHERE a.table_name = 'tasks'
           AND (a.txid, a.id) > (CAST(CAST(:txid AS text) AS xid8), :after)
           AND a.txid < h.xmin
         ORDER BY a.txid, a.id
         LIMIT :rows) c ON true
 ORDER BY c.txid, c.id;
