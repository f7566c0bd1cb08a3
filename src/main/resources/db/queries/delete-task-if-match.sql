-- DELETE /tasks/{id} under If-Match, the version check inside the statement as in update-task-if-match.sql.
DELETE FROM tasks
 USING (SELECT set_config('app.actor', :actor, true) AS actor,
               set_config('app.request_id', :requestId, true) AS request_id) ctx
 WHERE tasks.id = :id
   AND tasks.updated_at = ANY (CAST(CAST(:versions AS text) AS timestamptz[]))
