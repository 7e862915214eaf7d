#!/usr/bin/env bash
# The CPU a token costs when a workload presents its platform's JWT (federated identity, docs/federation.md)
# beside the same token for client_secret_post, on one warm server, the runs interleaved (secret,
# federated, secret, …) so that drift on a shared host cancels in each adjacent pair.
# Usage: bench/federation.sh [ALG]   (ES256 default, or RS256)
# Env: WARMUP (60), DURATION (20), REPS (3), CONNS (16), PORT (18082)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ALG=${1:-ES256}
WARMUP=${WARMUP:-60} DURATION=${DURATION:-20} REPS=${REPS:-3} CONNS=${CONNS:-16}
command -v wrk >/dev/null || { echo "wrk not installed (apt-get install wrk)" >&2; exit 3; }
package_if_needed
fresh_registry "$ALG"

# a platform of our own: its key, trusted inline; bench-client-00001's subscription is its workload's
export PORTCULLIS_WORKLOAD_KEY=$(mktemp -u)
JWKS=$(java "$ROOT/tools/WorkloadToken.java" jwks)
psql -h "$PGHOST_ADDR" -U postgres -d "$DB" -q -v ON_ERROR_STOP=1 -v jwks="$JWKS" >/dev/null <<'SQL'
insert into trusted_issuer (id, issuer, jwks) values ('bench-cluster', 'https://bench.cluster.local', :'jwks');
insert into trusted_issuer_audience (trusted_issuer_id, audience) values ('bench-cluster', 'bench');
insert into federated_identity (subscription_id, api_id, trusted_issuer_id, subject)
    select id, api_id, 'bench-cluster', 'system:serviceaccount:bench:worker' from subscription where client_id = 'bench-client-00001';
SQL
ASSERTION=$(java "$ROOT/tools/WorkloadToken.java" https://bench.cluster.local system:serviceaccount:bench:worker bench 3600)
URL=http://127.0.0.1:$PORT/auth/default/api/api-0001/token
SECRET_FORM="grant_type=client_credentials&client_id=bench-client-00001&client_secret=$BENCH_SECRET&scope=read"
FEDERATED_FORM="grant_type=client_credentials&client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer&client_assertion=$ASSERTION&scope=read"

CLEANUP=$PORTCULLIS_WORKLOAD_KEY
start_portcullis "$ALG"
for form in "$SECRET_FORM" "$FEDERATED_FORM"; do
  curl -s -X POST -d "$form" "$URL" | grep -q access_token || { echo "a token request failed before the runs" >&2; curl -s -X POST -d "$form" "$URL" >&2; exit 1; }
done

run() {  # NAME FORM SECONDS -> "NAME tokens/s cpu_ms/token p99 non200"
  echo "$1 $(FORM="$2" REQUEST=token PIDS=$PID OK='^200$' timed_wrk "$CONNS" "$3" "$URL")"
}
bench_log "warming up both paths, ${WARMUP}s each"
run warm-secret "$SECRET_FORM" "$WARMUP" >/dev/null
run warm-federated "$FEDERATED_FORM" "$WARMUP" >/dev/null

echo "## federated vs client_secret_post, $ALG, $CONNS connections, ${DURATION}s runs, commit $(git -C "$ROOT" rev-parse --short HEAD)"
echo "calibration: $(openssl speed -seconds 3 ecdsap256 rsa2048 2>/dev/null | grep -E '^ *(rsa 2048|256 bits ecdsa)' | tr -s ' ' | tr '\n' ';')"
echo "| pair | secret tokens/s | secret CPU ms/token | federated tokens/s | federated CPU ms/token | CPU ratio | non-200 |"
echo "|---|---|---|---|---|---|---|"
for i in $(seq 1 "$REPS"); do
  read -r _ st sc sp se < <(run secret "$SECRET_FORM" "$DURATION")
  read -r _ ft fc fp fe < <(run federated "$FEDERATED_FORM" "$DURATION")
  awk -v i="$i" -v st="$st" -v sc="$sc" -v ft="$ft" -v fc="$fc" -v e="$((se + fe))" \
    'BEGIN {printf "| %d | %s | %s | %s | %s | %.2fx | %d |\n", i, st, sc, ft, fc, fc / sc, e}'
done
