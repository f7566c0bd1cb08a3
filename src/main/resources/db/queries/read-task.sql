-- GET /tasks/{id}: one task by its primary key, $1. Columns as in list-tasks.sql.
SELECT id, title, done, created_at, updated_at, field_updated_at::text AS field_updated_at
  FROM tasks
 WHERE id = $1
