# shellcheck shell=bash
# HTTP load with wrk, the statements it caused (pg_stat_statements), and the same statements replayed
# by pgbench. Sourced by bench/run.

# wrk and pgbench run at this niceness (BENCH_LOAD_NICE, 0 to turn it off). On two cores shared with the
# service and PostgreSQL, a load generator at the same priority takes the CPU that a request's next step
# is waiting for, and the tail it measures is partly its own: niced, it yields to the system under test,
# as a client on another machine would (bench/README.md, "Load generators at nice 10").
LOAD_NICE=${BENCH_LOAD_NICE:-10}

# Results of the last run_wrk. WRK_SENT also counts requests in flight when wrk stopped.
WRK_REQUESTS=0 WRK_SENT=0 WRK_RPS=0 WRK_P50_MS=0 WRK_P99_MS=0 WRK_ERRORS=0
# Results of the last run_pgbench.
PGB_TPS="" PGB_P99_MS="" PGB_SQL=""

# run_wrk SCENARIO CONNECTIONS SECONDS
run_wrk() {
  local scenario=$1 conns=$2 secs=$3 threads out line key value
  threads=$((conns < 2 ? conns : 2))
  out=$(timeout $((secs + 30)) nice -n "$LOAD_NICE" wrk -t "$threads" -c "$conns" -d "${secs}s" --timeout 5s \
    -s "$BENCH_DIR/lua/$scenario.lua" "http://127.0.0.1:$HTTP_PORT" -- "$MIN_ID" "$MAX_ID") || {
    echo "wrk failed for $scenario at $conns connections:" >&2
    echo "$out" >&2
    return 1
  }
  line=$(grep '^BENCH ' <<<"$out") || { echo "no summary from wrk: $out" >&2; return 1; }
  # Requests in flight when wrk stopped still reach the database: let them finish inside this run.
  sleep 1
  local -A v=()
  local pairs pair
  read -r -a pairs <<<"${line#BENCH }"
  for pair in "${pairs[@]}"; do
    key=${pair%%=*}
    value=${pair#*=}
    v[$key]=$value
  done
  WRK_REQUESTS=${v[requests]}
  WRK_SENT=${v[sent]}
  WRK_ERRORS=$((v[status_errors] + v[socket_errors]))
  WRK_RPS=$(awk -v n="${v[requests]}" -v us="${v[duration_us]}" 'BEGIN { printf "%.0f", n / (us / 1e6) }')
  WRK_P50_MS=$(awk -v us="${v[p50_us]}" 'BEGIN { printf "%.1f", us / 1000 }')
  WRK_P99_MS=$(awk -v us="${v[p99_us]}" 'BEGIN { printf "%.1f", us / 1000 }')
}

# jit_seconds: the time the service's JIT compilers have spent so far, in seconds (jstat's counter).
jit_seconds() {
  jstat -compiler "$SERVICE_PID" 2>/dev/null | awk 'NR == 2 { print $4 }'
}

# warm_up MAX_PASSES SECONDS SCENARIO...: passes of SECONDS of load per scenario at 16 connections,
# until one pass adds less than WARM_JIT_SETTLED (default 2) seconds of JIT compilation, or MAX_PASSES
# ran. A route that answers a few hundred requests a second reaches the compilers' thresholds only
# after tens of seconds of its own load; measured sooner it reports the compilers' work, not its own.
# Sets WARM_PASSES, WARM_JIT_LAST (seconds of compilation in the last pass) and WARM_JIT_TOTAL.
warm_up() {
  local max=$1 secs=$2 scenario before after
  shift 2
  WARM_PASSES=0
  while :; do
    WARM_PASSES=$((WARM_PASSES + 1))
    before=$(jit_seconds)
    for scenario in "$@"; do
      run_wrk "$scenario" 16 "$secs"
    done
    after=$(jit_seconds)
    WARM_JIT_LAST=$(awk -v a="${before:-0}" -v b="${after:-0}" 'BEGIN { printf "%.1f", b - a }')
    WARM_JIT_TOTAL=$(printf '%.1f' "${after:-0}")
    printf '[warm-up] pass %d: %s s of JIT compilation (%s s in all)\n' "$WARM_PASSES" "$WARM_JIT_LAST" "$WARM_JIT_TOTAL" >&2
    if [[ -z $after ]] || ((WARM_PASSES >= max)) ||
      awk -v d="$WARM_JIT_LAST" -v limit="${WARM_JIT_SETTLED:-2}" 'BEGIN { exit !(d < limit) }'; then
      return 0
    fi
  done
}

stats_reset() {
  sql -c "SELECT pg_stat_statements_reset()" >/dev/null
}

# stats_dump FILE: what the application role ran since the last reset, one statement a line:
# level (top or nested, i.e. run by a trigger), calls, queryid, kind, normalized text.
stats_dump() {
  sql_values >"$1" <<SQL
SELECT CASE WHEN toplevel THEN 'top' ELSE 'nested' END,
       calls,
       queryid,
       CASE WHEN NOT toplevel THEN 'trigger'
            WHEN query ~* '^\s*(begin|commit|end|rollback|start transaction)\y' THEN 'transaction'
            WHEN query ~* '^\s*select\s+set_config\s*\(' THEN 'context'
            ELSE 'data' END,
       regexp_replace(query, '\s+', ' ', 'g')
  FROM pg_stat_statements
 WHERE userid = '$APP_ROLE'::regrole
   AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
 ORDER BY toplevel DESC, calls DESC, query
SQL
}

# stmts_per_request FILE SENT [KIND]: top-level statements (of one kind, or all) per request sent. Every
# top-level statement is one round trip: the client sends parse, bind and execute together and waits.
stmts_per_request() {
  awk -F '\t' -v n="$2" -v kind="${3:-}" \
    '$1 == "top" && (kind == "" || $4 == kind) { calls += $2 } END { printf "%.2f", n ? calls / n : 0 }' "$1"
}

# main_statements FILE SENT CONNECTIONS: the statements a scenario really uses, sent by at least 1 request
# in 100 and more often than the connections wrk cut when it stopped (each may end in a ROLLBACK).
main_statements() {
  awk -F '\t' -v n="$2" -v c="$3" '$2 >= n / 100 && $2 > c' "$1"
}

# pgbench mirrors: both update routes run the same statement.
mirror_of() {
  case $1 in
    update-post | update-patch) echo update ;;
    *) echo "$1" ;;
  esac
}

