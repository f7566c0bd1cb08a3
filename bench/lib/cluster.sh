# shellcheck shell=bash
# The benchmark's own PostgreSQL 15 cluster: a throwaway data directory on a private port, so the shared
# server on 5432 is never restarted or reconfigured. Sourced by bench/run.

PG_BIN=/usr/lib/postgresql/15/bin
PG_USER=postgres        # superuser of the throwaway cluster: resets and reads statistics
APP_ROLE=bench_app      # the service and the pgbench mirrors log in as this role, so their statements are told apart
BENCH_DB=tasks_bench

# PostgreSQL refuses to run as root; as any other user the binaries run directly.
pg_as() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# free_port FIRST: the first port from FIRST on that no local TCP socket uses, for the cluster and the
# service. Every socket state counts, not only listeners: ports above 32767 are also handed out to
# outgoing connections.
free_port() {
  local port
  for ((port = $1; port < $1 + 200; port++)); do
    if [[ -z $(ss -Htan "sport = :$port") ]]; then
      echo "$port"
      return 0
    fi
  done
  echo "no free port from $1" >&2
  return 1
}

# psql as the cluster superuser on the benchmark database; extra arguments go to psql.
sql() {
  timeout 600 psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d "$BENCH_DB" "$@"
}

# Same, unaligned and tab-separated, for values the script reads back.
sql_values() {
  sql -At -F $'\t' "$@"
}

# psql as the application role, for work that must own or see what the service sees.
sql_app() {
  timeout 600 psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U "$APP_ROLE" -d "$BENCH_DB" "$@"
}

# cluster_start DIR FIRST_PORT: initdb into DIR/data and start it listening on 127.0.0.1 only, on the
# first free port from FIRST_PORT (sets PG_PORT).
cluster_start() {
  PG_DIR=$1
  local data=$PG_DIR/data attempt
  install -d -m 0700 -o "$(pg_owner)" "$PG_DIR"
  pg_as timeout 120 "$PG_BIN/initdb" -D "$data" -U "$PG_USER" --auth=trust -E UTF8 --locale=C.UTF-8 \
    --no-instructions >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log" >&2; return 1; }
  # Sized for 2 shared cores and a small data set: no parallel query (it would take cores from the
  # service), no JIT (short OLTP statements), and WAL room enough that no checkpoint lands mid-run.
  # Durability stays on: the service and pgbench pay the same commit flush.
  pg_as tee -a "$data/postgresql.conf" >/dev/null <<CONF

# --- benchmark cluster ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PG_DIR'
max_connections = 150
shared_buffers = 256MB
effective_cache_size = 2GB
work_mem = 8MB
maintenance_work_mem = 128MB
max_wal_size = 4GB
checkpoint_timeout = 30min
max_worker_processes = 4
max_parallel_workers_per_gather = 0
max_parallel_maintenance_workers = 1
jit = off
random_page_cost = 1.1
huge_pages = off
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.track = all
pg_stat_statements.max = 5000
CONF
  PG_PORT=$2
  # A port found free can still be taken by an outgoing connection before the server binds it.
  for attempt in 1 2 3; do
    PG_PORT=$(free_port "$PG_PORT")
    if pg_as timeout 90 "$PG_BIN/pg_ctl" -D "$data" -l "$PG_DIR/server.log" -o "-p $PG_PORT" -w -t 60 \
      start >/dev/null; then
      PG_STARTED=1
      break
    fi
    if ((attempt == 3)) || ! grep -q 'could not bind' "$PG_DIR/server.log"; then
      tail -n 30 "$PG_DIR/server.log" >&2
      return 1
    fi
    PG_PORT=$((PG_PORT + 1))
  done

  timeout 60 psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres <<SQL
CREATE ROLE $APP_ROLE LOGIN;
CREATE DATABASE $BENCH_DB OWNER $APP_ROLE;
SQL
  sql -c "CREATE EXTENSION pg_stat_statements"
}

cluster_stop() {
  [[ ${PG_STARTED:-0} -eq 1 ]] || return 0
  pg_as timeout 60 "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 45 stop >/dev/null 2>&1 \
    || pg_as timeout 30 "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w -t 20 stop >/dev/null 2>&1 \
    || true
  PG_STARTED=0
}

# The OS user that owns the data directory.
pg_owner() {
  if [[ $(id -u) -eq 0 ]]; then echo postgres; else id -un; fi
}
