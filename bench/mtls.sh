#!/usr/bin/env bash
# Mutual TLS (RFC 8705, docs/mtls.md): what a token and a gateway request cost over plain HTTP, over TLS
# and over TLS with a client certificate, on one warm packaged server, measured in one run with the
# runs interleaved (plain, TLS, mTLS, plain, …) so that drift on a shared host cancels.
# wrk cannot present a client certificate, so HAProxy originates the TLS: wrk -> HAProxy (plain, one
# front per mode) -> Portcullis (:8080 plain, or its TLS listener with or without HAProxy's client
# certificate), HAProxy keeping its connections to Portcullis alive. The server CPU per request is
# Portcullis's own, from /proc. First it checks the HAProxy TLS-termination settings of docs/mtls.md:
# a Client-Cert header from a trusted proxy.
# Usage: bench/mtls.sh [ALG]   (ES256 default)   Env: WARMUP (40), DURATION (20), REPS (3), CONNS (16)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ALG=${1:-ES256}
WARMUP=${WARMUP:-40} DURATION=${DURATION:-20} REPS=${REPS:-3} CONNS=${CONNS:-16}
TLS_PORT=$((PORT + 2)) PLAIN_FRONT=$((PORT + 10)) TLS_FRONT=$((PORT + 11)) MTLS_FRONT=$((PORT + 12)) TERMINATING_FRONT=$((PORT + 13))
UPSTREAM_PORT=${UPSTREAM_PORT:-18090}
for tool in wrk haproxy openssl; do command -v $tool >/dev/null || { echo "$tool not installed (apt-get install wrk haproxy)" >&2; exit 3; }; done
package_if_needed
fresh_registry "$ALG"

# certificates: a CA, Portcullis's server certificate, and the bench client's certificate
CERTS=$(mktemp -d)
(cd "$CERTS"
 openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem -days 2 -subj "/CN=Bench CA" 2>/dev/null
 openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout server.key -out server.csr -subj "/CN=127.0.0.1" 2>/dev/null
 printf 'subjectAltName=IP:127.0.0.1\n' > server.ext
 openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile server.ext -out server.pem 2>/dev/null
 openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout client.key -out client.csr -subj "/O=Bench/CN=bench-client" 2>/dev/null
 openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -out client.pem 2>/dev/null
 cat client.pem client.key > client-bundle.pem
 cat server.pem server.key > server-bundle.pem)
psql -h "$PGHOST_ADDR" -U postgres -d "$DB" -q -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
update subscription set tls_client_auth_method = 'tls_client_auth', tls_client_auth_field = 'subject_dn',
    tls_client_auth_value = 'CN=bench-client,O=Bench' where client_id = 'bench-client-00001';
SQL

java -cp "$ROOT/target/quarkus-app/lib/main/*" "$BENCH_DIR/TrivialUpstream.java" "$UPSTREAM_PORT" > /tmp/portcullis-bench-upstream.log 2>&1 &
UPSTREAM_PID=$!
LOG=$(mktemp)
setsid bash -c "exec env QUARKUS_TLS_KEY_STORE_PEM_MAIN_CERT=$CERTS/server.pem QUARKUS_TLS_KEY_STORE_PEM_MAIN_KEY=$CERTS/server.key \
QUARKUS_HTTP_SSL_PORT=$TLS_PORT PORTCULLIS_MTLS_TRUST_ANCHORS=$CERTS/ca.pem PORTCULLIS_MTLS_TRUSTED_PROXIES=127.0.0.2 \
$(server_cmd "$ALG")" > "$LOG" 2>&1 &
PID=$!
cat > "$CERTS/haproxy.cfg" <<CFG
global
    maxconn 4096
    pidfile $CERTS/haproxy.pid
defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    http-reuse always
frontend plain
    bind 127.0.0.1:$PLAIN_FRONT
    default_backend plain
frontend tls
    bind 127.0.0.1:$TLS_FRONT
    default_backend tls
