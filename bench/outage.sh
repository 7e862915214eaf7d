#!/usr/bin/env bash
# PostgreSQL stopped under load, then started again. Load: token requests of a cached client
# and gateway requests with a warm token; a probe asks for tokens of a client never seen before
# (which needs the database) every 200 ms. Prints requests sent, answers by status, the probe's
# answers during and after the outage, the recovery time, and audit records lost.
# Usage: bench/outage.sh   Env: OUTAGE_S (10), BEFORE_S (10), AFTER_S (15), PORT (18082)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
OUTAGE_S=${OUTAGE_S:-10}; BEFORE_S=${BEFORE_S:-10}; AFTER_S=${AFTER_S:-15}
UPSTREAM_PORT=${UPSTREAM_PORT:-18090}
PGVER=$(ls /etc/postgresql | sort -V | tail -n 1)
package_if_needed
fresh_registry RS256
java -cp "$ROOT/target/quarkus-app/lib/main/*" "$BENCH_DIR/TrivialUpstream.java" "$UPSTREAM_PORT" > /tmp/portcullis-outage-upstream.log 2>&1 &
UPSTREAM=$!
bash -c "exec $(server_cmd RS256)" > /tmp/portcullis-outage-server.log 2>&1 &
SERVER=$!
cleanup() { pg_ctlcluster --skip-systemctl-redirect "$PGVER" main start 2>/dev/null || true; kill $UPSTREAM $SERVER 2>/dev/null || true; }
trap cleanup EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$MGMT_PORT/q/health/ready" >/dev/null && break; sleep 0.5; done
URL=http://127.0.0.1:$PORT
token() {  # SUBSCRIPTION_NUMBER: its client id and the API it is subscribed to (seed.sql)
  local api; api=$(printf 'api-%04d' $(( ($1 - 1) % 1000 + 1 )))
  curl -s -o /dev/null -w '%{http_code}' -X POST -d "grant_type=client_credentials&client_id=$(printf 'bench-client-%05d' "$1")&client_secret=$BENCH_SECRET" "$URL/auth/default/api/$api/token"
}
BEARER=$(curl -s -X POST -d "grant_type=client_credentials&client_id=bench-client-00001&client_secret=$BENCH_SECRET" "$URL/auth/default/api/api-0001/token" | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
export BEARER TOKEN_CLIENT_ID=bench-client-00001 TOKEN_CLIENT_SECRET=$BENCH_SECRET DELAY_MS=2
DURATION=$((BEFORE_S + OUTAGE_S + AFTER_S))
REQUEST=token wrk -t1 -c4 -d${DURATION}s -s "$BENCH_DIR/status.lua" "$URL/auth/default/api/api-0001/token" > /tmp/portcullis-outage-token.txt 2>&1 &
W1=$!
REQUEST=gateway wrk -t1 -c4 -d${DURATION}s -s "$BENCH_DIR/status.lua" "$URL/api-0001/items" > /tmp/portcullis-outage-gateway.txt 2>&1 &
W2=$!
probe=1001; probes=0; t0=$(date +%s%3N); stopped=0; started=0; recovered=""; during=""; after=""
ready_during=""
while kill -0 $W1 2>/dev/null; do
  now=$(( $(date +%s%3N) - t0 ))
  if [ $stopped = 0 ] && [ $now -ge $((BEFORE_S * 1000)) ]; then
    pg_ctlcluster --skip-systemctl-redirect "$PGVER" main stop -m fast; stopped=$now; echo "[$now ms] PostgreSQL stopped"
  fi
  if [ $stopped != 0 ] && [ $started = 0 ] && [ $now -ge $(( (BEFORE_S + OUTAGE_S) * 1000)) ]; then
    pg_ctlcluster --skip-systemctl-redirect "$PGVER" main start; started=$(( $(date +%s%3N) - t0 )); echo "[$started ms] PostgreSQL started"
  fi
  code=$(token "$probe"); probe=$((probe + 1)); probes=$((probes + 1))
  if [ $stopped != 0 ] && [ $started = 0 ]; then
    during="$during $code"
    [ -z "$ready_during" ] && ready_during=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$MGMT_PORT/q/health/ready")
  elif [ $started != 0 ]; then
    after="$after $code"
    if [ -z "$recovered" ] && [ "$code" = 200 ]; then recovered=$(( $(date +%s%3N) - t0 - started )); fi
  fi
  sleep 0.2
done
wait $W2 || true
sleep 2
summary() { echo "$1" | tr ' ' '\n' | grep -v '^$' | sort | uniq -c | awk '{printf "%s=%s ", $2, $1}'; }
echo "token load:   $(grep STATUS /tmp/portcullis-outage-token.txt | sed 's/STATUS //')"
echo "gateway load: $(grep STATUS /tmp/portcullis-outage-gateway.txt | sed 's/STATUS //')"
echo "probe (new clients) during the outage: $(summary "$during") readiness=$ready_during"
echo "probe after PostgreSQL returned: $(summary "$after")"
echo "recovery: first new-client token ${recovered:-never} ms after PostgreSQL started; readiness now $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$MGMT_PORT/q/health/ready")"
sent_tokens=$(grep STATUS /tmp/portcullis-outage-token.txt | sed -E 's/.*requests=([0-9]+).*/\1/')
kill -TERM $SERVER; wait $SERVER 2>/dev/null || true
audited=$(psql -h "$PGHOST_ADDR" -U postgres -d "$DB" -Atc "select count(*) from audit_event where kind = 'token'")
echo "audit: token requests answered $((sent_tokens + probes)) (wrk $sent_tokens + probe $probes), audit records $audited, lost $(( sent_tokens + probes > audited ? sent_tokens + probes - audited : 0 ))"
