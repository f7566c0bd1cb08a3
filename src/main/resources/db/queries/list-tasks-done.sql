-- GET /tasks?done=true|false: the same page, only tasks whose done is :done.
SELECT *
  FROM tasks
 WHERE done = :done
 ORDER BY updated_at DESC, id DESC
 LIMIT :limit OFFSET :offset