frontend mtls
    bind 127.0.0.1:$MTLS_FRONT
    default_backend mtls
# docs/mtls.md's TLS-terminating settings, sending Client-Cert to Portcullis's plain port from 127.0.0.2
frontend terminating
    bind 127.0.0.1:$TERMINATING_FRONT ssl crt $CERTS/server-bundle.pem verify optional ca-file $CERTS/ca.pem ca-ignore-err all crt-ignore-err all
    http-request del-header Client-Cert
    http-request del-header Client-Cert-Chain
    http-request set-header Client-Cert :%[ssl_c_der,base64]: if { ssl_c_used }
    default_backend from-trusted-proxy
backend plain
    server p 127.0.0.1:$PORT
backend tls
    server p 127.0.0.1:$TLS_PORT ssl verify none
backend mtls
    server p 127.0.0.1:$TLS_PORT ssl verify none crt $CERTS/client-bundle.pem
backend from-trusted-proxy
    server p 127.0.0.1:$PORT source 127.0.0.2
CFG
haproxy -D -f "$CERTS/haproxy.cfg"
trap 'kill $UPSTREAM_PID 2>/dev/null; kill -- -$PID 2>/dev/null || kill $PID 2>/dev/null; kill $(cat "$CERTS/haproxy.pid") 2>/dev/null; rm -rf "$CERTS" "$LOG"' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$MGMT_PORT/q/health/ready" >/dev/null && break; sleep 0.5; done
JPID=$(pgrep -f "quarkus-run.jar" | head -n 1)

TOKEN_PATH=/auth/default/api/api-0001/token
SECRET_FORM="grant_type=client_credentials&client_id=bench-client-00001&client_secret=$BENCH_SECRET&scope=read"
CERT_FORM="grant_type=client_credentials&client_id=bench-client-00001&scope=read"
token_from() { curl -s -X POST -d "$2" "http://127.0.0.1:$1$TOKEN_PATH" | sed -E 's/.*"access_token":"([^"]+)".*/\1/'; }
status() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
fail() { echo "check failed: $*" >&2; tail -20 "$LOG" >&2; exit 1; }

