#!/usr/bin/env bash
# The CPU a token costs under a token policy (docs/contract.md#token-policy) beside the same token without
# one, on one warm server, the runs interleaved (plain, policy, plain, …) so that drift on a shared host
# cancels in each adjacent pair. "plain" is bench-client-00001 (api-0001, plan basic: no claims, the API's
# lifetime, no quota). "policy" is bench-client-00002: its API's tokenClaims and its subscription's
# (merged, the subscription winning per name), a shorter lifetime of its own, and a plan whose token quota
# (enforce, per day, a limit the run cannot reach) counts every token and answers with RateLimit headers.
# Usage: bench/policy.sh [ALG]   (ES256 default, or RS256)
# Env: WARMUP (60), DURATION (20), REPS (3), CONNS (16), PORT (18082)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ALG=${1:-ES256}
WARMUP=${WARMUP:-60} DURATION=${DURATION:-20} REPS=${REPS:-3} CONNS=${CONNS:-16}
command -v wrk >/dev/null || { echo "wrk not installed (apt-get install wrk)" >&2; exit 3; }
package_if_needed
fresh_registry "$ALG"

psql -h "$PGHOST_ADDR" -U postgres -d "$DB" -q -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
insert into plan (id, name, token_quota_limit, token_quota_window, token_quota_mode) values ('metered', 'Metered', 2000000000, 'day', 'enforce');
insert into api_plan (api_id, plan_id) values ('api-0002', 'metered');
update api set token_claims = '{"tenant":"acme","tier":"silver"}' where id = 'api-0002';
update subscription set plan_id = 'metered', token_claims = '{"tier":"gold","region":"eu-west-1"}', token_lifetime_seconds = 600
    where client_id = 'bench-client-00002';
SQL
URL1=http://127.0.0.1:$PORT/auth/default/api/api-0001/token
URL2=http://127.0.0.1:$PORT/auth/default/api/api-0002/token
PLAIN_FORM="grant_type=client_credentials&client_id=bench-client-00001&client_secret=$BENCH_SECRET&scope=read"
POLICY_FORM="grant_type=client_credentials&client_id=bench-client-00002&client_secret=$BENCH_SECRET&scope=read"

start_portcullis "$ALG"
curl -s -X POST -d "$PLAIN_FORM" "$URL1" | grep -q access_token || { echo "a plain token request failed before the runs" >&2; exit 1; }
# the policy is in force: merged claims, the shorter lifetime, the quota's headers
ANSWER=$(curl -s -i -X POST -d "$POLICY_FORM" "$URL2")
echo "$ANSWER" | grep -qi '^RateLimit-Policy: "tokens";q=2000000000;w=86400' && echo "$ANSWER" | grep -q '"expires_in":600' \
  || { echo "the policy token's answer is not the policy's" >&2; echo "$ANSWER" >&2; exit 1; }
PAYLOAD=$(echo "$ANSWER" | sed -nE 's/.*"access_token":"[^.]+\.([^.]+)\..*/\1/p' | tr '_-' '/+')
PAYLOAD=$(printf '%s%s' "$PAYLOAD" "$(printf '%*s' $(( (4 - ${#PAYLOAD} % 4) % 4 )) '' | tr ' ' '=')" | base64 -d)
echo "$PAYLOAD" | grep -q '"tier":"gold"' && echo "$PAYLOAD" | grep -q '"tenant":"acme"' && echo "$PAYLOAD" | grep -q '"region":"eu-west-1"' \
  || { echo "the policy token lacks its claims: $PAYLOAD" >&2; exit 1; }

run() {  # NAME FORM URL SECONDS -> "NAME tokens/s cpu_ms/token p99 non200"
  echo "$1 $(FORM="$2" REQUEST=token PIDS=$PID OK='^200$' timed_wrk "$CONNS" "$4" "$3")"
}
bench_log "warming up both paths, ${WARMUP}s each"
run warm-plain "$PLAIN_FORM" "$URL1" "$WARMUP" >/dev/null
run warm-policy "$POLICY_FORM" "$URL2" "$WARMUP" >/dev/null

echo "## token policy vs none (client_secret_post), $ALG, $CONNS connections, ${DURATION}s runs, commit $(git -C "$ROOT" rev-parse --short HEAD)"
echo "calibration: $(openssl speed -seconds 3 ecdsap256 rsa2048 2>/dev/null | grep -E '^ *(rsa 2048|256 bits ecdsa)' | tr -s ' ' | tr '\n' ';')"
echo "| pair | plain tokens/s | plain CPU ms/token | policy tokens/s | policy CPU ms/token | CPU ratio | CPU difference ms | non-200 |"
echo "|---|---|---|---|---|---|---|---|"
for i in $(seq 1 "$REPS"); do
  read -r _ st sc sp se < <(run plain "$PLAIN_FORM" "$URL1" "$DURATION")
  read -r _ ft fc fp fe < <(run policy "$POLICY_FORM" "$URL2" "$DURATION")
  awk -v i="$i" -v st="$st" -v sc="$sc" -v ft="$ft" -v fc="$fc" -v e="$((se + fe))" \
    'BEGIN {printf "| %d | %s | %s | %s | %s | %.2fx | %+.3f | %d |\n", i, st, sc, ft, fc, fc / sc, fc - sc, e}'
done
