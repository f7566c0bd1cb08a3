# shellcheck shell=bash
# Renders the results as one Markdown document (stdout and bench/results/). Sourced by bench/run.

# Per scenario and connection count, filled by bench/run: "scenario/connections" -> value.
declare -A R_CPU_MS=() R_RPS=() R_P50=() R_P99=() R_ERRORS=() R_STMTS=() R_PGB=() R_PGB_P99=() R_RATIO=() R_RATIO_NUM=() R_SQL=() R_SENT=()
# The write routes on fresh instances without and with authentication: "none/create", "jwt/create", ...
declare -A A_CPU_MS=() A_RPS=() A_P99=() A_ERRORS=() A_WARM=()

machine_info() {
  local cpu mem_gib
  cpu=$(awk -F ': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
  mem_gib=$(awk '/^MemTotal/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)
  cat <<MD
| | |
|---|---|
| date | $(date -u '+%Y-%m-%d %H:%M UTC') |
| mode | $MODE (wrk ${RUN_SECS} s per run; pgbench ${PGB_SECS} s per run) |
| warm-up | passes of ${WARM_SECS} s per scenario at 16 connections until one adds under ${WARM_JIT_SETTLED:-2} s of JIT compilation (at most ${WARM_PASSES_MAX}): ${MAIN_WARM_PASSES} passes, the last adding ${MAIN_WARM_JIT_LAST} s; ${MAIN_WARM_JIT_TOTAL} s of compilation in all by then |
| service | source of commit $(git log -1 --format=%h -- src pom.xml 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- src pom.xml 2>/dev/null || echo ' with local changes'), pool size ${TASKS_DB_POOL_SIZE:-20}, JVM options: ${BENCH_JAVA_OPTS-$DEFAULT_JAVA_OPTS} |
| CPU | ${cpu:-unknown}, $(nproc) cores, shared by the service, PostgreSQL, wrk and pgbench |
| memory | ${mem_gib} GiB |
| load average before the run | $LOAD_BEFORE |
| PostgreSQL | $(sql_values -c "SHOW server_version") (own cluster, pg_stat_statements) |
| Java | $(java -version 2>&1 | head -n 1) |
| load tools | $(wrk -v 2>&1 | head -n 1 | cut -d ' ' -f 1-2), $(pgbench --version); both at nice $LOAD_NICE |
MD
}

load_table() {
  local scenario conns key
  echo "| scenario | connections | requests/s | p50 ms | p99 ms | errors | round trips/request | of which BEGIN/COMMIT | JVM CPU ms/request | pgbench tps (the limit) | pgbench p99 ms | service/pgbench | pgbench SQL |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  for scenario in "${SCENARIOS[@]}"; do
    for conns in "${CONNECTIONS[@]}"; do
      key=$scenario/$conns
      echo "| $(scenario_label "$scenario") | $conns | ${R_RPS[$key]} | ${R_P50[$key]} | ${R_P99[$key]} | ${R_ERRORS[$key]} | ${R_STMTS[$key]} | $(stmts_per_request "$WORK/stats-service-$scenario-$conns.tsv" "${R_SENT[$key]}" transaction) | ${R_CPU_MS[$key]} | ${R_PGB[$key]:--} | ${R_PGB_P99[$key]:--} | ${R_RATIO[$key]:--} | ${R_SQL[$key]} |"
    done
  done
}

# The write routes with a verified bearer token against no authentication at all (bench/run, auth_pass).
auth_table() {
  local scenario with without
  echo "| route (${CONNECTIONS[0]} connections) | req/s without token | req/s with | with/without | p99 ms without / with | errors without / with | JVM CPU ms/request without | with | verifying the token, JVM CPU ms/request |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  for scenario in "${WRITE_SCENARIOS[@]}"; do
    without=none/$scenario with=jwt/$scenario
    echo "| $(scenario_label "$scenario") | ${A_RPS[$without]:--} | ${A_RPS[$with]:--} | $(awk -v a="${A_RPS[$with]:-0}" -v b="${A_RPS[$without]:-0}" \
      'BEGIN { if (b > 0) printf "%.0f%%", a / b * 100; else print "-" }') | ${A_P99[$without]:--} / ${A_P99[$with]:--} | ${A_ERRORS[$without]:--} / ${A_ERRORS[$with]:--} | ${A_CPU_MS[$without]:--} | ${A_CPU_MS[$with]:--} | $(awk -v a="${A_CPU_MS[$with]:-}" -v b="${A_CPU_MS[$without]:-}" \
      'BEGIN { if (a != "" && b != "") printf "%+.3f", a - b; else print "-" }') |"
  done
}

scenario_label() {
  case $1 in
    create) echo "create: POST /tasks" ;;
    update-post) echo "update: POST /tasks/{id}" ;;
    update-patch) echo "update: PATCH /tasks/{id}" ;;
    read) echo "read: GET /tasks/{id}" ;;
    list) echo "list: GET /tasks?size=50" ;;
    history) echo "history: GET /tasks/{id}/history" ;;
    changes) echo "changes: GET /tasks/changes?limit=100" ;;
    *) echo "$1" ;;
  esac
}

