#!/usr/bin/env bash
# A bounded soak: mixed token and gateway traffic at about 70% of the measured maximum for
# SOAK_S seconds (default 600), in one-minute slices; prints per slice the requests, answers by status,
# p50/p99 latency and the server's RSS, so that flat latency and flat RSS can be read off.
# Usage: bench/soak.sh   Env: SOAK_S (600), SLICE_S (60), PORT (18082)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
SOAK_S=${SOAK_S:-600}; SLICE_S=${SLICE_S:-60}
UPSTREAM_PORT=${UPSTREAM_PORT:-18090}
package_if_needed
fresh_registry RS256
java -cp "$ROOT/target/quarkus-app/lib/main/*" "$BENCH_DIR/TrivialUpstream.java" "$UPSTREAM_PORT" > /tmp/portcullis-soak-upstream.log 2>&1 &
UPSTREAM=$!
bash -c "exec $(server_cmd RS256)" > /tmp/portcullis-soak-server.log 2>&1 &
SERVER=$!
trap 'kill $UPSTREAM $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$MGMT_PORT/q/health/ready" >/dev/null && break; sleep 0.5; done
JPID=$(pgrep -f "quarkus-run.jar" | head -n 1)
URL=http://127.0.0.1:$PORT
export TOKEN_CLIENT_ID=bench-client-00001 TOKEN_CLIENT_SECRET=$BENCH_SECRET
export BEARER=$(curl -s -X POST -d "grant_type=client_credentials&client_id=bench-client-00001&client_secret=$BENCH_SECRET" "$URL/auth/default/api/api-0001/token" | sed -E 's/.*"access_token":"([^"]+)".*/\1/')

# the maximum: 20 s of tokens alone, after a 60 s warm-up (JIT)
REQUEST=token wrk -t2 -c16 -d60s -s "$BENCH_DIR/status.lua" "$URL/auth/default/api/api-0001/token" >/dev/null
max=$(REQUEST=token wrk -t2 -c16 -d20s -s "$BENCH_DIR/status.lua" "$URL/auth/default/api/api-0001/token" | awk '/Requests\/sec/ {print int($2)}')
# 70% of it, as tokens (8 connections) plus gateway requests (8), each connection paced by a delay
target=$(( max * 70 / 100 ))
delay=$(( 16 * 1000 / target )); [ "$delay" -ge 1 ] || delay=1
echo "maximum ${max} tokens/s; soak at ~${target} requests/s (half tokens, half gateway): ${delay} ms between requests per connection"
export DELAY_MS=$delay
for ((slice = 1; slice * SLICE_S <= SOAK_S; slice++)); do
  REQUEST=token wrk -t1 -c8 -d${SLICE_S}s -s "$BENCH_DIR/status.lua" "$URL/auth/default/api/api-0001/token" > /tmp/portcullis-soak-t.txt 2>&1 &
  TOKENS=$!
  REQUEST=gateway wrk -t1 -c8 -d${SLICE_S}s -s "$BENCH_DIR/status.lua" "$URL/api-0001/items" > /tmp/portcullis-soak-g.txt 2>&1
  wait $TOKENS
  rss=$(awk '/VmRSS/ {printf "%d", $2 / 1024}' "/proc/$JPID/status")
  printf 'minute %2d  tokens: %s\n           gateway: %s  rss_mb=%s\n' "$slice" \
      "$(grep STATUS /tmp/portcullis-soak-t.txt | sed 's/STATUS //')" "$(grep STATUS /tmp/portcullis-soak-g.txt | sed 's/STATUS //')" "$rss"
done
