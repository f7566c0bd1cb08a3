-- DELETE /tasks/{id} without If-Match.
DELETE FROM tasks WHERE id = :id RETURNING id
