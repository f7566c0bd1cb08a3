-- Whether a task row exists now. Parameter: $1 task id.
SELECT EXISTS (SELECT 1 FROM tasks WHERE id = $1)
