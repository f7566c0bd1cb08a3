-- PUT, POST /tasks/{id} and PATCH: one statement that checks the version, writes, and hands back what
-- the triggers wrote. A null :title or :done leaves its column as it is (merge-patch semantics).
-- :versions is null for an unconditional write, else the If-Match versions as a timestamptz[] literal:
-- the check and the write are one statement, so no concurrent write can slip in between.
UPDATE tasks
   SET title = coalesce(CAST(:title AS text), title),
       done  = coalesce(CAST(:done AS boolean), done)
 WHERE id = :id
   AND (CAST(:versions AS text) IS NULL
        OR updated_at = ANY (CAST(CAST(:versions AS text) AS timestamptz[])))
RETURNING *
