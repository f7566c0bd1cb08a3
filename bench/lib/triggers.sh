# shellcheck shell=bash
# What the tracking triggers cost an UPDATE, measured on scratch copies of tasks so the service's own
# table is left as it is. Sourced by bench/run.

# Filled by trigger_bench, variant -> median: single-row UPDATE tps with 1 client and no commit flush
# (ROW_TPS) and with 16 clients and durable commits (DURABLE_TPS); bulk UPDATE ms (BULK_MS).
declare -A ROW_TPS=() DURABLE_TPS=() BULK_MS=()
# "condition/variant" -> how much longer than with no trigger, e.g. row/timestamps -> +25%;
# row/over_hand and bulk/over_hand compare the timestamp trigger with setting updated_at by hand.
declare -A TRIGGER_COST=()
TRIGGER_FULL_SET=""   # names of the tracking triggers found on tasks, e.g. "zz_10_timestamps zz_90_audit"
TRIGGER_NOTES=""      # tracking triggers that could not be rebuilt on a scratch table
# The write context the service sets per transaction, set once per session here: an audit trigger
# finds it, and the measured statement stays a lone UPDATE.
TRIGGER_CONTEXT="-c app.actor=bench -c app.request_id=bench"

median() {
  sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print ""; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# The enable_* calls that rebuild a variant's triggers on TABLE: none, by_hand (no trigger either: the
# statement sets updated_at itself), timestamps, or all (every zz_NN_<kind> trigger present on tasks
# whose enable_<kind>(regclass) exists).
enable_calls() {
  local variant=$1 table=$2 kind
  case $variant in
    none | by_hand) ;;
    timestamps | fields) echo "SELECT enable_timestamps('$table');" ;;
    all) for kind in "${TRIGGER_KINDS[@]}"; do echo "SELECT enable_$kind('$table');"; done ;;
  esac
}

by_hand_set() {
  [[ $1 == by_hand ]] && echo ", updated_at = now()"
  return 0
}

