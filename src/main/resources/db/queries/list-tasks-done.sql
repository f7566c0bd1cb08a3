-- GET /tasks?done=true|false: the same page, only tasks whose done is $3.
SELECT id, title, done, created_at, updated_at, field_updated_at::text AS field_updated_at
  FROM tasks
 WHERE done = $3
 ORDER BY updated_at DESC, id DESC
 LIMIT $1 OFFSET $2
