-- History of one task, oldest first; served by audit_log_row_idx. Parameters: $1 task id (text),
-- $2 limit, $3 offset. Rows stay after the task is deleted. changes as text: the answer carries it as
-- PostgreSQL wrote it, with no decoding in the client.
-- gone: retention has run and removed the start of this history (its oldest entry left is not the
-- INSERT), so no page of it can be numbered from its start: the page answers 410. Evaluated once.
SELECT id, operation, tx_time, txid::text AS txid, db_user, actor, request_id, changes::text AS changes,
       EXISTS (SELECT 1 FROM audit_log_retained r WHERE r.table_name = 'tasks')
       AND (SELECT f.operation FROM audit_log f WHERE f.table_name = 'tasks' AND f.row_id = $1
             ORDER BY f.id LIMIT 1) IS DISTINCT FROM 'INSERT' AS gone
  FROM audit_log
 WHERE table_name = 'tasks' AND row_id = $1
 ORDER BY id
 LIMIT $2 OFFSET $3
