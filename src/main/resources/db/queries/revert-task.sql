-- POST /tasks/{id}/revert: sets the task's fields back to their values at a version (an audit entry of
-- this task that left a row), as one ordinary write under If-Match (:versions, as in
-- update-task-if-match.sql; null for If-Match: *) and If-None-Match (:refused, likewise) with the audit
-- context of the request. The triggers treat it like any update:
-- only the fields that differ from the stored ones get a new per-field time, and nothing changes at all
-- when none differs. Emits no row when the version is not this task's, left no row, or the task is gone
-- or stale.
UPDATE tasks
   SET title = v.new_row ->> 'title',
       done  = CAST(v.new_row ->> 'done' AS boolean)
  FROM (SELECT set_config('app.actor', :actor, true) AS actor,
               set_config('app.request_id', :requestId, true) AS request_id) ctx,
       (SELECT a.new_row FROM audit_log a
         WHERE a.table_name = 'tasks' AND a.row_id = CAST(CAST(:id AS bigint) AS text) AND a.id = :version
           AND a.new_row IS NOT NULL) v
 WHERE tasks.id = CAST(:id AS bigint)
   AND (CAST(:versions AS text) IS NULL OR tasks.updated_at = ANY (CAST(CAST(:versions AS text) AS timestamptz[])))
   AND (CAST(:refused AS text) IS NULL OR tasks.updated_at <> ALL (CAST(CAST(:refused AS text) AS timestamptz[])))
RETURNING tasks.*
