-- Read when a history page is empty. Parameter: $1 task id. known: the task row exists now, or the id
-- has entries (a deleted task's history stays).
-- gone: retention has run and removed the start of this task's history, as in task-history.sql; a
-- task that exists but has no entry left counts as removed, an id with neither row nor entry does not.
WITH trail AS (
    SELECT EXISTS (SELECT 1 FROM tasks WHERE id = CAST($1 AS bigint)) AS task_exists,
           EXISTS (SELECT 1 FROM audit_log_retained r WHERE r.table_name = 'tasks') AS retention_ran,
           (SELECT f.operation FROM audit_log f WHERE f.table_name = 'tasks' AND f.row_id = CAST($1 AS bigint)::text
             ORDER BY f.id LIMIT 1) AS first_operation)
SELECT task_exists OR first_operation IS NOT NULL AS known,
       retention_ran AND coalesce(first_operation <> 'INSERT', task_exists) AS gone
  FROM trail
