#!/usr/bin/env bash
# Gateway benchmark of the packaged jar: requests with a warm token through the gateway to a trivial
# upstream, and the same upstream direct, in one run. Registry: 1,000 APIs, 10,000 subscriptions.
# Usage: bench/gateway.sh     Env: WARMUP (150), DURATION (20), CONNS ("16 64"), PORT (18082), UPSTREAM_PORT (18090)
# Prints, per run: requests/s, p50/p99 latency, non-2xx count, and (gateway) server CPU ms per request.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
UPSTREAM_PORT=${UPSTREAM_PORT:-18090}
WARMUP=${WARMUP:-150}; DURATION=${DURATION:-20}; CONNS=${CONNS:-16 64}
package_if_needed
fresh_registry RS256

java -cp "$ROOT/target/quarkus-app/lib/main/*" "$BENCH_DIR/TrivialUpstream.java" "$UPSTREAM_PORT" > /tmp/portcullis-bench-upstream.log 2>&1 &
UPSTREAM_PID=$!
setsid bash -c "exec $(server_cmd RS256)" > /tmp/portcullis-bench-server.log 2>&1 &
SERVER_PID=$!
trap 'kill $UPSTREAM_PID 2>/dev/null; kill -- -$SERVER_PID 2>/dev/null || kill $SERVER_PID 2>/dev/null' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$MGMT_PORT/q/health/ready" >/dev/null && curl -s -o /dev/null "http://127.0.0.1:$UPSTREAM_PORT/" && break; sleep 0.5; done
JPID=$(pgrep -f "quarkus-run.jar" | head -n 1)

TOKEN=$(curl -s -X POST -d "grant_type=client_credentials&client_id=bench-client-00001&client_secret=$BENCH_SECRET&scope=read" \
  "http://127.0.0.1:$PORT/auth/default/api/api-0001/token" | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
GATEWAY_URL="http://127.0.0.1:$PORT/api-0001/items/1"
DIRECT_URL="http://127.0.0.1:$UPSTREAM_PORT/items/1"
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$GATEWAY_URL")" = 200 ] || { echo "gateway request failed" >&2; exit 1; }

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
run() {  # NAME URL CONN
  local c0 c1 out rps p50 p99 non2xx reqs
  c0=$(cpu_ticks "$JPID")
  out=$(wrk -t2 -c"$3" -d"${DURATION}s" --latency -H "Authorization: Bearer $TOKEN" "$2")
  c1=$(cpu_ticks "$JPID")
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  reqs=$(echo "$out" | awk '/requests in/ {print $1}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $5}')
  local cpu="-"
  [ "$1" = gateway ] && cpu=$(awk -v c=$((c1 - c0)) -v hz="$(getconf CLK_TCK)" -v r="$reqs" 'BEGIN{printf "%.3f", 1000*c/hz/r}')
  printf '%-8s c=%-3s requests/s=%-9s p50=%-9s p99=%-9s non2xx=%-4s server_cpu_ms/req=%s\n' "$1" "$3" "$rps" "$p50" "$p99" "${non2xx:-0}" "$cpu"
}

bench_log "warm-up ${WARMUP}s through the gateway"
wrk -t2 -c16 -d"${WARMUP}s" -H "Authorization: Bearer $TOKEN" "$GATEWAY_URL" >/dev/null
for c in $CONNS; do
  run gateway "$GATEWAY_URL" "$c"
  run direct "$DIRECT_URL" "$c"
done
