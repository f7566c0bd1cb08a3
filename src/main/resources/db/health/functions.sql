-- Readiness: the installed functions of the current schema that the changelogs declare (parameter: names),
-- with a hash of the body PostgreSQL keeps verbatim, to compare with db/functions/*.sql.
SELECT p.proname AS name, p.pronargs AS arguments, md5(p.prosrc) AS body_md5
  FROM pg_proc p
  JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname = current_schema()
   AND p.proname = ANY (?)
