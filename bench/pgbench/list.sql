-- GET /tasks?size=50: the first page, most recently updated first, one extra row to tell if more follow.
\set limit 51
\set offset 0
-- @include list-tasks limit offset
