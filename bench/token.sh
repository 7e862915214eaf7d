#!/usr/bin/env bash
# Token issuance benchmark of the packaged jar, with the peers' harness (wrk + token.lua), against a
# registry of 1,000 APIs and 10,000 subscriptions in the local PostgreSQL.
# Usage: bench/token.sh [ALG]   (RS256 default, or ES256, PS256, EdDSA)
# Env: WARMUP (150), DURATION (20), CONNS ("16 64"), BASIC_CONNS ("16"), SCOPE ("read"), PORT (18082)
# Prints, per run: tokens/s, p50/p99 latency, non-2xx count, server CPU ms per token (results in $PEERBENCH_WORK).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ALG=${1:-RS256}
[ -n "$PEERS" ] || { echo "the peers' harness is missing: set PEERS to its directory" >&2; exit 2; }
package_if_needed
fresh_registry "$ALG"
export WARMUP=${WARMUP:-150}
"$PEERS/run-generic.sh" "portcullis-jvm-$ALG" "$(server_cmd "$ALG")" "http://127.0.0.1:$MGMT_PORT/q/health/ready" \
    "http://127.0.0.1:$PORT/auth/default/api/api-0001/token" bench-client-00001 "$BENCH_SECRET" "${SCOPE-read}"