trigger_detect() {
  local name kind has_fn
  TRIGGER_KINDS=()
  TRIGGER_FULL_SET=""
  TRIGGER_NOTES=""
  while IFS=$'\t' read -r name kind has_fn; do
    TRIGGER_FULL_SET+="${TRIGGER_FULL_SET:+ }$name"
    if [[ $has_fn == t ]]; then
      TRIGGER_KINDS+=("$kind")
    else
      TRIGGER_NOTES+="$name has no enable_$kind(regclass) and is left out of the scratch tables. "
    fi
  done < <(sql_values -c "
    SELECT tgname, substring(tgname FROM '^zz_[0-9]+_(.*)\$'),
           to_regprocedure('enable_' || substring(tgname FROM '^zz_[0-9]+_(.*)\$') || '(regclass)') IS NOT NULL
      FROM pg_trigger
     WHERE tgrelid = 'tasks'::regclass AND NOT tgisinternal AND tgname ~ '^zz_[0-9]+_'
     -- Attach in dependency order: the other enable_* functions require the timestamp trigger first.
     ORDER BY tgname <> 'zz_10_timestamps', tgname")
}

# trigger_bench ROW_SECONDS ROUNDS BULK_ROWS BULK_REPS
trigger_bench() {
  local row_secs=$1 rounds=$2 bulk_rows=$3 bulk_reps=$4 variant round out ms
  trigger_detect
  # by_hand tells the trigger's own cost from that of the row write it causes: moving updated_at
  # changes an indexed column, which rules out a HOT update. timestamps is created_at and updated_at
  # alone, on a copy without field_updated_at; fields adds the per-field times (the same generated
  # function, on a copy that has the column).
  TRIGGER_VARIANTS=(none by_hand timestamps fields)
  # Measure the full set separately only when it is more than the timestamp trigger.
  if ((${#TRIGGER_KINDS[@]} > 0)) && [[ ${TRIGGER_KINDS[*]} != timestamps ]]; then
    TRIGGER_VARIANTS+=(all)
  fi

  for variant in "${TRIGGER_VARIANTS[@]}"; do
    # Triggers attach after the copy, so loading the rows fires none of them.
    local copied="*" into="" drop=""
    if [[ $variant == timestamps ]]; then
      copied="id, title, done, created_at, updated_at" into="(id, title, done, created_at, updated_at)"
      drop="ALTER TABLE bench_row_$variant DROP COLUMN field_updated_at; ALTER TABLE bench_bulk_$variant DROP COLUMN field_updated_at;"
    fi
    sql_app >/dev/null <<SQL
CREATE TABLE bench_row_$variant (LIKE tasks INCLUDING ALL);
CREATE TABLE bench_bulk_$variant (LIKE tasks INCLUDING ALL);
$drop
INSERT INTO bench_row_$variant $into OVERRIDING SYSTEM VALUE SELECT $copied FROM tasks WHERE id BETWEEN $MIN_ID AND $MAX_ID;
INSERT INTO bench_bulk_$variant (title, done) SELECT 'bulk task ' || g, g % 2 = 0 FROM generate_series(1, $bulk_rows) g;
$(enable_calls "$variant" "bench_row_$variant")
$(enable_calls "$variant" "bench_bulk_$variant")
SQL
    sql_app -c "VACUUM ANALYZE bench_row_$variant, bench_bulk_$variant"
    printf '%s\n' '\set id random(:min_id, :max_id)' '\set title random(1, 1000000000)' \
      "UPDATE bench_row_$variant SET title = CAST(:title AS text)$(by_hand_set "$variant") WHERE id = :id;" \
      >"$WORK/trigger-$variant.sql"
  done

  # Rounds interleave the variants, so a burst of load from elsewhere on the machine hits all of them.
  # Two conditions. Durable: commit flush on, 16 clients, as the service's writes run; the flush
  # dominates and the trigger is what it adds to a real write. Statement: one client, no commit flush;
  # what is left is the statement and its triggers, the case where a trigger's share is largest.
  local -A row_runs=() durable_runs=() bulk_runs=()
  for ((round = 1; round <= rounds; round++)); do
    for variant in "${TRIGGER_VARIANTS[@]}"; do
      row_runs[$variant]+="$(row_tps "$variant" 1 off "$row_secs") "
      [[ $variant == by_hand ]] && continue
      durable_runs[$variant]+="$(row_tps "$variant" 16 on "$row_secs") "
    done
  done
  for ((round = 1; round <= bulk_reps; round++)); do
    for variant in "${TRIGGER_VARIANTS[@]}"; do
      # Each repetition starts from a vacuumed table, not from the dead rows of the previous one.
      sql_app -c "VACUUM bench_bulk_$variant"
      ms=$(printf '%s\n' '\timing on' "UPDATE bench_bulk_$variant SET done = NOT done$(by_hand_set "$variant");" |
        PGOPTIONS="-c statement_timeout=300s $TRIGGER_CONTEXT" sql_app | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p')
      bulk_runs[$variant]+="$ms "
    done
  done
  for variant in "${TRIGGER_VARIANTS[@]}"; do
    ROW_TPS[$variant]=$(median_of "${row_runs[$variant]}" '%.0f')
    BULK_MS[$variant]=$(median_of "${bulk_runs[$variant]}" '%.1f')
    [[ $variant == by_hand ]] && continue
    DURABLE_TPS[$variant]=$(median_of "${durable_runs[$variant]}" '%.0f')
  done
  if [[ -z ${ROW_TPS[all]:-} ]]; then
    ROW_TPS[all]=${ROW_TPS[fields]} DURABLE_TPS[all]=${DURABLE_TPS[fields]} BULK_MS[all]=${BULK_MS[fields]}
    row_runs[all]=${row_runs[fields]} durable_runs[all]=${durable_runs[fields]} bulk_runs[all]=${bulk_runs[fields]}
  fi
  # Costs compare runs of the same round, which met the same load from elsewhere on the machine.
  for variant in timestamps fields all; do
    TRIGGER_COST[durable/$variant]=$(paired_cost "${durable_runs[none]}" "${durable_runs[$variant]}" rate)
    TRIGGER_COST[row/$variant]=$(paired_cost "${row_runs[none]}" "${row_runs[$variant]}" rate)
    TRIGGER_COST[bulk/$variant]=$(paired_cost "${bulk_runs[none]}" "${bulk_runs[$variant]}" time)
  done
  TRIGGER_COST[row/over_hand]=$(paired_cost "${row_runs[by_hand]}" "${row_runs[timestamps]}" rate)
  TRIGGER_COST[bulk/over_hand]=$(paired_cost "${bulk_runs[by_hand]}" "${bulk_runs[timestamps]}" time)
}

# median_of "VALUES" FORMAT
median_of() {
  # shellcheck disable=SC2086 # one number per word, on purpose
  printf '%s\n' $1 | median | xargs printf "$2"
}

# paired_cost "BASE_VALUES" "VALUES" rate|time: the median, over rounds, of how much longer the work took
# than the base of the same round; values are rates (tps) or times (ms).
paired_cost() {
  awk -v base="$1" -v vals="$2" -v kind="$3" 'BEGIN {
    n = split(base, b, " ")
    split(vals, v, " ")
    for (i = 1; i <= n; i++) {
      c = kind == "rate" ? b[i] / v[i] - 1 : v[i] / b[i] - 1
      for (j = i - 1; j >= 1 && s[j] > c; j--) s[j + 1] = s[j]
      s[j + 1] = c
    }
    m = n % 2 ? s[(n + 1) / 2] : (s[n / 2] + s[n / 2 + 1]) / 2
    printf "%+.0f%%", m * 100
  }'
}

# row_tps VARIANT CLIENTS SYNCHRONOUS_COMMIT SECONDS: single-row UPDATEs per second on bench_row_VARIANT.
row_tps() {
  local out
  out=$(PGOPTIONS="-c synchronous_commit=$3 $TRIGGER_CONTEXT" timeout $(($4 + 60)) pgbench -n -M prepared \
    -h 127.0.0.1 -p "$PG_PORT" -U "$APP_ROLE" -c "$2" -j "$(($2 < 2 ? $2 : 2))" -T "$4" \
    -D min_id="$MIN_ID" -D max_id="$MAX_ID" -f "$WORK/trigger-$1.sql" "$BENCH_DB" 2>&1) || {
    echo "pgbench failed on bench_row_$1: $out" >&2
    return 1
  }
  sed -n 's/^tps = \([0-9.]*\) (without.*/\1/p' <<<"$out"
}

