-- GET /tasks/{id}: one task by its id, as the service sends db/queries/read-task.sql on the reactive client.
\set id random(:min_id, :max_id)
-- @include read-task id
