#!/usr/bin/env bash
# The gateway with portcullis.limits.store=local beside store=redis, one server each on one registry and
# the same trivial upstream, runs interleaved (local, redis, local, …), with a plan rate limit on the
# measured subscription (set high enough never to refuse: the cost measured is the counting). Then a
# Redis outage mid-run (CLIENT PAUSE) on the redis server: its answers, counted by status.
# Usage: bench/limits.sh    Env: WARMUP (60), DURATION (20), REPS (3), CONNS (64), PORT (18082), UPSTREAM_PORT (18090)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
UPSTREAM_PORT=${UPSTREAM_PORT:-18090}
WARMUP=${WARMUP:-60}; DURATION=${DURATION:-20}; REPS=${REPS:-3}; CONNS=${CONNS:-64}
command -v wrk >/dev/null || { echo "wrk not installed (apt-get install wrk)" >&2; exit 3; }
redis-cli -h 127.0.0.1 -p 6379 -n 7 flushdb >/dev/null || { echo "no Redis on 127.0.0.1:6379" >&2; exit 3; }
package_if_needed
fresh_registry RS256
psql -h "$PGHOST_ADDR" -U postgres -d "$DB" -qc "update plan set rate_limit_per_minute = 1000000000 where id = 'basic'" >/dev/null

LOCAL_PORT=$PORT; REDIS_PORT=$((PORT + 1))
java -cp "$ROOT/target/quarkus-app/lib/main/*" "$BENCH_DIR/TrivialUpstream.java" "$UPSTREAM_PORT" > /tmp/portcullis-bench-upstream.log 2>&1 &
UPSTREAM_PID=$!
setsid bash -c "exec $(PORT=$LOCAL_PORT MGMT_PORT=$((LOCAL_PORT + 1000)) server_cmd RS256)" > /tmp/portcullis-bench-local.log 2>&1 &
LOCAL_PID=$!
setsid bash -c "exec env PORTCULLIS_LIMITS_STORE=redis PORTCULLIS_LIMITS_REDIS_URL=redis://127.0.0.1:6379/7 \
  $(PORT=$REDIS_PORT MGMT_PORT=$((REDIS_PORT + 1000)) server_cmd RS256)" > /tmp/portcullis-bench-redis.log 2>&1 &
REDIS_PID=$!
trap 'kill $UPSTREAM_PID 2>/dev/null; kill $LOCAL_PID $REDIS_PID 2>/dev/null || true' EXIT
for p in $LOCAL_PORT $REDIS_PORT; do
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$((p + 1000))/q/health/ready" >/dev/null && break; sleep 0.5; done
done
# each server's public URL is its own (server_cmd), so each issues the token its gateway checks
token() { curl -s -X POST -d "grant_type=client_credentials&client_id=bench-client-00001&client_secret=$BENCH_SECRET&scope=read" \
  "http://127.0.0.1:$1/auth/default/api/api-0001/token" | sed -E 's/.*"access_token":"([^"]+)".*/\1/'; }
declare -A TOKENS=([$LOCAL_PORT]=$(token $LOCAL_PORT) [$REDIS_PORT]=$(token $REDIS_PORT))
for p in $LOCAL_PORT $REDIS_PORT; do
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer ${TOKENS[$p]}" "http://127.0.0.1:$p/api-0001/items/1")" = 200 ] \
    || { echo "gateway request failed at :$p" >&2; exit 1; }
done

run() {  # NAME PORT PID SECONDS -> NAME requests/s cpu_ms/req p99 non2xx
  echo "$1 $(BEARER="${TOKENS[$2]}" PIDS="$3" timed_wrk "$CONNS" "$4" "http://127.0.0.1:$2/api-0001/items/1")"
}
bench_log "warming up both servers, ${WARMUP}s each"
run warm $LOCAL_PORT $LOCAL_PID "$WARMUP" >/dev/null
run warm $REDIS_PORT $REDIS_PID "$WARMUP" >/dev/null

echo "## gateway, plan rate limit counted with store=local and store=redis, $CONNS connections, ${DURATION}s runs, commit $(git -C "$ROOT" rev-parse --short HEAD)"
echo "calibration (the upstream direct): $(wrk -t2 -c"$CONNS" -d10s "http://127.0.0.1:$UPSTREAM_PORT/items/1" | awk '/Requests\/sec/ {print $2}') requests/s"
echo "| pair | local requests/s | local CPU ms/req | local p99 | redis requests/s | redis CPU ms/req | redis p99 | CPU ratio | non-2xx |"
echo "|---|---|---|---|---|---|---|---|---|"
for i in $(seq 1 "$REPS"); do
  read -r _ lr lc lp le < <(run local $LOCAL_PORT $LOCAL_PID "$DURATION")
  read -r _ rr rc rp re < <(run redis $REDIS_PORT $REDIS_PID "$DURATION")
  awk -v i="$i" -v lr="$lr" -v lc="$lc" -v lp="$lp" -v rr="$rr" -v rc="$rc" -v rp="$rp" -v e="$((le + re))" \
    'BEGIN {printf "| %d | %s | %s | %s | %s | %s | %s | %.2fx | %d |\n", i, lr, lc, lp, rr, rc, rp, rc / lc, e}'
done

# Redis stops answering for 8 s in the middle of a 20 s run: every request is still answered
fallbacks() { curl -s "http://127.0.0.1:$((REDIS_PORT + 1000))/q/metrics" | awk '/^portcullis_limits_redis_fallbacks_total/ {print $2}'; }
f0=$(fallbacks)
( sleep 6; redis-cli -h 127.0.0.1 -p 6379 client pause 8000 all >/dev/null ) &
PAUSE_PID=$!
out=$(wrk -t2 -c"$CONNS" -d20s --latency -H "Authorization: Bearer ${TOKENS[$REDIS_PORT]}" "http://127.0.0.1:$REDIS_PORT/api-0001/items/1")
wait $PAUSE_PID
echo "Redis paused 8 s of a 20 s run (store=redis): $(echo "$out" | awk '/requests in/ {print $1}') requests, non-2xx $(echo "$out" | awk '/Non-2xx/ {print $5}' | grep . || echo 0), socket errors $(echo "$out" | awk '/Socket errors/ {print $0}' | grep . || echo none), p99 $(echo "$out" | awk '$1 == "99%" {print $2}'), counts made locally $(awk -v a="$f0" -v b="$(fallbacks)" 'BEGIN {print b - a}')"
