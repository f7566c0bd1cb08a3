-- Readiness: a fingerprint of Liquibase's history table ({table} is its configured name). While it does
-- not change, neither does the list of pending changesets, so Liquibase need not parse the changelogs again.
SELECT count(*) AS applied,
       md5(coalesce(string_agg(id || '|' || author || '|' || filename || '|' || coalesce(md5sum, ''), ','
                               ORDER BY id, author, filename), '')) AS fingerprint
  FROM {table}
