#!/usr/bin/env bash
# Checks the Raspberry Pi install files without a Pi: the shell scripts with `bash -n` and with
# ShellCheck, the systemd unit with `systemd-analyze verify` (where it can run), and install.sh
# for real into a temporary root, twice (the second run must change nothing).
# Run by .ci/run; exits non-zero on the first real error.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
readonly HERE REPO
readonly UNIT=smartschool-gateway.service

say() { printf -- '--> %s\n' "$*"; }
fail() { printf 'deploy/raspberry-pi/check.sh: %s\n' "$*" >&2; exit 1; }

WORK=$(mktemp -d -t ss-deploy-check.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# --- shell scripts ---------------------------------------------------------------------------------
scripts=("$REPO/.ci/run")
while IFS= read -r -d '' script; do
  scripts+=("$script")
done < <(find "$REPO/deploy" -name node_modules -prune -o -name '*.sh' -type f -print0 | sort -z)

for script in "${scripts[@]}"; do
  bash -n "$script" || fail "bash -n: syntax error in ${script#"$REPO"/}"
done
say "bash -n: ${#scripts[@]} scripts parse"

command -v shellcheck >/dev/null || fail "shellcheck is not installed (Debian: apt-get install shellcheck)"
shellcheck --version | sed -n 's/^version: /shellcheck /p'
shellcheck --external-sources "${scripts[@]}" || fail "shellcheck found problems (above)"
say "shellcheck: no findings"

# --- the systemd unit --------------------------------------------------------------------------------
# systemd-analyze verify reports problems of a unit as warnings naming it, with exit status 0; any
# line naming the unit is an error here. Without systemd as PID 1 some containers cannot run the
# verifier at all: then it is skipped with a message, never silently.
if ! command -v systemd-analyze >/dev/null; then
  say "systemd-analyze verify: SKIPPED (systemd-analyze is not installed)"
else
  cp "$HERE/$UNIT" "$WORK/$UNIT"
  if [[ ! -x /usr/bin/java ]]; then
    # the verifier checks that ExecStart's program exists; the Pi has /usr/bin/java, this machine not
    sed -i 's|^ExecStart=/usr/bin/java |ExecStart=/bin/sh |' "$WORK/$UNIT"
    say "no /usr/bin/java here: verifying with ExecStart=/bin/sh in its place"
  fi
  status=0
  output=$(systemd-analyze verify "$WORK/$UNIT" 2>&1) || status=$?
  if grep -F "$UNIT" <<<"$output" | grep -v -e "Failed to connect to bus" >"$WORK/unit-findings"; then
    cat "$WORK/unit-findings" >&2
    fail "systemd-analyze verify found problems in $UNIT (above)"
  elif ((status != 0)); then
    say "systemd-analyze verify: SKIPPED (it cannot run here, status $status: $(head -n 1 <<<"$output"))"
  else
    say "systemd-analyze verify: $UNIT is clean"
  fi
fi

# --- install.sh into a temporary root, twice --------------------------------------------------------
jar="$WORK/edge-gateway.jar"
printf 'not a real jar: the layout test only copies it\n' >"$jar"
root="$WORK/root"
mkdir -p "$root"
"$HERE/install.sh" --root "$root" --jar "$jar" --with-mosquitto >"$WORK/install-1.log" \
  || { cat "$WORK/install-1.log" >&2; fail "install.sh --root failed"; }
for file in opt/smartschool/edge-gateway.jar etc/smartschool/gateway.yaml etc/smartschool/gateway.env \
  "etc/systemd/system/$UNIT" etc/mosquitto/conf.d/smartschool.conf etc/mosquitto/smartschool.acl \
  etc/mosquitto/smartschool.passwd; do
  [[ -f $root/$file ]] || fail "install.sh did not install /$file"
done
grep -q '^SS_GATEWAY_SOUTH_PASSWORD=.' "$root/etc/smartschool/gateway.env" \
  || fail "install.sh did not give the gateway a broker password"
printf '# edited by the school\n' >>"$root/etc/smartschool/gateway.yaml"
cp "$root/etc/smartschool/gateway.env" "$WORK/env-before"
"$HERE/install.sh" --root "$root" --jar "$jar" --with-mosquitto >"$WORK/install-2.log" \
  || { cat "$WORK/install-2.log" >&2; fail "install.sh --root failed when run again"; }
grep -q '^# edited by the school$' "$root/etc/smartschool/gateway.yaml" || fail "a second install.sh overwrote gateway.yaml"
cmp -s "$WORK/env-before" "$root/etc/smartschool/gateway.env" || fail "a second install.sh changed gateway.env"
if grep -q -e '^==> installed' -e '^==> created' "$WORK/install-2.log"; then
  cat "$WORK/install-2.log" >&2
  fail "a second install.sh with nothing new changed files (above)"
fi
"$HERE/install.sh" --help | grep -q '^Usage:' || fail "install.sh --help prints no usage"
say "install.sh: installs into a temporary root, and a second run changes nothing"
