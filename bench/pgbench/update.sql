-- POST and PATCH /tasks/{id} as the service sends them: both run update-task.sql alone. pgbench cannot
-- bind SQL NULL, so both fields get a value here; a merge patch leaves one of them NULL, which coalesce()
-- turns into the stored value: the same statement, plan and row write.
\set id random(:min_id, :max_id)
\set title random(1, 1000000000)
\set done random(0, 1)
-- @include update-task
