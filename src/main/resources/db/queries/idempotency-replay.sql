-- A retry of POST /tasks with a key still in use: the stored key and the task as its first request
-- created it, rebuilt from that transaction's INSERT entry in audit_log (served by audit_log_row_idx),
-- so the answer is the original one even after the task changed or was deleted. Parameters: $1 actor,
-- $2 key, $3 SHA-256 of this request. No row: the key is gone (expired and cleaned up meanwhile).
-- original_found false: the INSERT entry is no longer in audit_log. field_updated_at as text: the answer
-- carries it as PostgreSQL wrote it.
SELECT k.request_hash = $3 AS same_request,
       k.expires_at > now() AS live,
       k.task_id,
       o.id IS NOT NULL AS original_found,
       o.title, o.done, o.created_at, o.updated_at, coalesce(o.field_updated_at, '{}')::text AS field_updated_at
  FROM idempotency_keys k
  LEFT JOIN LATERAL (
        SELECT r.id, r.title, r.done, r.created_at, r.updated_at, r.field_updated_at
          FROM audit_log a
         CROSS JOIN LATERAL jsonb_populate_record(NULL::tasks, a.new_row) r
         WHERE a.table_name = 'tasks' AND a.row_id = k.task_id::text
           AND a.operation = 'INSERT' AND a.txid = k.txid
         ORDER BY a.id
         LIMIT 1) o ON true
 WHERE k.actor = $1 AND k.idempotency_key = $2
