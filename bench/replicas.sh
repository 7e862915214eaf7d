#!/usr/bin/env bash
# Two instances of the packaged jar on one PostgreSQL (docs/contract.md#operation), started at the same
# moment so that their migrations race. Checks: tokens from one are accepted by the other's gateway,
# a change made through one's admin API is seen by the other within seconds, a revocation on one is
# refused by the other within a second, and a key rotation on one is adopted by the other.
# With a Redis on 127.0.0.1:6379 (its database 6, flushed first), both count in it
# (portcullis.limits.store=redis): a plan's rate limit and a token quota then hold across the two. Their
# Redis budget is 500 ms here, not 20: two cold JVMs on two busy cores would count alone otherwise.
# Usage: bench/replicas.sh      (packages first if needed; exits non-zero on any failure)
#        REPLICA_JAVA_OPTS='...'  extra JVM options for both replicas (ReplicasIT: C1 only, for a faster start)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
DB=portcullis_replicas
A=18111
B=18112
ADMIN_ID=replicas-admin
ADMIN_SECRET=replicas-only-admin-secret-0123456789abcdef
package_if_needed
psql -h "$PGHOST_ADDR" -U postgres -d postgres -qc "drop database if exists $DB" -c "create database $DB" >/dev/null 2>&1
STORE=local
if redis-cli -h 127.0.0.1 -p 6379 -n 6 flushdb >/dev/null 2>&1; then STORE=redis; fi

# every replica has the same public URL (the load balancer's): tokens name it as their issuer
start() {  # PORT
  env QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PGHOST_ADDR:5432/$DB" QUARKUS_DATASOURCE_USERNAME=postgres \
      QUARKUS_DATASOURCE_PASSWORD=postgres PORTCULLIS_PUBLIC_URL="http://127.0.0.1:$A" \
      PORTCULLIS_KEYS_ENCRYPTION_SECRET=replicas-only-key-encryption-secret-0123 PORTCULLIS_KEYS_PUBLISH_AHEAD=1s \
      PORTCULLIS_ADMIN_CLIENT_ID=$ADMIN_ID PORTCULLIS_ADMIN_CLIENT_SECRET=$ADMIN_SECRET PORTCULLIS_ACCESS_LOG_ENABLED=false \
      PORTCULLIS_LIMITS_STORE=$STORE PORTCULLIS_LIMITS_REDIS_URL=redis://127.0.0.1:6379/6 PORTCULLIS_LIMITS_REDIS_TIMEOUT=500ms \
      QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT="$1" QUARKUS_MANAGEMENT_HOST=127.0.0.1 QUARKUS_MANAGEMENT_PORT="$(($1 + 1000))" \
      java ${REPLICA_JAVA_OPTS:-} -jar "$JAR" > "/tmp/portcullis-replica-$1.log" 2>&1 &
  echo $!
}
PID_A=$(start $A)
PID_B=$(start $B)
trap 'kill $PID_A $PID_B 2>/dev/null || true' EXIT
for port in $A $B; do
  # /q/* is on the management port (quarkus.management.enabled in the packaged application)
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$((port + 1000))/q/health/ready" >/dev/null && break; sleep 0.5; done
  curl -sf "http://127.0.0.1:$((port + 1000))/q/health/ready" >/dev/null || { echo "FAIL instance :$port did not become ready"; tail -20 "/tmp/portcullis-replica-$port.log"; exit 1; }
done
echo "PASS both instances started together; migrations: $(psql -h "$PGHOST_ADDR" -U postgres -d $DB -Atc 'select count(*) from flyway_schema_history where success')"

failures=0
check() { if eval "$2"; then echo "PASS $1"; else echo "FAIL $1"; failures=$((failures + 1)); fi; }
json() { sed -E "s/.*\"$1\":\"([^\"]+)\".*/\\1/"; }
now_ms() { date +%s%3N; }
token() {  # PORT API CLIENT SECRET
  curl -s -X POST -d "grant_type=client_credentials&client_id=$3&client_secret=$4" "http://127.0.0.1:$1/auth/default/api/$2/token"
}

