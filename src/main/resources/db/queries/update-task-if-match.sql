-- The same write under a precondition: If-Match (:versions, the accepted versions as a timestamptz[]
-- literal; the empty array for If-None-Match: *) or, without it, If-Unmodified-Since (:before, the date
-- plus one second: only a row last modified at or before the date); and If-None-Match (:refused, the
-- versions it names). What was not sent is null. The check and the write are one statement, so no
-- concurrent write can slip in between: PostgreSQL re-checks updated_at on the row version a concurrent
-- writer left.
UPDATE tasks
   SET title = coalesce(CAST(:title AS text), title),
       done  = coalesce(CAST(:done AS boolean), done)
  FROM (SELECT set_config('app.actor', :actor, true) AS actor,
               set_config('app.request_id', :requestId, true) AS request_id) ctx
 WHERE tasks.id = :id
   AND (CAST(:versions AS text) IS NULL OR tasks.updated_at = ANY (CAST(CAST(:versions AS text) AS timestamptz[])))
   AND (CAST(:before AS text) IS NULL OR tasks.updated_at < CAST(CAST(:before AS text) AS timestamptz))
   AND (CAST(:refused AS text) IS NULL OR tasks.updated_at <> ALL (CAST(CAST(:refused AS text) AS timestamptz[])))
RETURNING tasks.*
