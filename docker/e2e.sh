#!/usr/bin/env bash
# Replays the walkthrough against a running service: create a task from request_sample.json, show the
# row with psql, mark it done, show it again. created_at stays, updated_at moves: both written by
# PostgreSQL, and the API answers with exactly the stored values.
#
#   BASE_URL=http://localhost:8080 \
#   QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/tasks QUARKUS_DATASOURCE_USERNAME=postgres \
#   docker/e2e.sh
#
# TASKS_TOKEN (a bearer token, scripts/mint-token.sh) goes on the writes; with it, the script also checks
# that a write without it is refused with 401 and that the history names the token's principal.
set -euo pipefail
cd "$(dirname "$0")/.."

base=${BASE_URL:-http://localhost:8080}
jdbc=${QUARKUS_DATASOURCE_JDBC_URL:?set QUARKUS_DATASOURCE_JDBC_URL to the service database}
# jdbc:postgresql://host:port/db -> postgresql://user@host:port/db for psql
psql_url="postgresql://${QUARKUS_DATASOURCE_USERNAME:-postgres}@${jdbc#jdbc:postgresql://}"
export PGPASSWORD=${QUARKUS_DATASOURCE_PASSWORD:-}
auth=()
[ -z "${TASKS_TOKEN:-}" ] || auth=(-H "Authorization: Bearer $TASKS_TOKEN")

show_row() {
  psql "$psql_url" -X -v ON_ERROR_STOP=1 -c \
    "SELECT id, title, done, created_at, updated_at, field_updated_at FROM tasks WHERE id = $1"
}

if [ -n "${TASKS_TOKEN:-}" ]; then
  echo "== POST /tasks without the token: 401"
  code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$base/tasks" -H 'Content-Type: application/json' \
    --data @request_sample.json)
  [ "$code" = 401 ] || { echo "FAIL: a write without a token answered $code" >&2; exit 1; }
fi

echo "== POST /tasks with request_sample.json"
created=$(curl -fsS -X POST "$base/tasks" "${auth[@]}" -H 'Content-Type: application/json' --data @request_sample.json)
echo "$created"
id=$(printf '%s' "$created" | sed -E 's/.*"id":([0-9]+).*/\1/')

echo "== the row in PostgreSQL"
show_row "$id"

sleep 1
echo "== POST /tasks/$id with done: true"
updated=$(curl -fsS -X POST "$base/tasks/$id" "${auth[@]}" -H 'Content-Type: application/json' \
  --data "$(sed 's/"done": false/"done": true/' request_sample.json)")
echo "$updated"

echo "== the row again: created_at unchanged, updated_at later"
show_row "$id"

field() { printf '%s' "$1" | sed -E "s/.*\"$2\":\"([^\"]+)\".*/\1/"; }
if [ "$(field "$created" createdAt)" != "$(field "$updated" createdAt)" ]; then
  echo "FAIL: createdAt changed" >&2; exit 1
fi
if [[ ! "$(field "$updated" updatedAt)" > "$(field "$created" updatedAt)" ]]; then
  echo "FAIL: updatedAt did not move forward" >&2; exit 1
fi
echo "OK: createdAt kept ($(field "$updated" createdAt)), updatedAt moved to $(field "$updated" updatedAt)"

echo "== GET /tasks/$id/history"
history=$(curl -fsS "$base/tasks/$id/history")
echo "$history"
if [ -n "${TASKS_TOKEN:-}" ]; then
  grep -q '"actor":"anonymous"' <<< "$history" && { echo "FAIL: a write with a token recorded as anonymous" >&2; exit 1; }
  echo "OK: the history names the token's principal: $(sed -E 's/.*"actor":"([^"]*)".*/\1/' <<< "$history")"
fi
