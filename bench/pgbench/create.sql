-- POST /tasks as the service sends it: its write transaction, statement for statement.
-- The INSERT is the one Hibernate generates for the Task entity (seen in pg_stat_statements).
\set title random(1, 1000000000)
\set done 0
BEGIN;
-- @include set-context
insert into tasks (done,title) values (:done,:title) returning id,created_at,field_updated_at,updated_at;
COMMIT;
