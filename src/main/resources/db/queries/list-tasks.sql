-- GET /tasks: one page, most recently updated first (tasks_updated_at_idx): $1 rows from $2.
-- field_updated_at as text: the answer carries it as PostgreSQL wrote it, with no decoding in the client.
SELECT id, title, done, created_at, updated_at, field_updated_at::text AS field_updated_at
  FROM tasks
 ORDER BY updated_at DESC, id DESC
 LIMIT $1 OFFSET $2
