-- POST /tasks: one statement, run on its own (autocommit). The FROM clause sets the audit context
-- before the row exists, so every trigger of this statement sees it; is_local = true ties the settings
-- to the statement's own implicit transaction, so they are gone when it ends. PostgreSQL neither pulls
-- up nor prunes a sub-select whose output calls a volatile function (set_config), so the call runs
-- even though no column of ctx is used. Hands back every column the triggers wrote.
INSERT INTO tasks (title, done)
SELECT CAST(:title AS text), CAST(:done AS boolean)
  FROM (SELECT set_config('app.actor', :actor, true) AS actor,
               set_config('app.request_id', :requestId, true) AS request_id) ctx
RETURNING tasks.*
