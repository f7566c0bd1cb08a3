-- GET /tasks/changes?limit=100 without a cursor, as the service sends db/queries/task-changes.sql on the
-- reactive client ($1 cursor txid as text, $2 cursor id, $3 limit).
\set txid 0
\set after 0
\set rows 100
-- @include task-changes txid after rows
