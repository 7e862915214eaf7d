#!/usr/bin/env bash
# Portcullis and its peers, measured the same way in one run (the peers' harness in ../shared/bench/peers:
# wrk + token.lua, client_secret_post at 16 and 64 connections and client_secret_basic at 16), then one
# table with ratios. JVM servers get a 150 s warm-up; every figure is the median of REPS runs.
# Usage: bench/compare-all.sh
# Env: REPS (3), DURATION (20), WARMUP (150), RUN ("portcullis-rs256 portcullis-es256 oidc-rs256 oidc-es256 keycloak sas")
set -euo pipefail
. "$(dirname "$0")/lib.sh"
export REPS=${REPS:-3} DURATION=${DURATION:-20} CONNS=${CONNS:-16 64} BASIC_CONNS=${BASIC_CONNS:-16}
JVM_WARMUP=${WARMUP:-150}
RUN=${RUN:-portcullis-rs256 portcullis-es256 oidc-rs256 oidc-es256 keycloak sas}
[ -n "$PEERS" ] || { echo "the peers' harness is missing: set PEERS to its directory" >&2; exit 2; }
PB=${PEERBENCH_WORK:-${TMPDIR:-/tmp}/peerbench}
STAMP=$(date +%Y%m%d-%H%M%S)
mkdir -p "$PB/results"
[ -f "$PB/results/results.tsv" ] && mv "$PB/results/results.tsv" "$PB/results/results-before-$STAMP.tsv"

for what in $RUN; do
  case $what in
    portcullis-rs256) WARMUP=$JVM_WARMUP "$BENCH_DIR/token.sh" RS256 ;;
    portcullis-es256) WARMUP=$JVM_WARMUP "$BENCH_DIR/token.sh" ES256 ;;
    oidc-rs256) SIGN_ALG=RS256 "$PEERS/run-oidc-provider.sh" ;;
    oidc-es256) SIGN_ALG=ES256 "$PEERS/run-oidc-provider.sh" ;;
    keycloak) WARMUP=$JVM_WARMUP "$PEERS/run-keycloak.sh" ;;
    sas) WARMUP=$JVM_WARMUP "$PEERS/run-generic.sh" sas-7.0 "$PEERS/spring-as/run-sas.sh" \
           http://127.0.0.1:18083/.well-known/oauth-authorization-server http://127.0.0.1:18083/oauth2/token \
           bench-client bench-secret bench.read ;;
  esac || echo "compare: $what failed" >&2
done

echo
echo "## $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -1)"
"$PEERS/summarize.sh"
echo
# ratios of Portcullis to each peer, per auth method and connections (medians)
python3 - "$PB/results/results.tsv" <<'PY'
import csv, statistics as st, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter='\t'))
med = {}
for r in rows:
    try:
        med.setdefault((r['name'], r['auth'], r['conns']), []).append((float(r['tokens_per_s']), float(r['srv_cpu_ms_per_tok'])))
    except ValueError:
        pass
med = {k: (st.median(v[0] for v in vs), st.median(v[1] for v in vs)) for k, vs in med.items()}
ours = sorted({k[0] for k in med if k[0].startswith('portcullis')})
peers = sorted({k[0] for k in med if not k[0].startswith('portcullis')})
print('| Portcullis | peer | auth | conns | tokens/s ratio | CPU per token ratio (lower is better) |')
print('|---|---|---|---|---|---|')
for o in ours:
    for p in peers:
        for (n, a, c), (tps, cpu) in sorted(med.items()):
            if n != o or (p, a, c) not in med:
                continue
            ptps, pcpu = med[(p, a, c)]
            print(f'| {o} | {p} | {a} | {c} | {tps / ptps:.2f}x | {cpu / pcpu:.2f}x |' if ptps and pcpu else '')
PY
