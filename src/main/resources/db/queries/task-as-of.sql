-- GET /tasks/{id}?asOf=T: the task as it was at T, rebuilt from the audit trail. A change counts from its
-- entry time (tx_time: the row time the change gave the task, the time its history shows), so the state
-- at T is the row after the task's last change with tx_time <= T, in version order; a DELETE there means
-- the task did not exist at T. Parameters: $1 task id (text), $2 T. Served by audit_log_row_idx.
-- gone: retention has run and removed the start of this task's history (as in task-history.sql), so an
-- instant before what is left cannot be answered; an id with neither entry nor row never had a history.
SELECT e.operation, e.new_row,
       EXISTS (SELECT 1 FROM audit_log_retained r WHERE r.table_name = 'tasks')
       AND coalesce((SELECT f.operation FROM audit_log f WHERE f.table_name = 'tasks' AND f.row_id = $1
                      ORDER BY f.id LIMIT 1) <> 'INSERT',
                    EXISTS (SELECT 1 FROM tasks t WHERE t.id = CAST($1 AS bigint))) AS gone
  FROM (SELECT 1) one
  LEFT JOIN LATERAL (
        SELECT a.operation, a.new_row
          FROM audit_log a
         WHERE a.table_name = 'tasks' AND a.row_id = $1 AND a.tx_time <= $2
         ORDER BY a.id DESC
         LIMIT 1) e ON true
