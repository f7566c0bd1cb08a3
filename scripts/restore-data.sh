#!/usr/bin/env bash
# Loads a data-only dump of the tracked tables into a database the changelogs have migrated, keeping every
# created_at, updated_at, field_updated_at and audit row exactly as dumped (docs/database-roles.md, "Restore").
#
#   pg_dump --data-only --table=tasks --table='audit_log*' --load-via-partition-root --file=tasks-data.sql SOURCE_DB
#   PGDATABASE=TARGET_DB scripts/restore-data.sh tasks-data.sql
#
# Run it as the schema owner (or a superuser): it disables the user triggers of tasks and audit_log while
# the rows load, so the tracking triggers neither restamp the rows nor append audit entries. Everything runs
# in one transaction: ALTER TABLE holds an exclusive lock on both tables until COMMIT, so no other writer
# gets in while the triggers are off, and any error rolls everything back, trigger states included. Each
# trigger gets back its exact state (ENABLE, ENABLE ALWAYS, ENABLE REPLICA or DISABLE), which
# session_replication_role or pg_dump --disable-triggers would not give: the first does not stop an
# ENABLE ALWAYS trigger, the second re-enables every trigger as plain ENABLE. The dump's own setval()
# calls move the identity sequences past the restored ids. audit_log is partitioned by month: 'audit_log*'
# takes its partitions (and audit_log_retained, the retained bound), and --load-via-partition-root loads
# them through audit_log, so the target needs no partition of its own for them; rows of months the target
# has no partition for land in audit_log_default, and audit_log_add_partitions() then moves them into new
# partitions of their months, still in the same transaction.
#
# It refuses a dump whose audit trail holds transaction ids this cluster has not reached (a dump from
# another cluster, further along): the change feed's positions are transaction ids, so new writes would
# sort before the restored tail; its message gives the pg_resetwal -e that raises this cluster's epoch.
#
# Environment: the usual PG* variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE); SCHEMA (public),
# the schema the changelogs were applied to.
set -euo pipefail

if [[ $# -ne 1 || ! -r $1 ]]; then
  echo "usage: PGDATABASE=target $0 DATA_ONLY_DUMP.sql" >&2
  exit 2
fi
schema=${SCHEMA:-public}
if [[ ! $schema =~ ^[a-z_][a-z0-9_]*$ ]]; then
  echo "SCHEMA must be a plain lower-case identifier" >&2
  exit 2
fi
tables="{$schema.tasks,$schema.audit_log}"

psql -X -q --single-transaction -v ON_ERROR_STOP=1 --output=/dev/null \
  -c "DO \$\$
      BEGIN
          IF EXISTS (SELECT 1 FROM $schema.tasks) OR EXISTS (SELECT 1 FROM $schema.audit_log) THEN
              RAISE EXCEPTION 'tasks and audit_log must be empty: restore into a freshly migrated database';
          END IF;
      END
      \$\$" \
  -c "CREATE TEMP TABLE restore_trigger_states ON COMMIT DROP AS
        SELECT tgrelid::regclass AS table_name, tgname, tgenabled
          FROM pg_catalog.pg_trigger
         WHERE tgrelid = ANY ('$tables'::regclass[]) AND NOT tgisinternal" \
  -c "ALTER TABLE $schema.tasks DISABLE TRIGGER USER" \
  -c "ALTER TABLE $schema.audit_log DISABLE TRIGGER USER" \
  -f "$1" \
  -c "SELECT $schema.audit_log_add_partitions()" \
  -c "DO \$\$
      DECLARE
          newest pg_catalog.xid8 := (SELECT max(txid) FROM $schema.audit_log);
      BEGIN
          -- The change feed's positions are transaction ids: below the restored ones, new writes would
          -- never reach a consumer at the restored tail (docs/database-roles.md).
          IF newest >= pg_catalog.pg_current_xact_id() THEN
              RAISE EXCEPTION 'the dump''s audit trail holds transaction id % and this cluster is at %: the change feed would miss every new write. Stop this cluster, run pg_resetwal -e % on its data directory, start it and run the restore again (docs/database-roles.md)',
                  newest, pg_catalog.pg_current_xact_id(), floor(newest::text::numeric / 4294967296)::bigint + 1;
          END IF;
      END
      \$\$" \
  -c "DO \$\$
      DECLARE
          saved record;
      BEGIN
          FOR saved IN SELECT * FROM pg_temp.restore_trigger_states LOOP
              EXECUTE pg_catalog.format('ALTER TABLE %s %s TRIGGER %I', saved.table_name,
                             CASE saved.tgenabled WHEN 'O' THEN 'ENABLE' WHEN 'A' THEN 'ENABLE ALWAYS'
                                                  WHEN 'R' THEN 'ENABLE REPLICA' ELSE 'DISABLE' END,
                             saved.tgname);
          END LOOP;
      END
      \$\$"
echo "restored $1 into ${PGDATABASE:-the default database}; trigger states as before"
