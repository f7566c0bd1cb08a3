#!/usr/bin/env bash
# Writes APP_DIR/app-cds.jsa, an AppCDS archive of every class the service loads up to the end of its
# start, with the JVM that will run it: the service is started once with -XX:ArchiveClassesAtExit and
# stopped as soon as Quarkus reports it started.
#
#   scripts/cds-archive.sh [APP_DIR]      APP_DIR: the packaged service (default target/quarkus-app)
#   JAVA=/path/to/bin/java scripts/cds-archive.sh ...    another JVM than the first java on PATH
#
# Then: java -XX:SharedArchiveFile=APP_DIR/app-cds.jsa <options> -jar APP_DIR/quarkus-run.jar, on the same
# JVM build (another JVM says so and starts without the archive). The archive records the jars' absolute
# paths: it serves the application where it was written, so write it again after moving APP_DIR.
# docker/Dockerfile.jvm runs this script with the image's own JVM, bench/run with the one it measures.
#
# The archive the build writes (quarkus.package.jar.appcds.enabled) holds the classes of Quarkus' static
# init only: about 7,400 classes, while about 5,400 more (Hibernate's boot, Vert.x, Netty, the HTTP and
# SQL clients) were still read from the jars and verified at each start. Training on a whole start brings
# the first answer a quarter to a third sooner (docs/persistence.md, "Start").
#
# The training start connects to nothing: the datasource points at 127.0.0.1 port 1, where nothing listens
# (Hibernate's version check fails, which a start tolerates), Liquibase does not run, writes need no token,
# and both ports are chosen by the kernel. Bounded: the start may take 180 s, the archive's writing 180 s.
set -euo pipefail

app_dir=${1:-target/quarkus-app}
java=${JAVA:-java}
[[ -f $app_dir/quarkus-run.jar ]] || { echo "no $app_dir/quarkus-run.jar: package the service first" >&2; exit 1; }
cd "$app_dir"
log=$(mktemp "${TMPDIR:-/tmp}/cds-archive.XXXXXX")
trap 'rm -f "$log"' EXIT

rm -f app-cds.jsa
# An archive to read, from the environment (docker/Dockerfile.jvm sets one for the service), would clash
# with the one being written.
unset JDK_JAVA_OPTIONS
QUARKUS_DATASOURCE_USERNAME=archive QUARKUS_DATASOURCE_PASSWORD=archive \
  QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:1/archive \
  QUARKUS_DATASOURCE_REACTIVE_URL=postgresql://127.0.0.1:1/archive \
  QUARKUS_LIQUIBASE_MIGRATE_AT_START=false TASKS_AUTH_WRITES=none TASKS_AUTH_READS=none \
  "$java" -XX:ArchiveClassesAtExit=app-cds.jsa -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port=0 \
  -Dquarkus.management.host=127.0.0.1 -Dquarkus.management.port=0 -jar "$PWD/quarkus-run.jar" >"$log" 2>&1 &
pid=$!

fail() {
  kill -9 "$pid" 2>/dev/null || true
  grep -v '\[cds\]' "$log" | tail -n 30 >&2
  echo "cds-archive: $*" >&2
  exit 1
}

for ((i = 0; i < 900; i++)); do
  grep -q ' started in ' "$log" && break
  kill -0 "$pid" 2>/dev/null || fail "the service exited during its start"
  sleep 0.2
done
grep -q ' started in ' "$log" || fail "the service did not start within 180 s"

# The JVM writes the archive on its way out, after the service's own shutdown.
kill -TERM "$pid"
for ((i = 0; i < 900; i++)); do
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.2
done
kill -0 "$pid" 2>/dev/null && fail "the archive was not written within 180 s"
wait "$pid" || true
[[ -s app-cds.jsa ]] || fail "the JVM wrote no archive"
echo "cds-archive: $PWD/app-cds.jsa, $(($(wc -c <app-cds.jsa) / 1048576)) MB, by $("$java" -XX:-PrintWarnings -version 2>&1 | head -n 1)"
