-- DELETE /tasks/{id} under If-Match or If-Unmodified-Since, and If-None-Match, the check inside the
-- statement as in update-task-if-match.sql.
DELETE FROM tasks
 USING (SELECT set_config('app.actor', :actor, true) AS actor,
               set_config('app.request_id', :requestId, true) AS request_id) ctx
 WHERE tasks.id = :id
   AND (CAST(:versions AS text) IS NULL OR tasks.updated_at = ANY (CAST(CAST(:versions AS text) AS timestamptz[])))
   AND (CAST(:before AS text) IS NULL OR tasks.updated_at < CAST(CAST(:before AS text) AS timestamptz))
   AND (CAST(:refused AS text) IS NULL OR tasks.updated_at <> ALL (CAST(CAST(:refused AS text) AS timestamptz[])))
