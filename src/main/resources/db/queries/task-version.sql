-- Read only when a revert wrote nothing, to say why. Parameters: $1 task id (text), $2 version.
-- operation: of that version when it is an entry of this task (null otherwise).
SELECT (SELECT a.operation FROM audit_log a
         WHERE a.table_name = 'tasks' AND a.row_id = $1 AND a.id = $2) AS operation