# statement_shapes: the top-level statements of a stats_dump, each with its parameters and constants
# replaced by "$" (pg_stat_statements keeps one entry's first text, constants normalized or not).
statement_shapes() {
  awk -F '\t' '$1 == "top" { t = $5; gsub(/'"'"'[^'"'"']*'"'"'/, "$", t); gsub(/\$[0-9]+/, "$", t); gsub(/[0-9]+/, "$", t); gsub(/true|false/, "$", t); print t }' | sort -u
}

# run_pgbench SCENARIO CONNECTIONS SECONDS SERVICE_STATS SENT: replays the scenario's statements with
# as many clients as wrk had connections; PGB_SQL says whether pgbench sent exactly the top-level
# statements the service sent (same queryids). PGB_P99_MS is the 99th percentile of pgbench's own
# transaction times (its per-transaction log): the tail of the database and the machine alone, beside
# which the service's p99 is read.
run_pgbench() {
  local scenario=$1 conns=$2 secs=$3 service_stats=$4 sent=$5 mirror script out threads service_main log_prefix
  mirror=$(mirror_of "$scenario")
  PGB_TPS="" PGB_P99_MS="" PGB_SQL="no mirror"
  [[ -f $BENCH_DIR/pgbench/$mirror.sql ]] || return 0
  script=$WORK/pgbench-$mirror.sql
  awk -v queries="$QUERIES_DIR" -f "$BENCH_DIR/lib/expand.awk" "$BENCH_DIR/pgbench/$mirror.sql" >"$script"
  threads=$((conns < 2 ? conns : 2))
  stats_reset
  log_prefix=$WORK/pgbench-log-$scenario-$conns
  # The session setting the service's connection has for that statement (docs/persistence.md, "Generic
  # plans for the change feed"): generic plans on the pool of the writes and the change feed, PostgreSQL's
  # choice on the read client.
  local plan_mode=force_generic_plan
  case $scenario in
    read | list | history) plan_mode=auto ;;
  esac
  out=$(PGOPTIONS="-c plan_cache_mode=$plan_mode" timeout $((secs + 60)) nice -n "$LOAD_NICE" pgbench -n -M prepared -h 127.0.0.1 -p "$PG_PORT" -U "$APP_ROLE" \
    -c "$conns" -j "$threads" -T "$secs" -l --log-prefix="$log_prefix" -D min_id="$MIN_ID" -D max_id="$MAX_ID" \
    -D actor=anonymous -D requestId=pgbench -f "$script" "$BENCH_DB" 2>&1) || {
    echo "pgbench failed for $scenario at $conns clients:" >&2
    echo "$out" >&2
    PGB_SQL="failed"
    return 0
  }
  PGB_TPS=$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time)$/\1/p' <<<"$out")
  PGB_TPS=$(printf '%.0f' "$PGB_TPS")
  # One line per transaction, its time in microseconds third; one file per pgbench thread.
  PGB_P99_MS=$(awk '{ print $3 }' "$log_prefix".* | sort -n |
    awk '{ t[NR] = $1 } END { if (NR) { i = int(NR * 0.99); if (i < 1) i = 1; printf "%.1f", t[i] / 1000 } }')
  rm -f "$log_prefix".*
  stats_dump "$WORK/stats-pgbench-$scenario-$conns.tsv"
  # pgbench's own calls are not comparable (PostgreSQL 15 counts a prepared BEGIN once per client),
  # so the check is on which statements ran, not how often.
  service_main=$(main_statements "$service_stats" "$sent" "$conns")
  if diff -q <(awk -F '\t' '$1 == "top" { print $3 }' <<<"$service_main" | sort -u) \
    <(awk -F '\t' '$1 == "top" { print $3 }' "$WORK/stats-pgbench-$scenario-$conns.tsv" | sort -u) >/dev/null; then
    PGB_SQL="same"
  # pgbench makes each use of a variable a parameter of its own: a statement that uses $1 twice reaches
  # PostgreSQL from pgbench with $1 and $2, hence another query id. The same text once parameters are
  # renumbered is the same statement.
  elif diff -q <(statement_shapes <<<"$service_main") \
    <(statement_shapes <"$WORK/stats-pgbench-$scenario-$conns.tsv") >/dev/null; then
    PGB_SQL="same, parameters renumbered"
  else
    PGB_SQL="differs"
  fi
}
