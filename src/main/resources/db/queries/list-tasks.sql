-- GET /tasks: one page, most recently updated first (tasks_updated_at_idx), :limit rows from :offset.
SELECT *
  FROM tasks
 ORDER BY updated_at DESC, id DESC
 LIMIT :limit OFFSET :offset
