#!/usr/bin/env bash
# JMH micro-benchmarks of the token path's pieces (src/test/java/io/portcullis/jmh).
# Usage: bench/jmh.sh [JMH options]   e.g. bench/jmh.sh -p alg=RS256,ES256 TokenPathBenchmarks.buildAndSignToken
# Default: 1 fork, 3 warm-up and 5 measured iterations of 2 s each.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test >&2
exec java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" org.openjdk.jmh.Main \
    -f 1 -wi 3 -i 5 -w 2s -r 2s "${@:-io.portcullis.jmh}"
