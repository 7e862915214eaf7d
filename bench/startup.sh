#!/usr/bin/env bash
# Startup of the packaged jar against the bench database (1,000 APIs, 10,000 subscriptions): from
# `java` launched to /q/health/ready answering 200, RUNS times, with the calibration of this run, the
# CPU the process had used by then, and its main thread's (work a machine with more cores cannot
# spread: the JIT compilers and the GC run beside it there).
# Usage: bench/startup.sh                      (lib.sh's options, the `java` on the PATH)
#        JAVA_BIN=/path/to/jdk-25/bin/java EXTRA_JAVA_OPTS='-XX:AOTCache=target/quarkus-app/app.aot -XX:AOTMode=on' bench/startup.sh
#        EXTRA_JAVA_OPTS='-XX:SharedArchiveFile=target/quarkus-app/app-cds.jsa -Xshare:on' bench/startup.sh   (JDK 17's AppCDS archive)
#        (AOTMode=on, -Xshare:on: a cache that does not match stops the run instead of being skipped with a warning)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
RUNS=${RUNS:-3}
package_if_needed
if ! psql -h "$PGHOST_ADDR" -U postgres -d "$DB" -Atc "select count(*) from api" >/dev/null 2>&1; then
  fresh_registry RS256
fi
echo "commit $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- src pom.xml || echo ' (with uncommitted changes)')"
echo "java: $("${JAVA_BIN:-java}" -version 2>&1 | head -1); options: $JAVA_OPTS ${EXTRA_JAVA_OPTS:-}"
echo "calibration: $(openssl speed -seconds 3 ecdsap256 rsa2048 2>/dev/null | grep -E '^ *(rsa 2048|256 bits ecdsa)' | tr -s ' ' | tr '\n' ';')"
now_ms() { date +%s%3N; }
hz=$(getconf CLK_TCK)
# utime + stime of a /proc stat line, in seconds; the fields are counted after the name, which may hold spaces
cpu_of() { sed -E 's/^.*\) //' "$1" | awk -v hz="$hz" '{printf "%.2f", ($12 + $13) / hz}'; }
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null || true' EXIT
for run in $(seq 1 "$RUNS"); do
  log=$(mktemp)
  t0=$(now_ms)
  bash -c "exec $(server_cmd RS256)" > "$log" 2>&1 &
  pid=$!
  until curl -sf "http://127.0.0.1:$MGMT_PORT/q/health/ready" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { echo "the server exited:"; tail -20 "$log"; exit 1; }
    [ $(( $(now_ms) - t0 )) -lt 60000 ] || { echo "not ready in 60 s"; exit 1; }
    sleep 0.02
  done
  ready=$(( $(now_ms) - t0 ))
  cpu=$(cpu_of "/proc/$pid/stat")
  # the main thread: the first of the process's threads named "java" after the launcher's own
  main=$(for t in /proc/$pid/task/*; do if [ "${t##*/}" != "$pid" ] && [ "$(cat "$t/comm")" = java ]; then echo "${t##*/}"; fi; done | sort -n | head -1)
  main_cpu=$([ -n "$main" ] && cpu_of "/proc/$pid/task/$main/stat" || echo "?")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  pid=
  started=$(grep -o 'started in [0-9.]*s' "$log" | head -1 | tr -dc '0-9.' || true)
  grep -q "AOT cache\|AOTCache" "$log" && grep -i "aot" "$log" | head -3
  echo "run $run: ready in $(awk "BEGIN {printf \"%.2f\", $ready / 1000}") s; Quarkus said started in ${started:-?} s; CPU by then ${cpu} s, main thread ${main_cpu} s"
  rm -f "$log"
done
