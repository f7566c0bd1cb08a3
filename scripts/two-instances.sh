#!/usr/bin/env bash
# Starts two instances of the packaged service at the same moment on one new, empty database and shows
# that the changelogs are applied exactly once (a PostgreSQL advisory lock, SerializedMigrationLockService,
# then DATABASECHANGELOGLOCK, makes the second instance wait)
# and that both instances then serve requests. Cleans up after itself; every wait is bounded.
#
#   scripts/two-instances.sh            # builds target/quarkus-app if it is missing
#
# Environment: PGHOST (127.0.0.1), PGPORT (5432), PGUSER (postgres), PGPASSWORD (unused with trust auth),
# DB_PREFIX (tasks_two: the database is <prefix>_<time>_<pid>), TIMEOUT (180 seconds for both to be ready).
set -euo pipefail
cd "$(dirname "$0")/.."

export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
DB_PREFIX=${DB_PREFIX:-tasks_two}
TIMEOUT=${TIMEOUT:-180}
jar=target/quarkus-app/quarkus-run.jar

if [[ ! -f $jar ]]; then
  echo "== building $jar"
  ./mvnw -B -q package -DskipTests
fi

# shellcheck source=lib/free-port.sh
source scripts/lib/free-port.sh

db="${DB_PREFIX}_$(date +%s)_$$"
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  psql -d postgres -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

psql -v ON_ERROR_STOP=1 -d postgres -qc "CREATE DATABASE $db"
echo "== empty database $db"

export QUARKUS_HTTP_HOST=127.0.0.1
export QUARKUS_DATASOURCE_USERNAME="$PGUSER" QUARKUS_DATASOURCE_PASSWORD="${PGPASSWORD:-unused}"
export QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PGHOST:$PGPORT/$db"
export QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://$PGHOST:$PGPORT/$db"

export QUARKUS_MANAGEMENT_HOST=127.0.0.1
# Both instances are only read from here: they need no token verification key.
export TASKS_AUTH_WRITES=${TASKS_AUTH_WRITES:-none}
ports=("$(free_port)" "$(free_port)")
# Health and metrics live on the management interface: each instance needs its own port for it too.
mports=("$(free_port)" "$(free_port)")
for i in 0 1; do
  QUARKUS_HTTP_PORT=${ports[$i]} QUARKUS_MANAGEMENT_PORT=${mports[$i]} java -jar "$jar" >"$work/instance-$i.log" 2>&1 &
  pids+=("$!")
done
echo "== started instance 0 (pid ${pids[0]}, port ${ports[0]}) and instance 1 (pid ${pids[1]}, port ${ports[1]})"

deadline=$((SECONDS + TIMEOUT))
for i in 0 1; do
  until [[ $(curl -s -o /dev/null -w '%{http_code}' -m 5 "http://127.0.0.1:${mports[$i]}/q/health/ready" || true) == 200 ]]; do
    if ! kill -0 "${pids[$i]}" 2>/dev/null; then
      echo "!! instance $i exited before it was ready:"; tail -n 40 "$work/instance-$i.log"; exit 1
    fi
    if ((SECONDS > deadline)); then
      echo "!! instance $i not ready after ${TIMEOUT}s:"; tail -n 40 "$work/instance-$i.log"; exit 1
    fi
    sleep 1
  done
  echo "== instance $i ready"
done

for i in 0 1; do
  code=$(curl -s -o "$work/tasks-$i.json" -w '%{http_code}' -m 10 "http://127.0.0.1:${ports[$i]}/tasks")
  echo "== GET /tasks on instance $i: $code $(head -c 120 "$work/tasks-$i.json")"
  [[ $code == 200 ]] || exit 1
done

echo "== what each instance's Liquibase did"
for i in 0 1; do
  grep -E "acquired change log lock|Waiting for changelog lock|Another instance created|^Run: |Previously run: " \
    "$work/instance-$i.log" | sed -E "s/^.*\] \([^)]*\) //; s/^/   instance $i: /" | sort -u || true
done

# The runAlways recording changeset runs again in the second run (RERAN): count the runs that applied changesets.
read -r rows distinct deployments < <(psql -d "$db" -At -F ' ' -c \
  "SELECT count(*), count(DISTINCT (id, author, filename)), count(DISTINCT deployment_id) FILTER (WHERE exectype = 'EXECUTED') FROM databasechangelog")
locked=$(psql -d "$db" -At -c "SELECT locked FROM databasechangeloglock WHERE id = 1")
echo "== DATABASECHANGELOG: $rows rows, $distinct distinct changesets, applied by $deployments Liquibase run(s); lock held: $locked"
if [[ $rows -eq 0 || $rows -ne $distinct || $deployments -ne 1 || $locked != f ]]; then
  echo "!! each changeset should appear exactly once, applied by one instance, with the lock released"
  psql -d "$db" -c "SELECT id, author, filename, deployment_id, orderexecuted FROM databasechangelog ORDER BY orderexecuted"
  exit 1
fi
echo "== OK: every changeset applied exactly once and both instances serve"
