#!/usr/bin/env bash
# JMH micro-benchmarks of the token path's pieces (src/test/java/io/portcullis/jmh).
# Usage: bench/jmh.sh [JMH options]   e.g. bench/jmh.sh -f 1 -wi 2 -i 3 -p alg=RS256,ES256 TokenPathBenchmarks.buildAndSignToken
# Without options: every benchmark, 1 fork, 3 warm-up and 5 measured iterations of 2 s each.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test >&2
if [ $# -eq 0 ]; then set -- -f 1 -wi 3 -i 5 -w 2s -r 2s io.portcullis.jmh; fi
exec java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" org.openjdk.jmh.Main "$@"
