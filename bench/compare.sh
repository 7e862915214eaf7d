#!/usr/bin/env bash
# Token issuance, Portcullis beside node oidc-provider, interleaved (issue: Performance II): both servers
# run side by side (Portcullis's packaged jar on 18082, oidc-provider on 18081, from the peers' harness in
# ../shared/bench/peers), both are warmed, then the timed runs alternate, Portcullis, oidc-provider,
# Portcullis, …, and each adjacent pair gives a ratio: drift on a shared host cancels within a pair.
# client_secret_post, the same scope, 16 connections; CPU per token of each server from /proc.
# Usage: bench/compare.sh [ALG]  (ES256 default, or RS256)   Env: PAIRS (4), DURATION (20), WARMUP (60), CONNS (16)
# bench/compare-all.sh measures every peer (Keycloak, Spring Authorization Server too), one after the other.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ALG=${1:-ES256}
PAIRS=${PAIRS:-4} DURATION=${DURATION:-20} WARMUP=${WARMUP:-60} CONNS=${CONNS:-16}
[ -n "$PEERS" ] || { echo "the peers' harness is missing: set PEERS to its directory" >&2; exit 2; }
package_if_needed
fresh_registry "$ALG"
setsid bash -c "exec $(server_cmd "$ALG")" > /tmp/portcullis-compare-server.log 2>&1 &
SERVER_PID=$!
trap 'kill -- -$SERVER_PID 2>/dev/null || kill $SERVER_PID 2>/dev/null' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$MGMT_PORT/q/health/ready" >/dev/null && break; sleep 0.5; done
export PORTCULLIS_PID=$(pgrep -f "quarkus-run.jar" | head -n 1)
export PORTCULLIS_URL="http://127.0.0.1:$PORT/auth/default/api/api-0001/token"
export PORTCULLIS_FORM="grant_type=client_credentials&client_id=bench-client-00001&client_secret=$BENCH_SECRET&scope=read"
export ALG PAIRS DURATION WARMUP CONNS BENCH_DIR ROOT
# the harness starts oidc-provider, configures it and runs this with ISSUER, TOKEN_URL, CLIENT_ID, CLIENT_SECRET and SCOPE
SIGN_ALG=$ALG SKIP_BENCH=1 AFTER_SETUP="bash $BENCH_DIR/compare-pairs.sh" "$PEERS/run-oidc-provider.sh" 2>/tmp/portcullis-compare-peer.log
