#!/usr/bin/env bash
# The gateway beside two C proxies, in one run (issue: Performance II). With a warm token, 1,000 APIs and
# 10,000 subscriptions registered, against one trivial Vert.x upstream:
#   portcullis  the gateway of the packaged jar (RS256 tokens; verified once, then served from its cache)
#   haproxy     HAProxy verifying the RS256 JWT on every request (jwt_verify against the signing key's PEM
#               from /auth/jwks, exp and aud), keep-alive to the upstream
#   nginx       nginx proxy_pass with keep-alive to the upstream, no authentication
#   direct      the upstream itself (the calibration)
# Every server is started side by side and warmed; then, per round and per connection count, the timed
# runs alternate (portcullis, haproxy, nginx, direct, …) so that drift on a shared host cancels in each
# adjacent pair. CPU per request is each proxy's own, from /proc (nginx: its workers).
# Usage: bench/gateway.sh     Env: WARMUP (60), DURATION (20), REPS (3), CONNS ("16 64"), PORT (18082), UPSTREAM_PORT (18090)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
UPSTREAM_PORT=${UPSTREAM_PORT:-18090} HAPROXY_PORT=${HAPROXY_PORT:-18091} NGINX_PORT=${NGINX_PORT:-18092}
WARMUP=${WARMUP:-60} DURATION=${DURATION:-20} REPS=${REPS:-3} CONNS=${CONNS:-16 64}
for tool in wrk haproxy nginx node; do
  if ! command -v $tool >/dev/null; then
    case $tool in
      wrk|haproxy) apt-get install -y -qq $tool >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq $tool >/dev/null; } ;;
      nginx) apt-get install -y -qq nginx-light >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq nginx-light >/dev/null; } ;;
      node) echo "node is needed to turn the signing key's JWK into PEM for HAProxy" >&2; exit 3 ;;
    esac
  fi
done
package_if_needed
fresh_registry RS256
WORK=$(mktemp -d)

java -cp "$ROOT/target/quarkus-app/lib/main/*" "$BENCH_DIR/TrivialUpstream.java" "$UPSTREAM_PORT" > "$WORK/upstream.log" 2>&1 &
UPSTREAM_PID=$!
setsid bash -c "exec $(server_cmd RS256)" > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
cleanup() {
  kill $UPSTREAM_PID 2>/dev/null; kill -- -$SERVER_PID 2>/dev/null || kill $SERVER_PID 2>/dev/null
  [ -f "$WORK/haproxy.pid" ] && kill "$(cat "$WORK/haproxy.pid")" 2>/dev/null
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$MGMT_PORT/q/health/ready" >/dev/null && curl -s -o /dev/null "http://127.0.0.1:$UPSTREAM_PORT/" && break; sleep 0.5; done
JPID=$(pgrep -f "quarkus-run.jar" | head -n 1)

TOKEN=$(curl -s -X POST -d "grant_type=client_credentials&client_id=bench-client-00001&client_secret=$BENCH_SECRET&scope=read" \
  "http://127.0.0.1:$PORT/auth/default/api/api-0001/token" | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
# the signing key HAProxy verifies with: the JWK of the token's kid, as PEM
curl -s "http://127.0.0.1:$PORT/auth/jwks" > "$WORK/jwks.json"
TOKEN="$TOKEN" node -e '
  const kid = JSON.parse(Buffer.from(process.env.TOKEN.split(".")[0], "base64url").toString()).kid;
  const jwk = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).keys.find(k => k.kid === kid);
  process.stdout.write(require("crypto").createPublicKey({key: jwk, format: "jwk"}).export({type: "spki", format: "pem"}));
' "$WORK/jwks.json" > "$WORK/signing-key.pem"

cat > "$WORK/haproxy.cfg" <<CFG
global
    nbthread 2
    maxconn 8192
    pidfile $WORK/haproxy.pid
defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    http-reuse always
frontend api
    bind 127.0.0.1:$HAPROXY_PORT
    http-request set-var(txn.bearer) http_auth_bearer
    http-request set-var(txn.alg) var(txn.bearer),jwt_header_query('\$.alg')
    http-request set-var(txn.now) date()
    http-request set-var(txn.exp) var(txn.bearer),jwt_payload_query('\$.exp','int')
    http-request deny deny_status 401 unless { var(txn.alg) -m str RS256 }
    http-request deny deny_status 401 unless { var(txn.bearer),jwt_verify(txn.alg,"$WORK/signing-key.pem") -m int 1 }
    http-request deny deny_status 401 if { var(txn.exp),sub(txn.now) -m int lt 0 }
    http-request deny deny_status 401 unless { var(txn.bearer),jwt_payload_query('\$.aud') -m str api-0001 }
    http-request set-path %[path,regsub(^/api-0001,)]
    default_backend upstream
backend upstream
    server u 127.0.0.1:$UPSTREAM_PORT
CFG
haproxy -D -f "$WORK/haproxy.cfg"
cat > "$WORK/nginx.conf" <<CFG
worker_processes 2;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $WORK/nginx-body;
    proxy_temp_path $WORK/nginx-proxy;
    upstream u { server 127.0.0.1:$UPSTREAM_PORT; keepalive 128; }
    server {
        listen 127.0.0.1:$NGINX_PORT;
        location /api-0001/ { proxy_pass http://u/; proxy_http_version 1.1; proxy_set_header Connection ""; }
    }
}
CFG
nginx -c "$WORK/nginx.conf" -p "$WORK"
for _ in $(seq 1 20); do [ -s "$WORK/nginx.pid" ] && [ -s "$WORK/haproxy.pid" ] && break; sleep 0.2; done

PATH_IN_API=/api-0001/items/1
declare -A URL=([portcullis]="http://127.0.0.1:$PORT$PATH_IN_API" [haproxy]="http://127.0.0.1:$HAPROXY_PORT$PATH_IN_API"
                [nginx]="http://127.0.0.1:$NGINX_PORT$PATH_IN_API" [direct]="http://127.0.0.1:$UPSTREAM_PORT/items/1")
for who in portcullis haproxy nginx direct; do
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "${URL[$who]}")" = 200 ] || { echo "$who: a request failed" >&2; exit 1; }
done
SIGNATURE=${TOKEN##*.}; FLIPPED=${SIGNATURE:0:10}$([ "${SIGNATURE:10:1}" = A ] && echo B || echo A)${SIGNATURE:11}
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer ${TOKEN%.*}.$FLIPPED" "${URL[haproxy]}")" = 401 ] \
  || { echo "haproxy accepted a token whose signature does not verify" >&2; exit 1; }

