#!/usr/bin/env bash
# Makes a start-up cache for the packaged jar from one training run, so that the JVM maps the classes
# the start needs, already parsed, instead of reading and parsing them again at every start
# (docs/operations.md#faster-start):
# - on JDK 25 or later, an AOT cache (JEP 483, 514, 515): the classes parsed and linked, with the
#   profiles of their hot methods, in app.aot;
# - on JDK 17 to 24, a dynamic AppCDS archive (JEP 350): the classes parsed, in app-cds.jsa.
#
# The training run is against a SCRATCH database, which the run migrates and fills: a plan, an API
# whose upstream is the training server's own health endpoint, an application and its subscription,
# made through the admin API with credentials made up for the run. It then gets tokens and calls the
# gateway, and stops; the JVM writes the cache as it exits. Nothing of your environment is passed to
# it but the scratch database's URL and credentials.
#
# Usage: JAVA=/path/to/jdk/bin/java AOT_DATABASE_URL=jdbc:postgresql://db:5432/portcullis_aot \
#          AOT_DATABASE_USERNAME=… AOT_DATABASE_PASSWORD=… tools/aot-cache.sh [target/quarkus-app]
#   AOT_HTTP_PORT (18480) and the port after it: where the training server listens, on 127.0.0.1.
# Then, JDK 25:  $JAVA -XX:AOTCache=target/quarkus-app/app.aot <the usual options> -jar target/quarkus-app/quarkus-run.jar
#       JDK 17:  $JAVA -XX:SharedArchiveFile=target/quarkus-app/app-cds.jsa <the usual options> -jar target/quarkus-app/quarkus-run.jar
# The cache serves only the JDK build that made it and this application directory at this path; with
# any other, the JVM warns and starts without it (-XX:AOTMode=on, or -Xshare:on on JDK 17, makes that
# an error instead).
set -euo pipefail
APP=${1:-target/quarkus-app}
JAVA=${JAVA:-java}
JAVA_OPTS=${JAVA_OPTS:--XX:+UseSerialGC -Xms48m -Xmx256m -Xmn16m -XX:ReservedCodeCacheSize=64m -XX:MaxMetaspaceSize=160m -Xss512k -XX:TrimNativeHeapInterval=5000}
HTTP_PORT=${AOT_HTTP_PORT:-18480}
MGMT_PORT=$((HTTP_PORT + 1))
BASE="http://127.0.0.1:$HTTP_PORT"
fail() { echo "tools/aot-cache.sh: $*" >&2; exit 1; }

command -v "$JAVA" >/dev/null || fail "no java at JAVA=$JAVA"
major=$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
[ "${major%%.*}" -ge 17 ] 2>/dev/null || fail "it needs JDK 17 or later (JAVA=$JAVA is ${major:-unknown})"
if [ "${major%%.*}" -ge 25 ]; then
  CACHE=$APP/app.aot
  write_cache=(-XX:AOTCacheOutput="$CACHE")
  use_cache="-XX:AOTCache=$CACHE"
else
  CACHE=$APP/app-cds.jsa
  # classes the run loaded but never linked are skipped, each with a warning line: errors only
  write_cache=(-XX:ArchiveClassesAtExit="$CACHE" -Xlog:cds=error -Xlog:cds+dynamic=error)
  use_cache="-XX:SharedArchiveFile=$CACHE"
fi
[ -f "$APP/quarkus-run.jar" ] || fail "no $APP/quarkus-run.jar: run ./mvnw package -DskipTests first"
[ -n "${AOT_DATABASE_URL:-}" ] || fail "AOT_DATABASE_URL must name a scratch database: the training run migrates it and registers an API in it"
for port in "$HTTP_PORT" "$MGMT_PORT"; do
  if curl -s -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null; then fail "port $port is in use (set AOT_HTTP_PORT)"; fi
done

