#!/usr/bin/env bash
# Makes an AOT cache for the packaged jar (JDK 25 or later: JEP 483, 514, 515), which the JVM then
# maps at start instead of loading, linking and profiling the same ~15,000 classes again: on a
# 2-core machine the jar was ready in 5.6-5.9 s instead of 8.0 s (docs/operations.md#faster-start).
#
# The cache comes from one training run of the jar: it starts against your database (with the
# environment of a normal start: QUARKUS_DATASOURCE_*, PORTCULLIS_*), answers a few requests, and
# stops; the JVM writes the cache as it exits. Nothing a client could see is changed: no failed
# authentication is counted, no token is revoked.
#
# Usage: JAVA=/path/to/jdk-25/bin/java tools/aot-cache.sh [target/quarkus-app]
#   TRAIN_API, TRAIN_CLIENT_ID, TRAIN_CLIENT_SECRET (optional): a subscription whose token requests
#   and gateway calls (at TRAIN_PATH, the API's request path, /$TRAIN_API if unset) are part of the
#   training, so that the cache holds their paths too.
# Then:  $JAVA -XX:AOTCache=target/quarkus-app/app.aot <the usual options> -jar target/quarkus-app/quarkus-run.jar
# The cache serves only the JDK build that made it and this exact application directory; with any
# other, the JVM says so in a warning and starts without it.
set -euo pipefail
APP=${1:-target/quarkus-app}
JAVA=${JAVA:-java}
JAVA_OPTS=${JAVA_OPTS:--XX:+UseSerialGC -Xms64m -Xmx256m -Xmn32m -XX:ReservedCodeCacheSize=64m -XX:MaxMetaspaceSize=160m -Xss512k}
HTTP_PORT=${QUARKUS_HTTP_PORT:-8080}
MGMT_PORT=${QUARKUS_MANAGEMENT_PORT:-9000}
BASE="http://127.0.0.1:$HTTP_PORT"

major=$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
if [ "${major%%.*}" -lt 25 ]; then
  echo "tools/aot-cache.sh needs JDK 25 or later (JAVA=$JAVA is $major)" >&2
  exit 1
fi
[ -f "$APP/quarkus-run.jar" ] || { echo "no $APP/quarkus-run.jar: run ./mvnw package -DskipTests first" >&2; exit 1; }

rm -f "$APP/app.aot"
log=$(mktemp)
# shellcheck disable=SC2086
"$JAVA" $JAVA_OPTS -XX:AOTCacheOutput="$APP/app.aot" -jar "$APP/quarkus-run.jar" > "$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 600); do
  curl -sf "http://127.0.0.1:$MGMT_PORT/q/health/ready" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { echo "the training run stopped:" >&2; tail -20 "$log" >&2; exit 1; }
  sleep 0.2
done
curl -sf "http://127.0.0.1:$MGMT_PORT/q/health/ready" >/dev/null || { echo "the training run was not ready in 120 s" >&2; exit 1; }

for _ in $(seq 1 200); do
  curl -s -o /dev/null "$BASE/auth/jwks"
  # refused before any client is authenticated: nothing is counted against anyone
  curl -s -o /dev/null -X POST -d 'grant_type=password' "$BASE/auth/default/api/${TRAIN_API:-none}/token"
  curl -s -o /dev/null "$BASE/portal"
done
if [ -n "${TRAIN_CLIENT_ID:-}" ]; then
  for _ in $(seq 1 500); do
    token=$(curl -s -X POST --data-urlencode "client_id=$TRAIN_CLIENT_ID" --data-urlencode "client_secret=$TRAIN_CLIENT_SECRET" \
        -d grant_type=client_credentials "$BASE/auth/default/api/$TRAIN_API/token" | sed -nE 's/.*"access_token":"([^"]+)".*/\1/p')
    [ -n "$token" ] || { echo "the training subscription got no token" >&2; exit 1; }
    curl -s -o /dev/null -H "Authorization: Bearer $token" "$BASE${TRAIN_PATH:-/$TRAIN_API}/"
  done
fi

kill -TERM "$pid"
wait "$pid" 2>/dev/null || true
trap 'rm -f "$log"' EXIT
if [ ! -s "$APP/app.aot" ]; then
  echo "no cache was written:" >&2
  tail -20 "$log" >&2
  exit 1
fi
echo "wrote $APP/app.aot ($(du -h "$APP/app.aot" | cut -f1)); start with: $JAVA -XX:AOTCache=$APP/app.aot ... -jar $APP/quarkus-run.jar"
