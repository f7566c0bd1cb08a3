-- PUT, POST /tasks/{id} and PATCH: one statement that writes and hands back what the triggers wrote.
-- A null parameter leaves its column as it is (merge-patch semantics).
UPDATE tasks
   SET title = coalesce(CAST(:title AS text), title),
       done  = coalesce(CAST(:done AS boolean), done)
 WHERE id = :id
RETURNING *
