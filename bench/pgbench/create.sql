-- POST /tasks as the service sends it: one statement, no transaction around it (insert-task.sql).
\set title random(1, 1000000000)
\set done 0
-- @include insert-task
