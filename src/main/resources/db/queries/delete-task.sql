-- DELETE /tasks/{id}, with the same optional If-Match versions as update-task.sql.
DELETE FROM tasks
 WHERE id = :id
   AND (CAST(:versions AS text) IS NULL
        OR updated_at = ANY (CAST(CAST(:versions AS text) AS timestamptz[])))
RETURNING id
