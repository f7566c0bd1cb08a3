-- Readiness: every recorded or live tracking function and trigger, with what is wrong with it (problem
-- null when it matches the record), then every tracked table whose generated functions no longer match
-- its columns, with the call that fixes it. {schema} is the Liquibase default schema with a dot, or empty.
SELECT object, problem FROM {schema}tracking_check()
UNION ALL
SELECT 'table ' || table_name::text, problem || '; fix: ' || fix FROM {schema}tracking_drift()
