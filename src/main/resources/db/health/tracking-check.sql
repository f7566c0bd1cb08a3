-- Readiness: every recorded or live tracking function and trigger, with what is wrong with it (problem
-- null when it matches the record), and every tracked table whose columns drifted from its generated
-- functions. {schema} is the Liquibase default schema with a dot, or empty.
SELECT object, problem FROM {schema}tracking_check()