statements_section() {
  local scenario conns=${CONNECTIONS[0]} sent
  for scenario in "${SCENARIOS[@]}"; do
    sent=${R_SENT[$scenario/$conns]}
    echo
    echo "$(scenario_label "$scenario") ($conns connections, $sent requests sent):"
    echo
    echo "| per request | kind | statement (normalized) |"
    echo "|---:|---|---|"
    # Markdown table cells cannot hold a bare "|", not even inside backticks.
    main_statements "$WORK/stats-service-$scenario-$conns.tsv" "$sent" "$conns" | sed 's/|/\\|/g' |
      awk -F '\t' -v n="$sent" '{
        printf "| %.2f | %s | `%s` |\n", $2 / n, $4, (length($5) > 300 ? substr($5, 1, 300) "..." : $5) }'
  done
}

# One line per target: what it asks, what was measured, met or missed.
targets_table() {
  local scenario conns key data ctx txn trips verdict base
  echo "| target | measured | |"
  echo "|---|---|---|"
  for scenario in "${SCENARIOS[@]}"; do
    key=$scenario/16
    data=$(stmts_per_request "$WORK/stats-service-$scenario-16.tsv" "${R_SENT[$key]}" data)
    ctx=$(stmts_per_request "$WORK/stats-service-$scenario-16.tsv" "${R_SENT[$key]}" context)
    txn=$(stmts_per_request "$WORK/stats-service-$scenario-16.tsv" "${R_SENT[$key]}" transaction)
    trips=${R_STMTS[$key]}
    # Requests cut when wrk stops may add a ROLLBACK: allow 1% above the exact count.
    verdict=$(awk -v t="$trips" 'BEGIN { print t <= 1.01 ? "met" : "missed" }')
    echo "| $(scenario_label "$scenario"): 1 round trip per request | $trips (data $data, separate set_config $ctx, BEGIN/COMMIT $txn) | $verdict |"
  done
  for scenario in "${SCENARIOS[@]}"; do
    for conns in "${CONNECTIONS[@]}"; do
      key=$scenario/$conns
      [[ -n ${R_RATIO_NUM[$key]:-} ]] || continue
      verdict=$(awk -v r="${R_RATIO_NUM[$key]}" 'BEGIN { print r >= 50 ? "met" : "missed" }')
      # The limit itself must hold: pgbench doing less than half its rate at the first connection count
      # means the machine, not the statement, set it, and the ratio says nothing.
      base=${R_PGB[$scenario/${CONNECTIONS[0]}]:-}
      if [[ $conns != "${CONNECTIONS[0]}" && -n $base ]] && ((base > 0 && R_PGB[$key] * 2 < base)); then
        verdict="not judged: pgbench fell to $((R_PGB[$key] * 100 / base))% of its rate at ${CONNECTIONS[0]} connections"
      fi
      echo "| $(scenario_label "$scenario"): >= 50% of pgbench sending the same statement, $conns connections | ${R_RATIO[$key]} (${R_RPS[$key]} vs ${R_PGB[$key]}) | $verdict |"
    done
  done
  for scenario in "${SCENARIOS[@]}"; do
    key=$scenario/16
    verdict=$(awk -v p="${R_P99[$key]}" 'BEGIN { print p < 20 ? "met" : "missed" }')
    echo "| $(scenario_label "$scenario"): p99 < 20 ms at 16 connections | ${R_P99[$key]} ms (pgbench sending the same statement: ${R_PGB_P99[$key]:--} ms) | $verdict |"
  done
  echo "| first answer within 3 s of launch, plain JVM 17 (after the migration step, AppCDS archive) | ${START_MS} ms (${START_CPU} s CPU) | $( ((START_MS <= 3000)) && echo met || echo missed) |"
  if [[ -n $AOT_START_MS ]]; then
    echo "| first answer within 1 s of launch, JDK 25 with the AOT cache | ${AOT_START_MS} ms (${AOT_START_CPU} s CPU) | $( ((AOT_START_MS <= 1000)) && echo met || echo missed) |"
  fi
  echo "| under 200 MB resident after the load | $((RSS_KB / 1024)) MB | $( ((RSS_KB < 200 * 1024)) && echo met || echo missed) |"
  trigger_targets row "single-row UPDATE, statement only"
  trigger_targets bulk "UPDATE of $BULK_ROWS rows"
}

# trigger_targets CONDITION LABEL: the trigger targets (times a bare UPDATE) on one measuring condition.
trigger_targets() {
  local ts=${TRIGGER_COST[$1/timestamps]} all=${TRIGGER_COST[$1/all]}
  echo "| created_at and updated_at alone <= 1.2x a bare UPDATE ($2) | $(as_times "$ts") | $(awk -v c="${ts%\%}" 'BEGIN { print c <= 20 ? "met" : "missed" }') |"
  echo "| full tracking set ($TRIGGER_FULL_SET) <= 2.0x a bare UPDATE ($2) | $(as_times "$all") | $(awk -v c="${all%\%}" 'BEGIN { print c <= 100 ? "met" : "missed" }') |"
}

