#!/usr/bin/env bash
# Runs the real hub (hub-server/target/hub-server.jar) with each configuration deploy/ ships, the
# compose file's hub.yaml and the Kubernetes ConfigMap's, as the container would run it: the same
# command, the secrets as the same SS_HUB_* environment variables, TLS on the gateway port. Only what
# differs outside a container is overridden (the database hosts, the file paths, loopback ports).
# For each: /health answers 200 with InfluxDB and PostgreSQL up, registry changes without the API
# token are refused (401), a gateway registered with the token connects over TLS with its secret
# (MQTT 5, mosquitto_sub) and receives its desired configuration, and a wrong secret is refused.
#
# Needs: the jar (./mvnw package), SS_TEST_INFLUX_URL and SS_TEST_PG_URL (as .ci/run exports them),
# openssl, curl, psql, mosquitto_sub. Run by .ci/run after the tests. Cleans up its databases.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
readonly HERE REPO
readonly JAR="$REPO/hub-server/target/hub-server.jar"
readonly START_TIMEOUT_S=120
readonly TOKEN=smoke-registry-token-0123456789

say() { printf -- '--> %s\n' "$*"; }
fail() { printf 'deploy/smoke.sh: %s\n' "$*" >&2; exit 1; }

[[ -f $JAR ]] || fail "no $JAR: build it first (./mvnw -q -pl hub-server -am -DskipTests package)"
[[ -n ${SS_TEST_INFLUX_URL:-} ]] || fail "SS_TEST_INFLUX_URL is not set (an InfluxDB 1.x, e.g. http://127.0.0.1:8086)"
[[ -n ${SS_TEST_PG_URL:-} ]] || fail "SS_TEST_PG_URL is not set (e.g. jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres)"
for tool in openssl curl psql mosquitto_sub; do
  command -v "$tool" >/dev/null || fail "$tool is not installed"
done

# jdbc:postgresql://HOST:PORT/DB?user=U -> HOST:PORT and U, for psql and the hub's own URL
pg_hostport=$(sed -n 's|^jdbc:postgresql://\([^/]*\)/.*|\1|p' <<<"$SS_TEST_PG_URL")
pg_user=$(sed -n 's|.*[?&]user=\([^&]*\).*|\1|p' <<<"$SS_TEST_PG_URL")
[[ -n $pg_hostport && -n $pg_user ]] || fail "cannot read host, port and user from SS_TEST_PG_URL=$SS_TEST_PG_URL"
psql_admin() { psql -X -q -v ON_ERROR_STOP=1 "postgresql://$pg_user@$pg_hostport/postgres" "$@"; }

WORK=$(mktemp -d -t ss-deploy-smoke.XXXXXX)
HUB_PID=""
DATABASES=()
cleanup() {
  local status=$?
  set +e
  if [[ -n $HUB_PID ]] && kill -0 "$HUB_PID" 2>/dev/null; then
    kill -TERM "$HUB_PID"
    wait "$HUB_PID" 2>/dev/null
  fi
  for db in "${DATABASES[@]}"; do
    psql_admin -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
    curl -s -o /dev/null -X POST "$SS_TEST_INFLUX_URL/query" --data-urlencode "q=DROP DATABASE $db"
  done
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 12000))
    port_in_use "$port" || { echo "$port"; return 0; }
  done
  fail "no free TCP port on 127.0.0.1"
}

# the gateway port's certificate, for the name the gateway connects to
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
  -addext 'subjectAltName=DNS:localhost,IP:127.0.0.1' \
  -keyout "$WORK/hub-key.pem" -out "$WORK/hub-cert.pem" >"$WORK/openssl.log" 2>&1 \
  || { cat "$WORK/openssl.log" >&2; fail "openssl could not make a test certificate"; }

# the ConfigMap's hub.yaml: the block scalar under `hub.yaml: |`, the last key of 20-configmap.yaml
sed -n '/^  hub.yaml: |$/,$p' "$HERE/kubernetes/20-configmap.yaml" | tail -n +2 | sed 's/^    //' \
  >"$WORK/configmap-hub.yaml"
grep -q '^store:' "$WORK/configmap-hub.yaml" || fail "cannot read hub.yaml out of kubernetes/20-configmap.yaml"

