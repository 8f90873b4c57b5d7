#!/usr/bin/env bash
# Checks the hub's deployment files without Docker or a cluster (run by .ci/run before the tests):
#   - compose.yaml with Debian's docker-compose (`config -q`: the Compose schema, types, interpolation),
#     with .env.example's values, and that it refuses to run without the secrets; that Grafana's mounts
#     fit dashboards/ (provisioning files, the provider's path, the data source's variables);
#   - the Kubernetes manifests (kubernetes/*.yaml and kubernetes/templates/*.yaml) against the Kubernetes
#     API schemas, offline (kubernetes/validate: `npm ci` there first, as .ci/run does), and their
#     references to each other (selectors, named ports, ConfigMaps, Secrets and their keys);
#   - every SS_HUB_* variable the files set names an option of the hub (hub.example.yaml);
#   - the hub's Dockerfile: the files it copies exist, the Debian packages it installs exist;
#   - and that each validator does fail: broken copies of the files must be refused.
# Exits non-zero on the first real error. deploy/smoke.sh runs the hub itself with deploy/hub.yaml.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
readonly HERE REPO

say() { printf -- '--> %s\n' "$*"; }
fail() { printf 'deploy/check.sh: %s\n' "$*" >&2; exit 1; }

WORK=$(mktemp -d -t ss-deploy-compose-check.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

VALIDATE="$HERE/kubernetes/validate"
command -v node >/dev/null || fail "node is not installed (Debian: apt-get install nodejs npm)"
[[ -d $VALIDATE/node_modules/kubernetes-models ]] \
  || fail "the validators' packages are missing: (cd deploy/kubernetes/validate && npm ci)"

# --- compose.yaml -----------------------------------------------------------------------------------
command -v docker-compose >/dev/null || fail "docker-compose is not installed (Debian: apt-get install docker-compose)"
say "$(docker-compose version --short 2>/dev/null || docker-compose version | head -n 1): docker-compose"
compose() { # FILE ARGS...: as `docker compose` in deploy/ would read FILE, with .env.example as the .env
  local file=$1
  shift
  docker-compose --project-directory "$HERE" --env-file "$HERE/.env.example" -f "$file" "$@"
}
compose "$HERE/compose.yaml" config -q || fail "docker-compose config refuses deploy/compose.yaml (above)"
compose "$HERE/compose.yaml" --profile broker config --services >"$WORK/services"
for service in hub influxdb postgres grafana mosquitto; do
  grep -qx "$service" "$WORK/services" || fail "compose.yaml has no service $service"
done
say "compose.yaml: valid ($(tr '\n' ' ' <"$WORK/services"))"
# without the secrets of .env it must not start at all (${VAR:?message})
if (cd "$WORK" && docker-compose --project-directory "$WORK" -f "$HERE/compose.yaml" config -q) >"$WORK/no-env.log" 2>&1; then
  fail "compose.yaml is accepted without .env: a secret has a default"
fi
grep -q 'set .* in .env' "$WORK/no-env.log" || { cat "$WORK/no-env.log" >&2; fail "compose.yaml without .env failed for another reason (above)"; }
say "compose.yaml: refused without .env ($(grep -o 'set [A-Z_]* in .env' "$WORK/no-env.log" | head -n 1))"
# the validator does fail: an unknown key and a wrong type
sed 's/^    restart: unless-stopped$/    restrat: unless-stopped/' "$HERE/compose.yaml" >"$WORK/bad-key.yaml"
sed 's/^      retries: 12$/      retries: twelve/' "$HERE/compose.yaml" >"$WORK/bad-type.yaml"
for bad in bad-key bad-type; do
  cmp -s "$HERE/compose.yaml" "$WORK/$bad.yaml" && fail "could not break compose.yaml for the $bad check (edit check.sh)"
  if compose "$WORK/$bad.yaml" config -q >"$WORK/$bad.log" 2>&1; then
    fail "docker-compose config accepted a broken compose.yaml ($bad)"
  fi
done
say "compose.yaml: broken copies refused ($(sed -n 2p "$WORK/bad-key.log" | cut -c1-60)...; $(head -n 1 "$WORK/bad-type.log" | cut -c1-70)...)"

# Grafana's mounts against dashboards/ (provisioning files, the provider's path, the data source's variables)
compose "$HERE/compose.yaml" config >"$WORK/resolved.yaml"
node "$VALIDATE/compose-grafana.js" "$WORK/resolved.yaml" "$REPO" \
  || fail "compose.yaml's grafana does not fit dashboards/ (above; dashboards/README.md names the layout)"
sed 's/^      SS_GRAFANA_INFLUX_USER:/      SS_GRAFANA_INFLUX_USR:/' "$HERE/compose.yaml" >"$WORK/bad-grafana.yaml"
compose "$WORK/bad-grafana.yaml" config >"$WORK/bad-grafana-resolved.yaml"
if node "$VALIDATE/compose-grafana.js" "$WORK/bad-grafana-resolved.yaml" "$REPO" >"$WORK/bad-grafana.log" 2>&1; then
  fail "compose-grafana.js accepted a Grafana without its data source's variable"
fi
say "compose.yaml: Grafana without a variable its data source uses is refused"

# --- Kubernetes manifests ----------------------------------------------------------------------------------
node "$VALIDATE/validate.js" "$HERE/kubernetes" "$HERE/kubernetes/templates" \
  || fail "the Kubernetes manifests are invalid (above)"
# the validator does fail: a misspelt field, a wrong type, a missing required field, an unknown kind
mkdir -p "$WORK/k8s"
declare -A broken_from=([misspelt]=40-deployment [type]=60-hpa [required]=60-hpa [kind]=60-pdb)
sed 's/^          livenessProbe:$/          livenesProbe:/' "$HERE/kubernetes/40-deployment.yaml" >"$WORK/k8s/misspelt.yaml"
sed 's/^  minReplicas: [0-9]*$/  minReplicas: two/' "$HERE/kubernetes/60-hpa.yaml" >"$WORK/k8s/type.yaml"
sed '/^  scaleTargetRef:$/,/^    name: hub$/d' "$HERE/kubernetes/60-hpa.yaml" >"$WORK/k8s/required.yaml"
sed 's/^kind: PodDisruptionBudget$/kind: PodDisruptionBuget/' "$HERE/kubernetes/60-pdb.yaml" >"$WORK/k8s/kind.yaml"
for bad in misspelt type required kind; do
  if cmp -s "$HERE/kubernetes/${broken_from[$bad]}.yaml" "$WORK/k8s/$bad.yaml"; then
    fail "could not break ${broken_from[$bad]}.yaml for the $bad check (edit check.sh)"
  fi
  if node "$VALIDATE/validate.js" "$WORK/k8s/$bad.yaml" >"$WORK/k8s/$bad.log" 2>&1; then
    cat "$WORK/k8s/$bad.log" >&2
    fail "the Kubernetes validator accepted a broken manifest ($bad)"
  fi
  grep -q '^INVALID ' "$WORK/k8s/$bad.log" || { cat "$WORK/k8s/$bad.log" >&2; fail "the validator failed without naming the problem ($bad)"; }
done
say "Kubernetes validator: broken copies refused ($(grep -h '^INVALID ' "$WORK/k8s/misspelt.log" | head -n 1 | sed 's|^INVALID [^ ]* ||' | cut -c1-90)...)"

# references between the manifests (selectors, ports, ConfigMaps, Secrets and their keys); hub-inventory
# and hub-web-tls are made with kubectl (README.md, "Kubernetes")
BY_HAND=configmap/hub-inventory,secret/hub-web-tls
node "$VALIDATE/references.js" --by-hand "$BY_HAND" "$HERE/kubernetes" "$HERE/kubernetes/templates" \
  || fail "the Kubernetes manifests do not refer to each other correctly (above)"
mkdir -p "$WORK/k8s-refs"
cp "$HERE"/kubernetes/*.yaml "$WORK/k8s-refs/"
sed -i 's|^      app.kubernetes.io/name: hub$|      app.kubernetes.io/name: hub-server|' "$WORK/k8s-refs/60-pdb.yaml"
sed -i 's|^\( *key:\) state-password$|\1 state-pasword|' "$WORK/k8s-refs/40-deployment.yaml"
if node "$VALIDATE/references.js" --by-hand "$BY_HAND" "$WORK/k8s-refs" "$HERE/kubernetes/templates" >"$WORK/k8s-refs.log" 2>&1; then
  fail "references.js accepted a PodDisruptionBudget that selects no pod and a Secret key that does not exist"
fi
[[ $(grep -c '^PROBLEM ' "$WORK/k8s-refs.log") == 2 ]] || { cat "$WORK/k8s-refs.log" >&2; fail "references.js did not name both broken references"; }
say "Kubernetes references: a selector matching no pod and a missing Secret key are refused"

# --- the SS_HUB_* names the files set are options of the hub ------------------------------------------------
# (the hub ignores a name that matches no option: a misspelt secret would silently stay empty)
node "$VALIDATE/hub-env.js" "$REPO/hub-server/config/hub.example.yaml" "$HERE/compose.yaml" "$HERE"/kubernetes/*.yaml \
  "$HERE/smoke.sh" || fail "an SS_HUB_* variable names no option of the hub (above)"
sed 's/SS_HUB_STATE_PASSWORD:/SS_HUB_STATE_PASWORD:/' "$HERE/compose.yaml" >"$WORK/bad-env.yaml"
if node "$VALIDATE/hub-env.js" "$REPO/hub-server/config/hub.example.yaml" "$WORK/bad-env.yaml" >"$WORK/bad-env.log" 2>&1; then
  fail "hub-env.js accepted a misspelt SS_HUB_ name"
fi
say "SS_HUB_* names: a misspelt one is refused ($(head -n 1 "$WORK/bad-env.log" | sed 's|^UNKNOWN [^ ]* ||'))"

# --- the hub's Dockerfile -----------------------------------------------------------------------------------
DOCKERFILE="$HERE/hub/Dockerfile"
# the files the run stage copies from the repository (the build stage copies the whole context)
while read -r source; do
  [[ -e $REPO/$source ]] || fail "deploy/hub/Dockerfile copies $source, which does not exist"
done < <(sed -n 's/^COPY \([^-][^ ]*\) .*/\1/p' "$DOCKERFILE" | grep -v '^\.$')
[[ -x $REPO/mvnw && -f $REPO/.mvn/wrapper/maven-wrapper.properties ]] || fail "the Dockerfile builds with ./mvnw, which is missing"
grep -q '"serve", "--config", "/etc/smartschool/hub.yaml"' "$DOCKERFILE" || fail "the Dockerfile's CMD is not serve --config /etc/smartschool/hub.yaml"
packages=$(sed -n '/apt-get install/,/rm -rf/p' "$DOCKERFILE" | sed 's/[\\]//g' | tr -s ' ' '\n' \
  | grep -E '^[a-z0-9][a-z0-9.+-]+$' | grep -v -x -e apt-get -e install -e rm -e '&&' -e update | sort -u)
if command -v apt-cache >/dev/null && [[ -n $(apt-cache policy debianutils 2>/dev/null | sed -n 's/.*Candidate: //p') ]]; then
  for package in $packages; do
    candidate=$(apt-cache policy "$package" 2>/dev/null | sed -n 's/.*Candidate: //p')
    [[ -n $candidate && $candidate != "(none)" ]] || fail "deploy/hub/Dockerfile installs $package, which this Debian does not have"
  done
  say "deploy/hub/Dockerfile: copies exist; Debian packages exist: $(tr '\n' ' ' <<<"$packages")"
else
  say "deploy/hub/Dockerfile: copies exist; Debian packages NOT checked (no apt lists here: apt-get update)"
fi
say "deploy/check.sh: all checks passed"
