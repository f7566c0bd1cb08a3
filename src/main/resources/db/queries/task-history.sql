-- History of one task, oldest first; served by audit_log_row_idx. Parameters: $1 task id (text),
-- $2 limit, $3 offset. Rows stay after the task is deleted.
SELECT id, operation, tx_time, txid::text AS txid, db_user, actor, request_id, changes
  FROM audit_log
 WHERE table_name = 'tasks' AND row_id = $1
 ORDER BY id
 LIMIT $2 OFFSET $3
