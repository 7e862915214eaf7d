# Shared by the bench scripts: where things are, and how to start Portcullis against a fresh registry.
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
PEERS=${PEERS:-$(cd "$ROOT/../shared/bench/peers" 2>/dev/null && pwd || true)}
PORT=${PORT:-18082}
# the packaged application serves /q/* (health, metrics) on its management port
MGMT_PORT=${MGMT_PORT:-$((PORT + 1000))}
DB=${BENCH_DB:-portcullis_bench}
PGHOST_ADDR=${PGHOST_ADDR:-127.0.0.1}
BENCH_SECRET=${BENCH_SECRET:-bench-secret-0123456789abcdefghijklmnopqrstuvw}
JAR=$ROOT/target/quarkus-app/quarkus-run.jar

bench_log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

# The stored form of a secret, as io.portcullis.registry.ClientSecrets.hash makes it.
secret_hash() { printf 'sha256$%s' "$(printf '%s' "$1" | openssl dgst -sha256 -binary | base64 | tr '+/' '-_' | tr -d '=')"; }

# The JVM options the benchmarks run with, and what we recommend: a heap that starts at 48 MiB with a
# 16 MiB young generation (the live heap is ~27 MiB; the default heap, a quarter of this machine's
# 24 GiB, just grows), which may grow to 256 MiB when the database is away and audit records queue in
# memory; the serial collector's short young-generation pauses keep p99 low on 2 cores. The JIT's
# compiler threads leave tens of MiB in glibc's malloc arenas after bursts of compilation, which
# TrimNativeHeapInterval (Java 17.0.9 and later) returns to the system every 5 s: together about
# 240 MiB resident after a gateway run instead of ~300 (docs/operations.md).
JAVA_OPTS=${JAVA_OPTS:--XX:+UseSerialGC -Xms48m -Xmx256m -Xmn16m -XX:ReservedCodeCacheSize=64m -XX:MaxMetaspaceSize=160m -Xss512k -XX:TrimNativeHeapInterval=5000}

# The command that runs the packaged jar against the bench database.
server_cmd() {  # ALG
  echo "env QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://$PGHOST_ADDR:5432/$DB QUARKUS_DATASOURCE_USERNAME=postgres \
QUARKUS_DATASOURCE_PASSWORD=postgres PORTCULLIS_PUBLIC_URL=http://127.0.0.1:$PORT \
PORTCULLIS_KEYS_ENCRYPTION_SECRET=bench-only-key-encryption-secret-0123456789 PORTCULLIS_KEYS_ALGORITHM=${1:-RS256} \
QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_HOST=127.0.0.1 QUARKUS_MANAGEMENT_PORT=$MGMT_PORT \
${JAVA_BIN:-java} ${JAVA_OPTS:-} ${EXTRA_JAVA_OPTS:-} -jar $JAR"
}

package_if_needed() {
  # BENCH_NO_PACKAGE=1: measure the jar as it is (say, while the sources are being edited)
  if [ "${BENCH_NO_PACKAGE:-}" = 1 ] || [ -f "$ROOT/target/.bench-no-package" ]; then return; fi
  if [ ! -f "$JAR" ] || [ -n "$(find "$ROOT/src" "$ROOT/pom.xml" -newer "$JAR" -print -quit)" ]; then
    bench_log "packaging"
    (cd "$ROOT" && ./mvnw -B -q package -DskipTests) >&2
  fi
}

# Drops and recreates the bench database, lets Portcullis migrate it, then loads seed.sql.
fresh_registry() {  # ALG
  psql -h "$PGHOST_ADDR" -U postgres -d postgres -qc "drop database if exists $DB" -c "create database $DB" >/dev/null
  bench_log "migrating $DB"
  local log; log=$(mktemp)
  bash -c "exec $(server_cmd "${1:-RS256}")" > "$log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$MGMT_PORT/q/health/ready" >/dev/null && break; sleep 0.5; done
  kill "$pid"; wait "$pid" 2>/dev/null || true
  psql -h "$PGHOST_ADDR" -U postgres -d "$DB" -q -v ON_ERROR_STOP=1 -v secret_hash="$(secret_hash "$BENCH_SECRET")" \
      -f "$BENCH_DIR/seed.sql" >/dev/null
  bench_log "seeded 1,000 APIs and 10,000 subscriptions"
  rm -f "$log"
}

# The CPU ticks (user + system) the given processes have used; none: 0. The fields are counted after the
# name, which may hold spaces.
proc_ticks() {
  local t=0 p
  for p in "$@"; do t=$((t + $(sed -E 's/^.*\) //' "/proc/$p/stat" | awk '{print $12 + $13}'))); done
  echo "$t"
}

# One timed wrk run through status.lua, which reads FORM and REQUEST=token (a token request) or BEARER
# (a gateway request) from the environment, with the CPU the processes PIDS used meanwhile.
# Usage: PIDS="…" OK='^200$' timed_wrk CONNS SECONDS URL -> "requests/s cpu_ms/request p99_ms errors"
# (errors: the answers whose status does not match OK, by default any but 2xx)
timed_wrk() {
  local t0 out req bad
  t0=$(proc_ticks ${PIDS:-})
  out=$(wrk -t2 -c"$1" -d"$2s" -s "$BENCH_DIR/status.lua" "$3")
  req=$(echo "$out" | sed -nE 's/^STATUS requests=([0-9]+).*/\1/p')
  bad=$(echo "$out" | awk -v ok="${OK:-^2}" '/^STATUS / {for (i = 2; i <= NF; i++) if ($i ~ /^[0-9][0-9][0-9]=/) {split($i, kv, "="); if (kv[1] !~ ok) s += kv[2]}} END {print s + 0}')
  awk -v r="$req" -v t="$(( $(proc_ticks ${PIDS:-}) - t0 ))" -v hz="$(getconf CLK_TCK)" -v d="$2" \
      -v p99="$(echo "$out" | sed -nE 's/.*p99_ms=([0-9.]+).*/\1/p')" -v e="$bad" \
      'BEGIN {printf "%.0f %.3f %s %d\n", r / d, t * 1000 / hz / r, p99, e}'
}

# Starts the packaged jar against the bench database (server_cmd), its output in the file LOG; sets PID,
# stops it (and removes LOG and the files named in CLEANUP) when the script exits, and waits until it is
# ready.
start_portcullis() {  # ALG
  LOG=$(mktemp)
  bash -c "exec $(server_cmd "${1:-RS256}")" > "$LOG" 2>&1 &
  PID=$!
  trap 'kill $PID 2>/dev/null || true; rm -f "$LOG" ${CLEANUP:-}' EXIT
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$MGMT_PORT/q/health/ready" >/dev/null && return; sleep 0.5; done
  echo "Portcullis was not ready in 60 s:" >&2
  tail -20 "$LOG" >&2
  return 1
}
