#!/usr/bin/env bash
# The alternating runs of bench/compare.sh, started by the peers' harness once oidc-provider is up (its
# AFTER_SETUP): Portcullis and the peer, warmed, then PAIRS pairs of timed runs, and one table.
set -euo pipefail
. "$BENCH_DIR/lib.sh"
PEER_PID=$(pgrep -f "node server.mjs" | head -n 1)
PEER_FORM="grant_type=client_credentials&client_id=$CLIENT_ID&client_secret=$CLIENT_SECRET&scope=$SCOPE"
run() {  # PID URL FORM SECONDS -> "tokens/s cpu_ms/token p99 non200"
  FORM="$3" REQUEST=token PIDS="$1" OK='^200$' timed_wrk "$CONNS" "$4" "$2"
}
for form_url in "$PORTCULLIS_FORM $PORTCULLIS_URL" "$PEER_FORM $TOKEN_URL"; do
  set -- $form_url
  curl -s -X POST -d "$1" "$2" | grep -q access_token || { echo "a token request failed before the runs: $2" >&2; exit 1; }
done
echo "[$(date +%H:%M:%S)] warming up both servers, ${WARMUP}s each" >&2
run "$PORTCULLIS_PID" "$PORTCULLIS_URL" "$PORTCULLIS_FORM" "$WARMUP" >/dev/null
run "$PEER_PID" "$TOKEN_URL" "$PEER_FORM" "$WARMUP" >/dev/null
echo "## token issuance, $ALG, client_secret_post, Portcullis and oidc-provider $(node -p 'require("'"${PEERBENCH_WORK:-${TMPDIR:-/tmp}/peerbench}"'/oidc-provider/node_modules/oidc-provider/package.json").version' 2>/dev/null) alternating, $CONNS connections, ${DURATION}s runs, commit $(git -C "$ROOT" rev-parse --short HEAD)"
echo "calibration: $(openssl speed -seconds 3 ecdsap256 rsa2048 2>/dev/null | grep -E '^ *(rsa 2048|256 bits ecdsa)' | tr -s ' ' | tr '\n' ';')"
echo
echo "| pair | Portcullis tokens/s | CPU ms/token | p99 ms | oidc-provider tokens/s | CPU ms/token | p99 ms | CPU ratio | tokens/s ratio | non-200 |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for i in $(seq 1 "$PAIRS"); do
  read -r pt pc pp pe < <(run "$PORTCULLIS_PID" "$PORTCULLIS_URL" "$PORTCULLIS_FORM" "$DURATION")
  read -r ot oc op oe < <(run "$PEER_PID" "$TOKEN_URL" "$PEER_FORM" "$DURATION")
  awk -v i="$i" -v pt="$pt" -v pc="$pc" -v pp="$pp" -v ot="$ot" -v oc="$oc" -v op="$op" -v e="$((pe + oe))" \
    'BEGIN {printf "| %d | %s | %s | %s | %s | %s | %s | %.2fx | %.2fx | %d |\n", i, pt, pc, pp, ot, oc, op, pc / oc, pt / ot, e}'
done
echo
echo "RSS after the runs: Portcullis $(awk '/VmRSS/ {printf "%.0f MiB", $2 / 1024}' "/proc/$PORTCULLIS_PID/status"), oidc-provider $(awk '/VmRSS/ {printf "%.0f MiB", $2 / 1024}' "/proc/$PEER_PID/status")"