pids() {  # the processes whose CPU is one proxy's
  case $1 in
    portcullis) echo "$JPID" ;;
    haproxy) cat "$WORK/haproxy.pid" ;;
    nginx) pgrep -P "$(cat "$WORK/nginx.pid")" | tr '\n' ' ' ;;
    direct) ;;
  esac
}
run() {  # WHO CONNS SECONDS -> "requests/s cpu_ms p99_ms non2xx"
  BEARER="$TOKEN" PIDS="$(pids "$1")" timed_wrk "$2" "$3" "${URL[$1]}"
}

bench_log "warming up: ${WARMUP}s through Portcullis, 10s through each peer"
run portcullis 16 "$WARMUP" >/dev/null
run haproxy 16 10 >/dev/null
run nginx 16 10 >/dev/null

echo "## gateway beside HAProxy (JWT verified per request) and nginx (no auth), ${DURATION}s runs alternating, commit $(git -C "$ROOT" rev-parse --short HEAD)"
echo "calibration: $(openssl speed -seconds 3 ecdsap256 rsa2048 2>/dev/null | grep -E '^ *(rsa 2048|256 bits ecdsa)' | tr -s ' ' | tr '\n' ';')"
echo
echo "| round | conns | Portcullis req/s, CPU ms/req, p99 ms | HAProxy+JWT req/s, CPU ms/req, p99 ms | nginx req/s, CPU ms/req, p99 ms | direct req/s | CPU vs HAProxy | CPU vs nginx | req/s vs HAProxy | non-2xx |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for i in $(seq 1 "$REPS"); do
  for c in $CONNS; do
    read -r pr pc pp pe < <(run portcullis "$c" "$DURATION")
    read -r hr hc hp he < <(run haproxy "$c" "$DURATION")
    read -r nr nc np ne < <(run nginx "$c" "$DURATION")
    read -r dr _ _ de < <(run direct "$c" "$DURATION")
    awk -v i="$i" -v c="$c" -v pr="$pr" -v pc="$pc" -v pp="$pp" -v hr="$hr" -v hc="$hc" -v hp="$hp" -v nr="$nr" -v nc="$nc" -v np="$np" \
        -v dr="$dr" -v e="$((pe + he + ne + de))" \
        'BEGIN {printf "| %d | %d | %s, %s, %s | %s, %s, %s | %s, %s, %s | %s | %.2fx | %.2fx | %.2fx | %d |\n", i, c, pr, pc, pp, hr, hc, hp, nr, nc, np, dr, pc / hc, pc / nc, pr / hr, e}'
  done
done
echo
echo "RSS of Portcullis after the runs: $(awk '/VmRSS/ {printf "%.0f MiB", $2 / 1024}' "/proc/$JPID/status")"
