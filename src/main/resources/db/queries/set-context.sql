-- Application context for the audit trigger: transaction-local (is_local = true), gone at commit.
SELECT set_config('app.actor', :actor, true), set_config('app.request_id', :requestId, true)