smoke() { # NAME CONFIG
  local name=$1 config=$2
  local db="ss_deploy_smoke_${name}_$$"
  local http mqtt
  http=$(free_port)
  mqtt=$(free_port)
  while [[ $mqtt == "$http" ]]; do mqtt=$(free_port); done
  DATABASES+=("$db")
  psql_admin -c "CREATE DATABASE $db" >/dev/null
  mkdir -p "$WORK/$name"

  # Secrets by the names compose.yaml and 40-deployment.yaml give them; the token is checked below
  # (a misspelt name would leave registry writes open to loopback, which the 401 check catches).
  env SS_HUB_STORE_INFLUX_PASSWORD=smoke-influx SS_HUB_STATE_PASSWORD=smoke-state \
    SS_HUB_REGISTRY_API_TOKEN="$TOKEN" \
    SS_HUB_HTTP_HOST=127.0.0.1 SS_HUB_HTTP_PORT="$http" SS_HUB_MQTT_HOST=127.0.0.1 SS_HUB_MQTT_PORT="$mqtt" \
    SS_HUB_MQTT_TLS_CERT_FILE="$WORK/hub-cert.pem" SS_HUB_MQTT_TLS_KEY_FILE="$WORK/hub-key.pem" \
    SS_HUB_STORE_PATH="$WORK/$name/data/hub-store.db" \
    SS_HUB_STORE_INFLUX_URL="$SS_TEST_INFLUX_URL" SS_HUB_STORE_INFLUX_DATABASE="$db" \
    SS_HUB_STATE_URL="jdbc:postgresql://$pg_hostport/$db" SS_HUB_STATE_USER="$pg_user" \
    SS_HUB_REGISTRY_INVENTORY="$REPO/hub-server/config/inventory.example.yaml" \
    java -XX:+ExitOnOutOfMemoryError -Xmx256m -jar "$JAR" serve --config "$config" >"$WORK/$name/hub.log" 2>&1 &
  HUB_PID=$!

  local deadline=$((SECONDS + START_TIMEOUT_S)) code=""
  until [[ $code == 200 ]]; do
    if ! kill -0 "$HUB_PID" 2>/dev/null; then
      tail -n 30 "$WORK/$name/hub.log" >&2
      fail "$name: the hub exited during start-up (its log above)"
    fi
    ((SECONDS < deadline)) || { tail -n 30 "$WORK/$name/hub.log" >&2; fail "$name: /health not 200 after ${START_TIMEOUT_S} s"; }
    sleep 0.5
    code=$(curl -s -o "$WORK/$name/health.json" -w '%{http_code}' "http://127.0.0.1:$http/health" || true)
  done
  grep -q '"status":"UP"' "$WORK/$name/health.json" || fail "$name: /health is 200 but not UP: $(cat "$WORK/$name/health.json")"
  grep -q 'gateway endpoint listening on .* (TLS)' "$WORK/$name/hub.log" || fail "$name: the gateway endpoint is not on TLS"
  grep -q "InfluxDB $SS_TEST_INFLUX_URL database $db" "$WORK/$name/hub.log" || fail "$name: the hub does not store into InfluxDB"
  grep -q 'state database PostgreSQL' "$WORK/$name/hub.log" || fail "$name: the state database is not PostgreSQL"

  local register="http://127.0.0.1:$http/api/v1/registry/schools/school-01/gateways"
  code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$register" -H 'Content-Type: application/json' \
    -d '{"id": "gw-school-01"}')
  [[ $code == 401 ]] || fail "$name: a registry change without the API token got $code, not 401"
  curl -s -f -o "$WORK/$name/registered.json" -X POST "$register" -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' -d '{"id": "gw-school-01", "name": "smoke test"}' \
    || fail "$name: registering a gateway with the API token failed"
  local secret
  secret=$(sed -n 's/.*"secret":"\([^"]*\)".*/\1/p' "$WORK/$name/registered.json")
  [[ -n $secret ]] || fail "$name: no secret in $(cat "$WORK/$name/registered.json")"

  # the gateway's first connection: TLS verified against the certificate, MQTT 5, its secret
  timeout 40 mosquitto_sub -V mqttv5 -h localhost -p "$mqtt" --cafile "$WORK/hub-cert.pem" \
    -i gw-school-01 -u gw-school-01 -P "$secret" -q 1 -t 'ss/v1/school-01/gw-school-01/config' -C 1 -W 30 \
    >"$WORK/$name/desired.json" 2>"$WORK/$name/sub.log" \
    || { cat "$WORK/$name/sub.log" >&2; fail "$name: the registered gateway got no desired configuration over TLS"; }
  grep -q '"roomKinds"' "$WORK/$name/desired.json" || fail "$name: unexpected desired configuration: $(cat "$WORK/$name/desired.json")"
  if timeout 40 mosquitto_sub -V mqttv5 -h localhost -p "$mqtt" --cafile "$WORK/hub-cert.pem" \
    -i gw-school-01 -u gw-school-01 -P wrong-secret -t 'ss/v1/school-01/gw-school-01/config' -C 1 -W 10 \
    >"$WORK/$name/wrong.log" 2>&1; then
    fail "$name: a wrong secret was let in"
  fi
  grep -qi 'bad user name or password' "$WORK/$name/wrong.log" || fail "$name: a wrong secret failed otherwise: $(cat "$WORK/$name/wrong.log")"

  kill -TERM "$HUB_PID"
  local status=0
  wait "$HUB_PID" || status=$?
  HUB_PID=""
  # 143: the JVM's status after a clean stop on SIGTERM
  [[ $status == 0 || $status == 143 ]] || fail "$name: the hub stopped with status $status"
  grep -q 'hub stopped' "$WORK/$name/hub.log" || fail "$name: the hub did not stop cleanly"
  say "$name: /health UP on InfluxDB + PostgreSQL, registry writes need the token (401 without), a registered gateway connects over TLS and gets its desired configuration, a wrong secret is refused, clean stop"
}

smoke compose "$HERE/hub.yaml"
smoke kubernetes "$WORK/configmap-hub.yaml"
say "deploy/smoke.sh: passed"
