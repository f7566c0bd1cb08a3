-- GET /tasks?size=50: Hibernate's first page, most recently updated first, one extra row to tell if more follow.
\set first 0
\set rows 51
select t1_0.id,t1_0.created_at,t1_0.done,t1_0.field_updated_at,t1_0.title,t1_0.updated_at from tasks t1_0 order by t1_0.updated_at desc,t1_0.id desc offset :first rows fetch first :rows rows only;
