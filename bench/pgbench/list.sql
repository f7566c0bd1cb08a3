-- GET /tasks?size=50: the first page, most recently updated first, one extra row to tell if more follow.
\set offset 0
\set limit 51
-- @include list-tasks
