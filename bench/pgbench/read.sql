-- GET /tasks/{id}: Hibernate's find by id, outside any transaction.
\set id random(:min_id, :max_id)
select t1_0.id,t1_0.created_at,t1_0.done,t1_0.field_updated_at,t1_0.title,t1_0.updated_at from tasks t1_0 where t1_0.id=:id;
