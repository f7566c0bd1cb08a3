-- GET /tasks/{id}/history: the first page of one task's audit entries, as the service sends
-- db/queries/task-history.sql on the reactive client ($1 id as text, $2 limit = size + 1, $3 offset).
\set id random(:min_id, :max_id)
\set rows 51
\set first 0
-- @include task-history id rows first
