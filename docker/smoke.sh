#!/usr/bin/env bash
# Smoke test of docker/compose.yaml while it runs: writes through the balancer reach both instances, the
# changelogs were applied once, by the migration step, and stopping one instance in the middle of a stream of writes loses no
# acknowledged write (every 201 answered is a row in the table). Leaves app-2 stopped; `down -v` after.
#
#   docker compose -f docker/compose.yaml up -d   (or up, in another terminal; this script waits for both)
#   BASE_URL=http://127.0.0.1:8080 docker/smoke.sh
#
# COMPOSE (default: docker compose -f docker/compose.yaml) selects the running project, e.g. with -p.
# TASKS_TOKEN: a bearer token for the writes, when the instances run with TASKS_AUTH_WRITES=jwt.
set -euo pipefail
cd "$(dirname "$0")/.."

base=${BASE_URL:-http://127.0.0.1:8080}
read -r -a compose <<< "${COMPOSE:-docker compose -f docker/compose.yaml}"
sql() { "${compose[@]}" exec -T db psql -U tasks -d tasks -XAtq -v ON_ERROR_STOP=1 -c "$1"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
auth=()
[ -z "${TASKS_TOKEN:-}" ] || auth=(-H "Authorization: Bearer $TASKS_TOKEN")

echo "== waiting (at most 180 s) until the balancer routes to both instances"
deadline=$((SECONDS + 180))
until [ "$(for _ in 1 2 3 4 5 6; do curl -s -o /dev/null -D - -m 2 "$base/tasks?size=1" | tr -d '\r' \
    | sed -n 's/^X-Served-By: //Ip'; done | sort -u | wc -l)" -ge 2 ]; do
  [ $SECONDS -lt $deadline ] || fail "both instances were not ready within 180 s"
  sleep 2
done

echo "== 20 creates through the balancer"
served=$(for i in $(seq 1 20); do
  curl -fsS -m 10 -o /dev/null -D - -X POST "$base/tasks" "${auth[@]}" -H 'Content-Type: application/json' \
    -d "{\"title\":\"smoke $i\",\"done\":false}" | tr -d '\r' | sed -n 's/^X-Served-By: //Ip'
done | sort | uniq -c)
echo "$served"
for instance in app-1 app-2; do
  grep -q " $instance\$" <<< "$served" || fail "no write served by $instance"
done
[ "$(sql "SELECT count(*) FROM tasks WHERE title LIKE 'smoke %'")" = 20 ] || fail "not 20 smoke rows in the table"

# Every Liquibase run leaves its deployment id, also on the changesets that run always (RERAN): one id, one run.
echo "== changelogs applied once, by one Liquibase run"
read -r total distinct runs <<< "$(sql "SELECT count(*), count(DISTINCT (id, author, filename)), count(DISTINCT deployment_id) FROM databasechangelog" | tr '|' ' ')"
[ "$total" -gt 0 ] && [ "$total" = "$distinct" ] && [ "$runs" = 1 ] \
  || fail "databasechangelog: $total rows, $distinct distinct changesets, $runs runs"
echo "$total changesets, one run"

echo "== by the migration step, which exited 0; the instances ran no Liquibase"
[ "$("${compose[@]}" ps -a --format '{{.ExitCode}}' migrate)" = 0 ] || fail "the migrate service did not exit 0"
for instance in app-1 app-2; do
  ! "${compose[@]}" logs "$instance" 2>&1 | grep -Eq '\[(liquibase|liq)\.' || fail "$instance ran Liquibase itself"
done

echo "== 300 creates (at most 60 s) while app-2 is stopped after the first 50"
acked=$(mktemp); statuses=$(mktemp); trap 'rm -f "$acked" "$statuses"' EXIT
writer() {
  local i code body deadline=$((SECONDS + 60))
  for i in $(seq 1 300); do
    [ $SECONDS -lt $deadline ] || break
    body=$(curl -s -m 5 -w '\n%{http_code}' -X POST "$base/tasks" "${auth[@]}" -H 'Content-Type: application/json' \
      -d "{\"title\":\"failover $i\",\"done\":false}") || body=$'\n000'
    code=${body##*$'\n'}
    echo "$code" >> "$statuses"
    if [ "$code" = 201 ]; then sed -E 's/.*"id":([0-9]+).*/\1/' <<< "${body%$'\n'*}" >> "$acked"; fi
  done
}
writer &
writer_pid=$!
until [ "$(wc -l < "$statuses")" -ge 50 ] || ! kill -0 "$writer_pid" 2>/dev/null; do sleep 0.1; done
"${compose[@]}" stop -t 10 app-2 >/dev/null
echo "app-2 stopped after $(wc -l < "$statuses") writes"
wait "$writer_pid"
echo "statuses: $(sort "$statuses" | uniq -c | tr -s ' ' | tr '\n' ',' | sed 's/,$//')"
acknowledged=$(wc -l < "$acked")
[ "$acknowledged" -ge 250 ] || fail "only $acknowledged of 300 writes acknowledged"
stored=$(sql "SELECT count(*) FROM tasks WHERE id IN ($(paste -sd, "$acked"))")
[ "$stored" = "$acknowledged" ] || fail "$acknowledged writes acknowledged, $stored of them stored"
echo "OK: $acknowledged acknowledged writes, all $stored stored"
