#!/usr/bin/env bash
# Startup of the packaged jar against the bench database (1,000 APIs, 10,000 subscriptions): from
# `java` launched to /q/health/ready answering 200, RUNS times, with the calibration of this run.
# Usage: bench/startup.sh                      (lib.sh's options, the `java` on the PATH)
#        JAVA_BIN=/path/to/java RUNS=5 EXTRA_JAVA_OPTS='-XX:AOTCache=target/portcullis.aot' bench/startup.sh
set -euo pipefail
. "$(dirname "$0")/lib.sh"
RUNS=${RUNS:-3}
package_if_needed
if ! psql -h "$PGHOST_ADDR" -U postgres -d "$DB" -Atc "select count(*) from api" >/dev/null 2>&1; then
  fresh_registry RS256
fi
echo "commit $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- src pom.xml || echo ' (with uncommitted changes)')"
echo "java: $("${JAVA_BIN:-java}" -version 2>&1 | head -1); options: $JAVA_OPTS ${EXTRA_JAVA_OPTS:-}"
echo "calibration: $(openssl speed -seconds 3 rsa2048 2>/dev/null | awk '/^rsa 2048/ {print "RSA-2048 " $6 " signs/s"}'); $(openssl speed -seconds 3 ecdsap256 2>/dev/null | awk '/256 bits ecdsa/ {print "P-256 " $7 " signs/s"}')"
now_ms() { date +%s%3N; }
for run in $(seq 1 "$RUNS"); do
  log=$(mktemp)
  t0=$(now_ms)
  bash -c "exec $(server_cmd RS256)" > "$log" 2>&1 &
  pid=$!
  until curl -sf "http://127.0.0.1:$MGMT_PORT/q/health/ready" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { echo "the server exited:"; tail -20 "$log"; exit 1; }
    [ $(( $(now_ms) - t0 )) -lt 60000 ] || { echo "not ready in 60 s"; kill "$pid"; exit 1; }
    sleep 0.02
  done
  ready=$(( $(now_ms) - t0 ))
  # CPU used by then: the whole process, and its busiest thread (the main thread, whose work a machine
  # with more cores cannot spread; the JIT compilers and GC run beside it there)
  hz=$(getconf CLK_TCK)
  cpu=$(awk -v hz="$hz" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$pid/stat")
  busiest=$(for t in /proc/$pid/task/*; do awk -v hz="$hz" '{print ($14 + $15) / hz}' "$t/stat" 2>/dev/null; done | sort -g | tail -1)
  started=$(grep -o 'started in [0-9.]*s' "$log" | head -1 | tr -dc '0-9.')
  echo "run $run: ready in $(awk "BEGIN {printf \"%.2f\", $ready / 1000}") s; Quarkus said started in ${started} s; CPU by then ${cpu} s, busiest thread ${busiest} s"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -f "$log"
done
