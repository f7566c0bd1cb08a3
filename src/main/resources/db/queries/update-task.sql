-- PUT, POST /tasks/{id} and PATCH without a precondition: one statement, run on its own, that sets the audit
-- context (as in insert-task.sql), writes, and hands back what the triggers wrote. A null :title or
-- :done leaves its column as it is (merge-patch semantics). The BEFORE triggers fire on the joined row,
-- after ctx has been computed.
UPDATE tasks
   SET title = coalesce(CAST(:title AS text), title),
       done  = coalesce(CAST(:done AS boolean), done)
  FROM (SELECT set_config('app.actor', :actor, true) AS actor,
               set_config('app.request_id', :requestId, true) AS request_id) ctx
 WHERE tasks.id = :id
RETURNING tasks.*
