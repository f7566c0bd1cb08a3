#!/usr/bin/env bash
# What the tracking triggers cost an UPDATE, in CPU per row against the same UPDATE with no trigger,
# measured on scratch tables in a database where the changelogs are applied (the tracking functions
# must exist). Bounded: about 2 minutes. Leaves nothing behind.
#   bench/trigger-cost.sh postgresql://postgres@127.0.0.1:5432/somedb [ROUNDS] [SECONDS] [BULK_ROWS]
# Variants: none; timestamps alone (a table without field_updated_at); timestamps and per-field times;
# the full set (with the audit); the full set with the audit's old_row left out (what it would save).
# Single row: one client, no commit flush, pgbench, the statement the service sends. Bulk: one UPDATE
# of BULK_ROWS rows, from a vacuumed table. Rounds interleave the variants against machine noise.
set -euo pipefail
url=${1:?database URL}
rounds=${2:-3}
secs=${3:-5}
bulk=${4:-100000}
work=$(mktemp -d)
variants=(none timestamps fields all no_old_row)
sql() { timeout 600 psql -X -q -v ON_ERROR_STOP=1 "$url" "$@"; }
cleanup() {
  for v in "${variants[@]}"; do
    sql -c "DROP TABLE IF EXISTS tcost_row_$v, tcost_bulk_$v" \
      -c "DROP FUNCTION IF EXISTS tcost_row_${v}_tracking_before(), tcost_row_${v}_tracking_audit(), tcost_bulk_${v}_tracking_before(), tcost_bulk_${v}_tracking_audit()" \
      >/dev/null 2>&1 || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

for v in "${variants[@]}"; do
  for kind in row bulk; do
    n=$([[ $kind == row ]] && echo 10000 || echo "$bulk")
    sql <<SQL
CREATE TABLE tcost_${kind}_$v (LIKE tasks INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING INDEXES);
$([[ $v == timestamps ]] && echo "ALTER TABLE tcost_${kind}_$v DROP COLUMN field_updated_at;")
INSERT INTO tcost_${kind}_$v (title, done) SELECT 'task ' || g, g % 2 = 0 FROM generate_series(1, $n) g;
$([[ $v != none ]] && echo "SELECT enable_timestamps('tcost_${kind}_$v');")
$([[ $v == all || $v == no_old_row ]] && echo "SELECT enable_audit('tcost_${kind}_$v');")
VACUUM ANALYZE tcost_${kind}_$v;
SQL
    if [[ $v == no_old_row ]]; then
      # The same generated function, with the UPDATE entry's old_row left out (the previous entry holds it).
      sql -At -c "SELECT pg_get_functiondef('tcost_${kind}_${v}_tracking_audit'::regproc)" |
        sed "s/'UPDATE', pg_catalog.to_jsonb(OLD), pg_catalog.to_jsonb(NEW)/'UPDATE', NULL, pg_catalog.to_jsonb(NEW)/" >"$work/f.sql"
      grep -q "'UPDATE', NULL, pg_catalog.to_jsonb(NEW)" "$work/f.sql"
      sql -f "$work/f.sql" >/dev/null
    fi
  done
  printf '%s\n' '\set id random(1, 10000)' '\set title random(1, 1000000000)' \
    "UPDATE tcost_row_$v SET title = CAST(:title AS text) WHERE id = :id;" >"$work/$v.sql"
done

declare -A row=() bulkms=()
for ((r = 1; r <= rounds; r++)); do
  for v in "${variants[@]}"; do
    tps=$(PGOPTIONS="-c synchronous_commit=off -c app.actor=bench -c app.request_id=bench" \
      timeout $((secs + 60)) pgbench -n -M prepared -c 1 -T "$secs" -f "$work/$v.sql" "$url" 2>&1 |
      sed -n 's/^tps = \([0-9.]*\) (without.*/\1/p')
    row[$v]+="$tps "
    sql -c "VACUUM tcost_bulk_$v"
    ms=$(printf '%s\n' '\timing on' "UPDATE tcost_bulk_$v SET done = NOT done;" |
      PGOPTIONS="-c synchronous_commit=off -c app.actor=bench -c app.request_id=bench -c statement_timeout=300s" \
        sql | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p')
    bulkms[$v]+="$ms "
  done
done
median() { printf '%s\n' $1 | sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
base_us=$(awk -v t="$(median "${row[none]}")" 'BEGIN {print 1e6 / t}')
base_ms=$(median "${bulkms[none]}")
printf '| variant | single-row µs/update | × bare | %s-row UPDATE ms | µs/row | × bare |\n|---|---|---|---|---|---|\n' "$bulk"
for v in "${variants[@]}"; do
  us=$(awk -v t="$(median "${row[$v]}")" 'BEGIN {print 1e6 / t}')
  ms=$(median "${bulkms[$v]}")
  awk -v v="$v" -v us="$us" -v bu="$base_us" -v ms="$ms" -v bm="$base_ms" -v n="$bulk" \
    'BEGIN {printf "| %s | %.1f | %.2f | %.0f | %.2f | %.2f |\n", v, us, us / bu, ms, ms * 1000 / n, ms / bm}'
done
