# shellcheck shell=bash
# Starting, timing and stopping the packaged service. Sourced by bench/run.

SERVICE_JAR=${BENCH_SERVICE_JAR:-target/quarkus-app/quarkus-run.jar}
# The JVM options recommended for production (docs/operations.md, "Configuration"): a small heap is
# plenty (about 30 MB stay live) with the serial collector on two cores, but with a young generation
# large enough to hold the pages in flight (64 MB, survivors of 11 MB each), or they are promoted and
# full collections follow; no collection for class metadata during the start; and the C library's heap,
# where the JIT compilers' freed memory stays, trimmed every 5 s.
DEFAULT_JAVA_OPTS="-Xms96m -Xmx128m -Xmn64m -XX:SurvivorRatio=4 -XX:MetaspaceSize=96m -XX:+UseSerialGC -XX:TrimNativeHeapInterval=5000"
# ... and the build's AppCDS archive, read relative to the jar's directory (service_start starts there).
# SERVICE_CDS=false leaves it out (the JDK 25 AOT run has a cache of its own).
CDS_OPTS="-XX:SharedArchiveFile=app-cds.jsa"

# Writes need a bearer token, as in production: a key pair made for this run (never committed) and one
# token with a long expiry, minted by scripts/mint-token.sh, which the write scenarios send (BENCH_TOKEN).
# SERVICE_AUTH_WRITES=none starts the service without authentication, to measure what it costs.
BENCH_ISSUER=tasks-bench
BENCH_ACTOR=bench@example.com

# service_auth_setup DIR: the key pair in DIR, the token in BENCH_TOKEN (exported for wrk's scripts).
service_auth_setup() {
  local mint
  mint="$(dirname "$BENCH_DIR")/scripts/mint-token.sh"
  "$mint" keys "$1" 2>/dev/null
  BENCH_KEY_DIR=$1
  BENCH_TOKEN=$("$mint" --key "$1/private.pem" --issuer "$BENCH_ISSUER" --upn "$BENCH_ACTOR" --ttl 86400)
  export BENCH_TOKEN
}

# service_start LOG LIMIT_SECONDS: launches the jar (SERVICE_JAVA and SERVICE_EXTRA_OPTS, when set, name
# another java and add options) against the benchmark database and waits until a
# real request (one that reaches PostgreSQL) answers. Sets SERVICE_PID and START_MS, the wall time from
# launch to that first answer. SERVICE_MIGRATE=false starts it as after a migration step (no Liquibase).
service_start() {
  local log=$1 limit=$2 t0 deadline java_opts=()
  read -r -a java_opts <<<"${BENCH_JAVA_OPTS-$DEFAULT_JAVA_OPTS}"
  if [[ ${SERVICE_CDS:-true} == true && -f "$(dirname "$SERVICE_JAR")/app-cds.jsa" ]]; then
    java_opts+=("$CDS_OPTS")
  fi
  [[ -n ${BENCH_TOKEN:-} ]] || service_auth_setup "$WORK/jwt"
  t0=$(date +%s%N)
  (
    service_java TASKS_AUTH_WRITES="${SERVICE_AUTH_WRITES:-jwt}" \
      QUARKUS_LIQUIBASE_MIGRATE_AT_START="${SERVICE_MIGRATE:-true}" \
      MP_JWT_VERIFY_PUBLICKEY_LOCATION="$BENCH_KEY_DIR/public.pem" MP_JWT_VERIFY_ISSUER="$BENCH_ISSUER" \
      -- "${java_opts[@]}" ${SERVICE_EXTRA_OPTS:-}
  ) >"$log" 2>&1 &
  SERVICE_PID=$!
  deadline=$((t0 + limit * 1000000000))
  # Poll every 20 ms: fine enough for a start measured in seconds, light enough not to slow it.
  until curl -fsS -o /dev/null --max-time 1 "http://127.0.0.1:$HTTP_PORT/tasks?size=1" 2>/dev/null; do
    if ! kill -0 "$SERVICE_PID" 2>/dev/null; then
      echo "the service exited during start; its log:" >&2
      tail -n 40 "$log" >&2
      SERVICE_PID=
      return 1
    fi
    if (($(date +%s%N) > deadline)); then
      echo "the service did not answer within ${limit}s; its log:" >&2
      tail -n 40 "$log" >&2
      return 1
    fi
    sleep 0.02
  done
  START_MS=$((($(date +%s%N) - t0) / 1000000))
  START_CPU=$(awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / hz }' "/proc/$SERVICE_PID/stat")
}

# service_migrate LOG LIMIT_SECONDS: the migration step, the jar with QUARKUS_INIT_AND_EXIT=true, which
# applies the changesets and exits. Sets MIGRATE_MS, its wall time.
service_migrate() {
  local log=$1 limit=$2 t0
  t0=$(date +%s%N)
  (
    SERVICE_TIMEOUT=$limit service_java TASKS_AUTH_WRITES=none QUARKUS_INIT_AND_EXIT=true --
  ) >"$log" 2>&1 || {
    echo "the migration step failed; its log:" >&2
    tail -n 40 "$log" >&2
    return 1
  }
  MIGRATE_MS=$((($(date +%s%N) - t0) / 1000000))
}

# service_java ASSIGNMENT... -- JVM_OPTION...: runs the jar (SERVICE_JAVA: another java) against the
# benchmark database with the given environment and options, on the run's ports, in place of the calling
# subshell (exec: its pid is the JVM's), stopped after SERVICE_TIMEOUT seconds when set. It starts in the
# jar's own directory: the AOT packaging reads its files relative to it.
service_java() {
  local assignments=()
  while [[ $1 != -- ]]; do
    assignments+=("$1")
    shift
  done
  shift
  cd "$(dirname "$SERVICE_JAR")" || return 1
  exec env QUARKUS_DATASOURCE_USERNAME="$APP_ROLE" QUARKUS_DATASOURCE_PASSWORD=unused \
    QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/$BENCH_DB" \
    QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://127.0.0.1:$PG_PORT/$BENCH_DB" "${assignments[@]}" \
    ${SERVICE_TIMEOUT:+timeout "$SERVICE_TIMEOUT"} "${SERVICE_JAVA:-java}" "$@" -Dquarkus.http.host=127.0.0.1 \
    -Dquarkus.http.port="$HTTP_PORT" -Dquarkus.management.host=127.0.0.1 \
    -Dquarkus.management.port="$MANAGEMENT_PORT" -jar "$(basename "$SERVICE_JAR")"
}

# Quarkus' own figure, for comparison with the wall time measured from outside.
service_reported_start() {
  grep -o 'started in [0-9.]*s' "$1" | tail -n 1 | grep -o '[0-9.]*' || echo "?"
}

# service_cpu_ticks: user + system CPU time the service process has used so far, in clock ticks.
service_cpu_ticks() {
  awk '{ print $14 + $15 }' "/proc/$SERVICE_PID/stat"
}

# service_memory_kb FIELD: VmRSS (resident now) or VmHWM (resident peak) of the running service.
service_memory_kb() {
  awk -v field="$1:" '$1 == field { print $2 }' "/proc/$SERVICE_PID/status"
}

service_stop() {
  [[ -n ${SERVICE_PID:-} ]] || return 0
  kill "$SERVICE_PID" 2>/dev/null || true
  local i
  for ((i = 0; i < 100; i++)); do
    kill -0 "$SERVICE_PID" 2>/dev/null || break
    sleep 0.1
  done
  kill -9 "$SERVICE_PID" 2>/dev/null || true
  wait "$SERVICE_PID" 2>/dev/null || true
  SERVICE_PID=
}
