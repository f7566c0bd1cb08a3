#!/usr/bin/env bash
# Runs dev mode with authentication on, as the README and docs/operations.md describe it (a key pair from
# scripts/mint-token.sh, TASKS_AUTH_WRITES=jwt), then replays docker/e2e.sh through it with a token from
# that key, and checks that a token signed by another key is refused with 401. Stops dev mode on exit.
#
#   QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_DATASOURCE_PASSWORD=x \
#   QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/tasks_dev \
#   QUARKUS_DATASOURCE_REACTIVE_URL=postgresql://127.0.0.1:5432/tasks_dev scripts/dev-mode-check.sh
#
# Without the four variables dev mode starts a database of its own (Dev Services) and e2e.sh cannot read
# it, so they are required here.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${QUARKUS_DATASOURCE_JDBC_URL:?set the four QUARKUS_DATASOURCE_* variables to a database for dev mode}"
: "${QUARKUS_DATASOURCE_REACTIVE_URL:?set the four QUARKUS_DATASOURCE_* variables to a database for dev mode}"

# shellcheck source=lib/free-port.sh
source scripts/lib/free-port.sh

keys=$(mktemp -d /tmp/tasks-dev-jwt.XXXXXX)
log=$keys/dev.log
dev_pid=""
stop() {
  # quarkus:dev forks the application's JVM: stop the whole process group started below.
  if [ -n "$dev_pid" ]; then
    kill -- "-$dev_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$dev_pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 -- "-$dev_pid" 2>/dev/null || true
  fi
  rm -rf "$keys"
}
trap stop EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

scripts/mint-token.sh keys "$keys/dev" 2>/dev/null
scripts/mint-token.sh keys "$keys/other" 2>/dev/null
port=$(free_port)
mport=$(free_port)
issuer=tasks-dev

echo "== ./mvnw quarkus:dev with TASKS_AUTH_WRITES=jwt on port $port"
MP_JWT_VERIFY_PUBLICKEY_LOCATION="$keys/dev/public.pem" MP_JWT_VERIFY_ISSUER=$issuer TASKS_AUTH_WRITES=jwt \
  setsid ./mvnw -B -q quarkus:dev -Ddebug=false -Dquarkus.analytics.disabled=true \
  -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$port" \
  -Dquarkus.management.host=127.0.0.1 -Dquarkus.management.port="$mport" </dev/null >"$log" 2>&1 &
dev_pid=$!
for _ in $(seq 1 240); do
  curl -fs -m 2 -o /dev/null "http://127.0.0.1:$port/tasks?size=1" && break
  kill -0 "$dev_pid" 2>/dev/null || break
  sleep 1
done
if ! curl -fs -m 2 -o /dev/null "http://127.0.0.1:$port/tasks?size=1"; then
  tail -n 60 "$log" >&2
  echo "dev mode stopped, or did not answer within 240 s" >&2
  exit 1
fi

echo "== POST /tasks with a token signed by another key: 401"
other=$(scripts/mint-token.sh --key "$keys/other/private.pem" --issuer "$issuer" --upn mallory@example.com)
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$port/tasks" \
  -H "Authorization: Bearer $other" -H 'Content-Type: application/json' -d '{"title":"forged","done":false}')
[ "$code" = 401 ] || { echo "expected 401, got $code" >&2; exit 1; }

token=$(scripts/mint-token.sh --key "$keys/dev/private.pem" --issuer "$issuer" --upn dev@example.com)
BASE_URL="http://127.0.0.1:$port" TASKS_TOKEN=$token docker/e2e.sh
echo "== dev mode with authentication: passed"