ADMIN=$(token $A admin $ADMIN_ID "$ADMIN_SECRET" | json access_token)
admin() { curl -s -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' "$@"; }
admin -X POST "http://127.0.0.1:$A/admin/v1/plans" -d '{"id":"rp","name":"Replicas"}' >/dev/null
admin -X POST "http://127.0.0.1:$A/admin/v1/apis" -d "{\"id\":\"rapi\",\"name\":\"R\",\"requestPath\":\"/rapi\",\"upstreamUrl\":\"http://127.0.0.1:$((A + 1000))/q/health\",\"authMethods\":[\"default\"],\"plans\":[\"rp\"]}" >/dev/null
admin -X POST "http://127.0.0.1:$A/admin/v1/applications" -d '{"id":"rapp","clientType":"confidential"}' >/dev/null
SUB=$(admin -X POST "http://127.0.0.1:$A/admin/v1/subscriptions" -d '{"applicationId":"rapp","apiId":"rapi","planId":"rp"}')
CID=$(echo "$SUB" | json clientId); SECRET=$(echo "$SUB" | json clientSecret); SID=$(echo "$SUB" | json id)
t0=$(now_ms)
until token $B rapi "$CID" "$SECRET" | grep -q access_token; do [ $(( $(now_ms) - t0 )) -lt 10000 ] || break; sleep 0.05; done
seen=$(( $(now_ms) - t0 ))
check "a subscription created through A's admin API is usable at B after ${seen} ms (within 5 s)" "[ $seen -lt 5000 ]"

TOKEN=$(token $A rapi "$CID" "$SECRET" | json access_token)
check "a token from A is accepted by B's gateway" "[ \$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer $TOKEN' http://127.0.0.1:$B/rapi/live) = 200 ]"

curl -s -o /dev/null -X POST -u "$CID:$SECRET" -d "token=$TOKEN" "http://127.0.0.1:$A/auth/default/api/rapi/revoke"
t0=$(now_ms)
until [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$B/rapi/live")" = 401 ]; do
  [ $(( $(now_ms) - t0 )) -lt 5000 ] || break; sleep 0.02
done
seen=$(( $(now_ms) - t0 ))
check "a token revoked at A is refused by B's gateway after ${seen} ms (within 1 s)" "[ $seen -lt 1000 ]"

OLD=$(token $B rapi "$CID" "$SECRET" | json access_token)
NEW_KID=$(admin -X POST "http://127.0.0.1:$A/admin/v1/keys/rotate" | json activeKid)
t0=$(now_ms)
until [ "$(token $B rapi "$CID" "$SECRET" | json access_token | cut -d. -f1 | base64 -d 2>/dev/null | json kid)" = "$NEW_KID" ]; do
  [ $(( $(now_ms) - t0 )) -lt 15000 ] || break; sleep 0.2
done
seen=$(( $(now_ms) - t0 ))
check "B signs with the key A rotated to after ${seen} ms (within its 5 s refresh)" "[ $seen -lt 7000 ]"
check "a token B signed before the rotation still passes A's gateway" "[ \$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer $OLD' http://127.0.0.1:$A/rapi/live) = 200 ]"

if [ "$STORE" = redis ]; then
  # a plan of 5 requests a minute and 3 tokens an hour, held across both replicas by Redis
  admin -X POST "http://127.0.0.1:$A/admin/v1/plans" \
    -d '{"id":"rshared","name":"Shared","rateLimitPerMinute":5,"tokenQuota":{"limit":3,"window":"hour","mode":"enforce"}}' >/dev/null
  admin -X PUT "http://127.0.0.1:$A/admin/v1/apis/rapi" -d "{\"id\":\"rapi\",\"name\":\"R\",\"requestPath\":\"/rapi\",\"upstreamUrl\":\"http://127.0.0.1:$((A + 1000))/q/health\",\"authMethods\":[\"default\"],\"plans\":[\"rp\",\"rshared\"]}" >/dev/null
  admin -X POST "http://127.0.0.1:$A/admin/v1/applications" -d '{"id":"rapp2","clientType":"confidential"}' >/dev/null
  SUB2=$(admin -X POST "http://127.0.0.1:$A/admin/v1/subscriptions" -d '{"applicationId":"rapp2","apiId":"rapi","planId":"rshared"}')
  CID2=$(echo "$SUB2" | json clientId); SECRET2=$(echo "$SUB2" | json clientSecret)
  t0=$(now_ms)
  until token $B rapi "$CID2" "$SECRET2" | grep -q access_token; do [ $(( $(now_ms) - t0 )) -lt 10000 ] || break; sleep 0.05; done
  tokens=1
  for port in $A $B $A $B $A; do
    answer=$(token $port rapi "$CID2" "$SECRET2")
    echo "$answer" | grep -q access_token && tokens=$((tokens + 1))
  done
  check "a quota of 3 tokens an hour issued $tokens across both replicas" "[ $tokens = 3 ]"
  T2=$(redis-cli -h 127.0.0.1 -p 6379 -n 6 del "portcullis:limits:quota:hour:$(echo "$SUB2" | json id)" >/dev/null; token $A rapi "$CID2" "$SECRET2" | json access_token)
  passed=0
  for port in $A $B $A $B $A $B $A $B $A $B; do
    [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $T2" "http://127.0.0.1:$port/rapi/live")" = 200 ] && passed=$((passed + 1))
  done
  check "a plan of 5 requests a minute passed $passed of 10 across both replicas" "[ $passed = 5 ]"
else
  echo "SKIP the shared limits checks: no Redis on 127.0.0.1:6379"
fi

# a trusted issuer and a federated identity added through A let a workload in at B (docs/federation.md)
export PORTCULLIS_WORKLOAD_KEY=/tmp/portcullis-replicas-workload-key
rm -f "$PORTCULLIS_WORKLOAD_KEY"
admin -X POST "http://127.0.0.1:$A/admin/v1/trusted-issuers" \
  -d "{\"id\":\"rcluster\",\"issuer\":\"https://replicas.cluster.local\",\"jwks\":$(java "$ROOT/tools/WorkloadToken.java" jwks),\"audiences\":[\"replicas\"]}" >/dev/null
admin -X PUT "http://127.0.0.1:$A/admin/v1/subscriptions/$SID/federated-identities" \
  -d '{"identities":[{"trustedIssuer":"rcluster","subject":"system:serviceaccount:replicas:worker"}]}' >/dev/null
ASSERTION=$(java "$ROOT/tools/WorkloadToken.java" https://replicas.cluster.local system:serviceaccount:replicas:worker replicas)
t0=$(now_ms)
until curl -s -X POST -d "grant_type=client_credentials&client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer&client_assertion=$ASSERTION" \
    "http://127.0.0.1:$B/auth/default/api/rapi/token" | grep -q access_token; do
  [ $(( $(now_ms) - t0 )) -lt 5000 ] || break; sleep 0.05
done
seen=$(( $(now_ms) - t0 ))
check "a workload bound through A's admin API gets a token at B after ${seen} ms (within 5 s)" "[ $seen -lt 5000 ]"

admin -X DELETE "http://127.0.0.1:$A/admin/v1/subscriptions/$SID" >/dev/null
t0=$(now_ms)
until [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $OLD" "http://127.0.0.1:$B/rapi/live")" = 401 ]; do
  [ $(( $(now_ms) - t0 )) -lt 5000 ] || break; sleep 0.05
done
seen=$(( $(now_ms) - t0 ))
check "a subscription deleted through A stops its tokens at B after ${seen} ms" "[ $seen -lt 3000 ]"

[ "$failures" -eq 0 ] && echo "replicas: all checks passed" || { echo "replicas: $failures check(s) failed"; exit 1; }
