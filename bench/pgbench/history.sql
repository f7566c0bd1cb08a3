-- GET /tasks/{id}/history: the first page of one task's audit entries, as the service sends
-- db/queries/task-history.sql on the reactive client ($1 id as text, $2 limit = size + 1, $3 offset).
\set id random(:min_id, :max_id)
\set rows 51
\set first 0
SELECT id, operation, tx_time, txid::text AS txid, db_user, actor, request_id, changes
  FROM audit_log
 WHERE table_name = 'tasks' AND row_id = :id
 ORDER BY id
 LIMIT :rows OFFSET :first;
