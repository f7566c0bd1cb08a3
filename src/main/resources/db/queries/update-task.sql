-- PUT, POST /tasks/{id} and PATCH without If-Match: one statement that writes and hands back what
-- the triggers wrote. A null :title or :done leaves its column as it is (merge-patch semantics).
UPDATE tasks
   SET title = coalesce(CAST(:title AS text), title),
       done  = coalesce(CAST(:done AS boolean), done)
 WHERE id = :id
RETURNING *