# as_times +25%: 1.25x
as_times() {
  awk -v c="${1%\%}" 'BEGIN { printf "%.2fx", 1 + c / 100 }'
}

write_report() {
  cat <<MD
# tasks-service benchmark results

## Machine

$(machine_info)

## HTTP load and the same SQL through pgbench

$(load_table)

errors: responses with status 400 or above plus socket errors, as wrk counts them.
round trips/request: top-level statements the service sent (pg_stat_statements calls / wrk requests),
BEGIN and COMMIT included; each is one round trip. The next column counts BEGIN/COMMIT alone.
JVM CPU ms/request: user + system CPU time of the service process during the run / requests sent.
pgbench tps: the same statements, \`pgbench -M prepared\`, as many clients as connections: for a write,
the single statement the route sends, which is the most any service in front of this table can do.
pgbench SQL: \`same\` when pgbench sent exactly the statements the service sent (same queryids);
\`same, parameters renumbered\` when only the numbering differs (pgbench makes each use of a variable
a parameter of its own, so a statement using \$1 twice arrives with \$1 and \$2).

## What authentication costs

The load table above ran as in production: every write carries a bearer token (RS256, minted once for
the run by scripts/mint-token.sh) that the service verifies. Here the write routes run on two fresh
instances started, warmed up (as above, write routes only; without a token ${A_WARM[none]:-not run}, with one
${A_WARM[jwt]:-not run}) and measured (${RUN_SECS} s per route) alike: one with TASKS_AUTH_WRITES=none and no
token sent, then one verifying the token. The last column is the difference in the service's CPU per
request: what verifying a token costs.

$(auth_table)

## Start and memory

| | |
|---|---|
| migration step (QUARKUS_INIT_AND_EXIT=true) on the empty database, launch to exit | ${MIGRATE_MS} ms (about 5 s of it Quarkus waiting before it exits) |
| first answered request after launch, migrating at start itself (nothing to apply), 10,000 tasks | ${MIGRATING_START_MS} ms, ${MIGRATING_START_CPU} s of CPU, RSS then $((MIGRATING_START_RSS_KB / 1024)) MB |
| first answered request after launch, after the migration step (recommended), 10,000 tasks | ${START_MS} ms, ${START_CPU} s of CPU, RSS then $((START_RSS_KB / 1024)) MB (Quarkus reports started in ${START_REPORTED} s) |
| first answered request after launch, JDK 25 with the AOT cache (BENCH_AOT_DIR) | ${AOT_START_MS:-not measured} ms, ${AOT_START_CPU:--} s of CPU |
| resident memory after the load (VmRSS) | $((RSS_KB / 1024)) MB (peak VmHWM $((HWM_KB / 1024)) MB) |

## Trigger cost

Scratch copies of tasks: with no trigger; with no trigger but the statement setting updated_at = now()
itself (what the service would send without the trigger); with created_at and updated_at alone (a copy
without field_updated_at); with the per-field times too; with every tracking trigger found on tasks
($TRIGGER_FULL_SET). ${TRIGGER_NOTES}Single-row: \`UPDATE ... SET title = \$1
WHERE id = \$2\` through pgbench -M prepared, $ROUNDS rounds of ${ROW_SECS} s per variant and condition: durable
(16 clients, synchronous_commit on, as the service's writes run) and statement only (1 client,
synchronous_commit off, so the commit flush does not hide the trigger). Bulk: one UPDATE of all
$BULK_ROWS rows (\`SET done = NOT done\`), $BULK_REPS rounds, each on a freshly vacuumed table. Figures
are medians; a cost is the median over rounds of the time ratio to the base run of the same round.

| case | no trigger | updated_at set by hand | timestamps alone | + per-field times | full set | timestamps cost | + field times cost | full set cost | timestamps over setting it by hand |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|
| single-row UPDATE, durable, tps | ${DURABLE_TPS[none]} | - | ${DURABLE_TPS[timestamps]} | ${DURABLE_TPS[fields]} | ${DURABLE_TPS[all]} | ${TRIGGER_COST[durable/timestamps]} | ${TRIGGER_COST[durable/fields]} | ${TRIGGER_COST[durable/all]} | - |
| single-row UPDATE, statement only, tps | ${ROW_TPS[none]} | ${ROW_TPS[by_hand]} | ${ROW_TPS[timestamps]} | ${ROW_TPS[fields]} | ${ROW_TPS[all]} | ${TRIGGER_COST[row/timestamps]} | ${TRIGGER_COST[row/fields]} | ${TRIGGER_COST[row/all]} | ${TRIGGER_COST[row/over_hand]} |
| UPDATE of $BULK_ROWS rows, ms | ${BULK_MS[none]} | ${BULK_MS[by_hand]} | ${BULK_MS[timestamps]} | ${BULK_MS[fields]} | ${BULK_MS[all]} | ${TRIGGER_COST[bulk/timestamps]} | ${TRIGGER_COST[bulk/fields]} | ${TRIGGER_COST[bulk/all]} | ${TRIGGER_COST[bulk/over_hand]} |

## Targets

$(targets_table)

## Statements per request
$(statements_section)
MD
}
