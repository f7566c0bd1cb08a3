-- Readiness: for each table the changelogs attach tracking triggers to (parameter: table names), its
-- qualified name and primary key, and each of its triggers with definition and enabled state
-- (tgenabled 'O' = fires in normal operation, 'D' = disabled).
SELECT c.relname AS table_name,
       quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS qualified,
       (SELECT string_agg(a.attname, ',' ORDER BY k.ord)
          FROM pg_index i
         CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
          JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
         WHERE i.indrelid = c.oid AND i.indisprimary) AS primary_key,
       t.tgname AS trigger_name,
       t.tgenabled AS enabled,
       pg_get_triggerdef(t.oid) AS definition
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_trigger t ON t.tgrelid = c.oid AND NOT t.tgisinternal
 WHERE n.nspname = current_schema()
   AND c.relkind IN ('r', 'p')
   AND c.relname = ANY (?)
