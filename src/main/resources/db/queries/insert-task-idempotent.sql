-- POST /tasks with an Idempotency-Key: one statement, run on its own (autocommit), like insert-task.sql.
-- claim inserts the key row, or takes over an expired one; for a key that is still valid it yields no
-- row, so no task is inserted and the statement answers nothing (the caller then reads the stored key,
-- idempotency-replay.sql). A concurrent request with the same key waits on the key's unique index
-- until the first commits, then sees the conflict: exactly one task per key. The task id is drawn
-- before the task row exists so that the key row can name it. The audit context is set in claim's
-- FROM clause: the task insert reads claim's rows, so its triggers fire after set_config ran.
-- :requestHash is the SHA-256 of the canonical request (IdempotencyKeys.fingerprint), :ttlMillis the
-- key's lifetime (tasks.idempotency.ttl).
WITH claim AS (
    INSERT INTO idempotency_keys AS k (actor, idempotency_key, request_hash, task_id, txid, created_at, expires_at)
    SELECT CAST(:actor AS text), CAST(:key AS text), CAST(:requestHash AS bytea),
           nextval(pg_get_serial_sequence('tasks', 'id')), pg_current_xact_id(), now(),
           now() + CAST(:ttlMillis AS bigint) * interval '1 millisecond'
      FROM (SELECT set_config('app.actor', :actor, true) AS actor,
                   set_config('app.request_id', :requestId, true) AS request_id) ctx
    ON CONFLICT (actor, idempotency_key) DO UPDATE
       SET request_hash = excluded.request_hash, task_id = excluded.task_id, txid = excluded.txid,
           created_at = excluded.created_at, expires_at = excluded.expires_at
     WHERE k.expires_at <= now()
    RETURNING k.task_id
)
INSERT INTO tasks (id, title, done)
SELECT claim.task_id, CAST(:title AS text), CAST(:done AS boolean)
  FROM claim
RETURNING tasks.*