work=$(mktemp -d)
chmod 700 "$work"
admin_id=aot-training-admin
admin_secret=$(head -c 32 /dev/urandom | base64 | tr -d '/+=')
rm -f "$CACHE"
# shellcheck disable=SC2086
env -i PATH="$PATH" HOME="${HOME:-/tmp}" \
    QUARKUS_DATASOURCE_JDBC_URL="$AOT_DATABASE_URL" QUARKUS_DATASOURCE_USERNAME="${AOT_DATABASE_USERNAME:-}" \
    QUARKUS_DATASOURCE_PASSWORD="${AOT_DATABASE_PASSWORD:-}" \
    PORTCULLIS_PUBLIC_URL="$BASE" PORTCULLIS_KEYS_ENCRYPTION_SECRET="$(head -c 32 /dev/urandom | base64)" \
    PORTCULLIS_ADMIN_CLIENT_ID="$admin_id" PORTCULLIS_ADMIN_CLIENT_SECRET="$admin_secret" \
    QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT="$HTTP_PORT" QUARKUS_MANAGEMENT_HOST=127.0.0.1 QUARKUS_MANAGEMENT_PORT="$MGMT_PORT" \
    "$JAVA" $JAVA_OPTS "${write_cache[@]}" -jar "$APP/quarkus-run.jar" > "$work/server.log" 2>&1 &
pid=$!
# a run that fails leaves no half-trained cache behind
trap 'kill -KILL "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -f "$CACHE" "$CACHE.config"; rm -rf "$work"' EXIT
for _ in $(seq 1 600); do
  kill -0 "$pid" 2>/dev/null || { tail -20 "$work/server.log" >&2; fail "the training server stopped"; }
  curl -sf "http://127.0.0.1:$MGMT_PORT/q/health/ready" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -sf "http://127.0.0.1:$MGMT_PORT/q/health/ready" >/dev/null || fail "the training server was not ready in 120 s"

json() { sed -nE "s/.*\"$1\":\"([^\"]+)\".*/\\1/p"; }
# credentials go through files and stdin, never on a command line
token() {  # API, reading "client_id client_secret" from the file named by $2
  read -r id secret < "$2"
  printf 'grant_type=client_credentials&client_id=%s&client_secret=%s' "$id" "$secret" \
    | curl -s -X POST --data-binary @- -H 'Content-Type: application/x-www-form-urlencoded' "$BASE/auth/default/api/$1/token" | json access_token
}
echo "$admin_id $admin_secret" > "$work/admin"
printf 'Authorization: Bearer %s\n' "$(token admin "$work/admin")" > "$work/admin-header"
admin() { curl -s -H @"$work/admin-header" -H 'Content-Type: application/json' "$@"; }
admin -X POST "$BASE/admin/v1/plans" -d '{"id":"aot-training","name":"AOT training"}' >/dev/null
admin -X POST "$BASE/admin/v1/apis" -d "{\"id\":\"aot-training\",\"name\":\"AOT training\",\"requestPath\":\"/aot-training\",\"upstreamUrl\":\"http://127.0.0.1:$MGMT_PORT/q/health\",\"authMethods\":[\"default\"],\"plans\":[\"aot-training\"]}" >/dev/null
admin -X POST "$BASE/admin/v1/applications" -d '{"id":"aot-training","clientType":"confidential"}' >/dev/null
admin -X POST "$BASE/admin/v1/subscriptions" -d '{"applicationId":"aot-training","apiId":"aot-training","planId":"aot-training"}' > "$work/subscription"
echo "$(json clientId < "$work/subscription") $(json clientSecret < "$work/subscription")" > "$work/client"
for _ in $(seq 1 100); do  # the registry is polled every second
  [ -n "$(token aot-training "$work/client")" ] && break
  sleep 0.1
done

for _ in $(seq 1 500); do
  access=$(token aot-training "$work/client")
  [ -n "$access" ] || fail "the training subscription got no token"
  printf 'Authorization: Bearer %s\n' "$access" > "$work/header"
  curl -s -o /dev/null -H @"$work/header" "$BASE/aot-training/live"
  curl -s -o /dev/null "$BASE/auth/jwks"
  curl -s -o /dev/null -X POST -d 'grant_type=password' "$BASE/auth/default/api/aot-training/token"
done

kill -TERM "$pid"
wait "$pid" 2>/dev/null || true
[ -s "$CACHE" ] || { tail -20 "$work/server.log" >&2; fail "no cache was written"; }
trap 'rm -rf "$work"' EXIT
echo "wrote $CACHE ($(du -h "$CACHE" | cut -f1)); start with: $JAVA $use_cache ... -jar $APP/quarkus-run.jar"