# the checks: tls_client_auth through HAProxy's TLS listener, and through the terminating proxy's Client-Cert
BOUND=$(token_from "$MTLS_FRONT" "$CERT_FORM")
[ "${#BOUND}" -gt 100 ] || fail "tls_client_auth over mTLS gave no token"
UNBOUND=$(token_from "$PLAIN_FRONT" "$SECRET_FORM")
GATEWAY=/api-0001/items/1
[ "$(status -H "Authorization: Bearer $BOUND" "http://127.0.0.1:$MTLS_FRONT$GATEWAY")" = 200 ] || fail "a bound token with its certificate"
[ "$(status -H "Authorization: Bearer $BOUND" "http://127.0.0.1:$TLS_FRONT$GATEWAY")" = 401 ] || fail "a bound token without its certificate"
[ "$(status -H "Authorization: Bearer $UNBOUND" "http://127.0.0.1:$TLS_FRONT$GATEWAY")" = 200 ] || fail "an unbound token over TLS"
PROXIED=$(curl -s --cacert "$CERTS/ca.pem" --cert "$CERTS/client.pem" --key "$CERTS/client.key" -X POST -d "$CERT_FORM" \
  "https://127.0.0.1:$TERMINATING_FRONT$TOKEN_PATH" | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
[ "${#PROXIED}" -gt 100 ] || fail "tls_client_auth through the terminating proxy's Client-Cert"
[ "$(status --cacert "$CERTS/ca.pem" --cert "$CERTS/client.pem" --key "$CERTS/client.key" -H "Authorization: Bearer $PROXIED" \
  "https://127.0.0.1:$TERMINATING_FRONT$GATEWAY")" = 200 ] || fail "a bound token through the terminating proxy"
[ "$(status --cacert "$CERTS/ca.pem" -H "Authorization: Bearer $PROXIED" "https://127.0.0.1:$TERMINATING_FRONT$GATEWAY")" = 401 ] \
  || fail "a bound token through the terminating proxy without the certificate"
[ "$(status -H "Authorization: Bearer $PROXIED" -H "Client-Cert: :$(openssl x509 -in "$CERTS/client.pem" -outform DER | base64 -w0):" \
  "http://127.0.0.1:$PORT$GATEWAY")" = 401 ] || fail "Client-Cert from an untrusted address"
bench_log "checks passed: tls_client_auth and bound tokens over TLS and through HAProxy's Client-Cert (docs/mtls.md)"

run() {  # NAME URL SECONDS [FORM] -> "NAME requests/s cpu_ms/request p99 non2xx"
  if [ -n "${4:-}" ]; then
    echo "$1 $(FORM="$4" REQUEST=token PIDS=$JPID timed_wrk "$CONNS" "$3" "$2")"
  else
    echo "$1 $(BEARER="$BEARER" PIDS=$JPID timed_wrk "$CONNS" "$3" "$2")"
  fi
}
upstream_run() {  # the upstream direct, for calibration
  wrk -t2 -c"$CONNS" -d"${DURATION}s" "http://127.0.0.1:$UPSTREAM_PORT/items/1" | awk '/Requests\/sec/ {printf "%.0f", $2}'
}

bench_log "warming up every path, ${WARMUP}s each"
for mode in PLAIN TLS MTLS; do
  front_var=${mode}_FRONT
  form=$SECRET_FORM; [ $mode = MTLS ] && form=$CERT_FORM
  run warm "http://127.0.0.1:${!front_var}$TOKEN_PATH" "$WARMUP" "$form" >/dev/null
  BEARER=$UNBOUND; [ $mode = MTLS ] && BEARER=$BOUND
  run warm "http://127.0.0.1:${!front_var}$GATEWAY" "$WARMUP" >/dev/null
done

echo "## mutual TLS, $ALG, $CONNS connections through HAProxy, ${DURATION}s runs interleaved, commit $(git -C "$ROOT" rev-parse --short HEAD)"
echo "calibration: $(openssl speed -seconds 3 ecdsap256 rsa2048 2>/dev/null | grep -E '^ *(rsa 2048|256 bits ecdsa)' | tr -s ' ' | tr '\n' ';')"
echo "calibration: the upstream direct, $CONNS connections: $(upstream_run) requests/s"
echo
echo "| round | what | plain HTTP (secret) | TLS (secret) | mTLS (tls_client_auth / bound token) | non-2xx |"
echo "|---|---|---|---|---|---|"
for i in $(seq 1 "$REPS"); do
  read -r _ pt pc pp pe < <(run plain "http://127.0.0.1:$PLAIN_FRONT$TOKEN_PATH" "$DURATION" "$SECRET_FORM")
  read -r _ tt tc tp te < <(run tls "http://127.0.0.1:$TLS_FRONT$TOKEN_PATH" "$DURATION" "$SECRET_FORM")
  read -r _ mt mc mp me < <(run mtls "http://127.0.0.1:$MTLS_FRONT$TOKEN_PATH" "$DURATION" "$CERT_FORM")
  echo "| $i | token: tokens/s, CPU ms/token, p99 ms | $pt, $pc, $pp | $tt, $tc, $tp | $mt, $mc, $mp | $((pe + te + me)) |"
  BEARER=$UNBOUND; read -r _ pt pc pp pe < <(run plain "http://127.0.0.1:$PLAIN_FRONT$GATEWAY" "$DURATION")
  read -r _ tt tc tp te < <(run tls "http://127.0.0.1:$TLS_FRONT$GATEWAY" "$DURATION")
  BEARER=$BOUND; read -r _ mt mc mp me < <(run mtls "http://127.0.0.1:$MTLS_FRONT$GATEWAY" "$DURATION")
  echo "| $i | gateway: requests/s, CPU ms/request, p99 ms | $pt, $pc, $pp | $tt, $tc, $tp | $mt, $mc, $mp | $((pe + te + me)) |"
done
