-- DELETE /tasks/{id} under If-Match, the version check inside the statement as in update-task-if-match.sql.
DELETE FROM tasks
 WHERE id = :id
   AND updated_at = ANY (CAST(CAST(:versions AS text) AS timestamptz[]))
RETURNING id
