-- DELETE /tasks/{id} without If-Match: one statement, run on its own, with the audit context set in
-- the USING clause as in insert-task.sql. The row count tells whether a task was deleted.
DELETE FROM tasks
 USING (SELECT set_config('app.actor', :actor, true) AS actor,
               set_config('app.request_id', :requestId, true) AS request_id) ctx
 WHERE tasks.id = :id
