#!/usr/bin/env bash
# Installs (or upgrades) the smart-school edge gateway on Raspberry Pi OS / Debian as a systemd
# service, optionally with the school's Mosquitto broker. Safe to run again: it replaces the jar
# and the unit, and never overwrites a configuration, a secret or a device password.
set -euo pipefail

readonly SERVICE=smartschool-gateway
readonly USER_NAME=smartschool
readonly GATEWAY_MQTT_USER=ss-gateway

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly HERE

usage() {
  cat <<EOF
Usage: sudo $0 [options]
       sudo $0 add-device NAME

Installs the edge gateway as the systemd service $SERVICE:
  /opt/smartschool/edge-gateway.jar      the gateway (replaced on every run)
  /etc/smartschool/gateway.yaml          its configuration (created once from the example; never overwritten)
  /etc/smartschool/gateway.env           secrets: SS_GATEWAY_NORTH_PASSWORD=... (created once, mode 0640)
  /var/lib/smartschool/                  the outbox (owned by the system user $USER_NAME)
  /etc/systemd/system/$SERVICE.service   the unit; logs go to the journal: journalctl -u $SERVICE -f
Installs openjdk-17-jre-headless with apt-get when no Java 17 or newer is present.

Options:
  --jar FILE          the edge-gateway.jar to install (default: next to this script, or the build's
                      edge-gateway/target/edge-gateway.jar)
  --config FILE       the gateway.yaml to install when none is there yet (default: the example)
  --with-mosquitto    also install Mosquitto as the school's broker: per-device passwords and an ACL
                      (mosquitto/smartschool.conf, mosquitto/smartschool.acl), and a broker account
                      for the gateway ($GATEWAY_MQTT_USER) written to gateway.env
  --no-start          enable the service but do not (re)start it
  --root DIR          install below DIR instead of / (no packages, users, ownership or systemctl):
                      for trying the layout out and for tests
  -h, --help          this text

  add-device NAME     give the device NAME its own broker password (printed once) and reload
                      Mosquitto; it may then publish only under its own topics (devices/NAME/...,
                      NAME/..., tele/NAME/..., stat/NAME/...)
EOF
}

say() { printf '==> %s\n' "$*"; }
fail() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; exit 1; }

ROOT=""
JAR=""
CONFIG=""
WITH_MOSQUITTO=0
START=1
COMMAND=install
DEVICE=""

while (($#)); do
  case $1 in
    -h | --help) usage; exit 0 ;;
    --jar) (($# >= 2)) || fail "--jar needs a file"; JAR=$2; shift 2 ;;
    --config) (($# >= 2)) || fail "--config needs a file"; CONFIG=$2; shift 2 ;;
    --with-mosquitto) WITH_MOSQUITTO=1; shift ;;
    --no-start) START=0; shift ;;
    --root) (($# >= 2)) || fail "--root needs a directory"; ROOT=$(cd "$2" && pwd) || fail "no directory $2"; shift 2 ;;
    add-device)
      (($# >= 2)) || fail "add-device needs the device's name"
      COMMAND=add-device; DEVICE=$2; shift 2 ;;
    *) fail "unknown option '$1' (see --help)" ;;
  esac
done

# Real installs need root; --root installs into a directory the caller owns.
SYSTEM=1
[[ -n $ROOT ]] && SYSTEM=0
if ((SYSTEM)) && [[ $(id -u) -ne 0 ]]; then
  fail "run as root (sudo $0), or try the layout with --root DIR"
fi

readonly OPT="$ROOT/opt/smartschool"
readonly ETC="$ROOT/etc/smartschool"
readonly VAR="$ROOT/var/lib/smartschool"
readonly UNIT_DIR="$ROOT/etc/systemd/system"
readonly MOSQUITTO_ETC="$ROOT/etc/mosquitto"
readonly PASSWD_FILE="$MOSQUITTO_ETC/smartschool.passwd"

random_secret() { # 24 characters of letters and digits
  local secret=""
  while ((${#secret} < 24)); do
    secret+=$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
  done
  printf '%s' "${secret:0:24}"
}

systemd_running() { ((SYSTEM)) && [[ -d /run/systemd/system ]]; }

# Installs src as dst with mode and owner, only when it differs; prints whether it changed.
put_file() { # src dst mode [owner:group]
  local src=$1 dst=$2 mode=$3 owner=${4:-}
  if [[ -f $dst ]] && cmp -s "$src" "$dst"; then
    return 1
  fi
  install -m "$mode" "$src" "$dst"
  if ((SYSTEM)) && [[ -n $owner ]]; then
    chown "$owner" "$dst"
  fi
  return 0
}

# Adds KEY=VALUE to the env file unless KEY is already set there (a secret is never replaced).
env_default() { # file key value
  local file=$1 key=$2 value=$3
  if ! grep -q "^$key=" "$file" 2>/dev/null; then
    printf '%s=%s\n' "$key" "$value" >>"$file"
    return 0
  fi
  return 1
}

java_major() {
  command -v java >/dev/null || { echo 0; return; }
  java -version 2>&1 | sed -n 's/.* version "\([0-9]*\).*/\1/p' | head -n 1
}

install_packages() {
  local packages=()
  if [[ $(java_major) -lt 17 ]]; then
    packages+=(openjdk-17-jre-headless)
  fi
  if ((WITH_MOSQUITTO)); then
    command -v mosquitto >/dev/null || packages+=(mosquitto)
    command -v mosquitto_pub >/dev/null || packages+=(mosquitto-clients)
  fi
  if ((${#packages[@]} == 0)); then
    say "packages: already installed"
    return
  fi
  if ((!SYSTEM)); then
    say "packages: would install ${packages[*]} (skipped with --root)"
    return
  fi
  say "installing ${packages[*]}"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${packages[@]}"
}

create_user() {
  if ((!SYSTEM)); then
    return
  fi
  if ! id "$USER_NAME" >/dev/null 2>&1; then
    say "creating the system user $USER_NAME"
    useradd --system --user-group --home-dir /var/lib/smartschool --no-create-home \
      --shell /usr/sbin/nologin --comment "smart-school edge gateway" "$USER_NAME"
  fi
  # sensors wired to the Pi: GPIO, I2C and the UART belong to these groups on Raspberry Pi OS
  local group
  for group in gpio i2c spi dialout; do
    if getent group "$group" >/dev/null && ! id -nG "$USER_NAME" | tr ' ' '\n' | grep -qx "$group"; then
      usermod -a -G "$group" "$USER_NAME"
    fi
  done
}

find_jar() {
  if [[ -n $JAR ]]; then
    [[ -f $JAR ]] || fail "no such jar: $JAR"
    return
  fi
  local candidate
  for candidate in "$HERE/edge-gateway.jar" "$HERE/../../edge-gateway/target/edge-gateway.jar"; do
    if [[ -f $candidate ]]; then
      JAR=$candidate
      return
    fi
  done
  fail "edge-gateway.jar not found next to this script nor in edge-gateway/target: build it (./mvnw package) or pass --jar FILE"
}

install_gateway() {
  find_jar
  mkdir -p "$OPT" "$ETC" "$VAR" "$UNIT_DIR"
  chmod 755 "$OPT"
  chmod 750 "$ETC" "$VAR"
  if ((SYSTEM)); then
    chown root:"$USER_NAME" "$ETC"
    chown "$USER_NAME:$USER_NAME" "$VAR"
  fi

  if put_file "$JAR" "$OPT/edge-gateway.jar" 644 root:root; then
    say "installed $OPT/edge-gateway.jar"
    CHANGED=1
  fi

  local example="$HERE/../../edge-gateway/config/gateway.example.yaml"
  local source=${CONFIG:-$example}
  if [[ ! -f $ETC/gateway.yaml ]]; then
    [[ -f $source ]] || fail "no configuration to install: pass --config FILE"
    # the outbox goes to the state directory
    sed 's|^\(  path: \).*gateway-outbox.db$|\1/var/lib/smartschool/gateway-outbox.db|' "$source" >"$ETC/gateway.yaml.tmp"
    install -m 640 "$ETC/gateway.yaml.tmp" "$ETC/gateway.yaml"
    rm -f "$ETC/gateway.yaml.tmp"
    ((SYSTEM)) && chown root:"$USER_NAME" "$ETC/gateway.yaml"
    say "created $ETC/gateway.yaml from $(basename "$source"): set gatewayId, school and north.url in it"
    [[ -z $CONFIG ]] && NEEDS_EDITING=1
    CHANGED=1
  elif [[ -n $CONFIG ]] && ! cmp -s "$CONFIG" "$ETC/gateway.yaml"; then
    say "kept the existing $ETC/gateway.yaml (not overwritten by --config; compare them by hand)"
  fi

  if [[ ! -f $ETC/gateway.env ]]; then
    install -m 640 /dev/null "$ETC/gateway.env"
    cat >"$ETC/gateway.env" <<'EOF'
# Environment of the smartschool-gateway service: secrets stay here, not in gateway.yaml.
# Any option can be set as SS_GATEWAY_<KEY>; an SS_GATEWAY_ variable that names no option stops
# the gateway. JAVA_OPTS adds JVM options (the memory options are in the unit).
SS_GATEWAY_NORTH_PASSWORD=
EOF
    ((SYSTEM)) && chown root:"$USER_NAME" "$ETC/gateway.env"
    say "created $ETC/gateway.env: put the gateway's hub password in SS_GATEWAY_NORTH_PASSWORD"
    NEEDS_EDITING=1
    CHANGED=1
  fi

  if put_file "$HERE/$SERVICE.service" "$UNIT_DIR/$SERVICE.service" 644 root:root; then
    say "installed $UNIT_DIR/$SERVICE.service"
    CHANGED=1
  fi

  # journald keeps the gateway's logs; bound them on an SD card
  mkdir -p "$ROOT/etc/systemd/journald.conf.d"
  local journald="$ROOT/etc/systemd/journald.conf.d/smartschool.conf"
  printf '[Journal]\n# keep the SD card from filling with logs\nSystemMaxUse=200M\n' >"$journald.tmp"
  if put_file "$journald.tmp" "$journald" 644 root:root; then
    say "bounded the journal to 200 MB ($journald)"
    systemd_running && systemctl restart systemd-journald
  fi
  rm -f "$journald.tmp"
}

install_mosquitto() {
  ((WITH_MOSQUITTO)) || return 0
  mkdir -p "$MOSQUITTO_ETC/conf.d"
  local restart=0
  put_file "$HERE/mosquitto/smartschool.conf" "$MOSQUITTO_ETC/conf.d/smartschool.conf" 644 root:root && restart=1
  put_file "$HERE/mosquitto/smartschool.acl" "$MOSQUITTO_ETC/smartschool.acl" 644 root:root && restart=1
  if [[ ! -f $PASSWD_FILE ]]; then
    install -m 640 /dev/null "$PASSWD_FILE"
    ((SYSTEM)) && chown root:mosquitto "$PASSWD_FILE"
    restart=1
  fi
  if ! grep -q "^$GATEWAY_MQTT_USER:" "$PASSWD_FILE"; then
    local secret
    secret=$(random_secret)
    add_password "$GATEWAY_MQTT_USER" "$secret"
    env_default "$ETC/gateway.env" SS_GATEWAY_SOUTH_USERNAME "$GATEWAY_MQTT_USER" || true
    if ! env_default "$ETC/gateway.env" SS_GATEWAY_SOUTH_PASSWORD "$secret"; then
      sed -i "s|^SS_GATEWAY_SOUTH_PASSWORD=.*|SS_GATEWAY_SOUTH_PASSWORD=$secret|" "$ETC/gateway.env"
    fi
    say "created the broker account $GATEWAY_MQTT_USER for the gateway (password in $ETC/gateway.env)"
    restart=1
  fi
  if ((restart)) && systemd_running; then
    systemctl enable mosquitto >/dev/null
    systemctl restart mosquitto
    say "mosquitto restarted with the school's configuration"
  fi
  CHANGED=1
}

# Sets the broker password of a user (mosquitto_passwd hashes it), or a placeholder hash with --root
add_password() { # user password
  if command -v mosquitto_passwd >/dev/null; then
    mosquitto_passwd -b "$PASSWD_FILE" "$1" "$2"
  else
    ((SYSTEM)) && fail "mosquitto_passwd is missing: install mosquitto"
    printf '%s:(set by mosquitto_passwd on the Pi)\n' "$1" >>"$PASSWD_FILE"
  fi
}

add_device() {
  [[ $DEVICE =~ ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$ ]] \
    || fail "device name '$DEVICE' must be 1-64 letters, digits, '.', '_' or '-' (it appears in topics)"
  [[ $DEVICE != "$GATEWAY_MQTT_USER" && $DEVICE != zigbee2mqtt ]] || fail "'$DEVICE' is reserved"
  [[ -f $PASSWD_FILE ]] || fail "$PASSWD_FILE is missing: run $0 --with-mosquitto first"
  local secret
  secret=$(random_secret)
  add_password "$DEVICE" "$secret"
  if systemd_running; then
    systemctl reload mosquitto 2>/dev/null || systemctl restart mosquitto
  fi
  echo "device $DEVICE: user name $DEVICE, password $secret"
  echo "it may publish under devices/$DEVICE/#, $DEVICE/#, tele/$DEVICE/# and stat/$DEVICE/#"
}

start_service() {
  if ! systemd_running; then
    if ((SYSTEM)); then
      say "systemd is not running here: start the gateway with"
      echo "    sudo -u $USER_NAME java -jar /opt/smartschool/edge-gateway.jar run --config /etc/smartschool/gateway.yaml"
    fi
    return
  fi
  systemctl daemon-reload
  systemctl enable "$SERVICE" >/dev/null
  if ((NEEDS_EDITING)); then
    say "enabled $SERVICE; not started: edit $ETC/gateway.yaml and $ETC/gateway.env, then"
    echo "    sudo systemctl start $SERVICE && journalctl -u $SERVICE -f"
  elif ((!START)); then
    say "enabled $SERVICE; not started (--no-start)"
  elif ((CHANGED)) || ! systemctl is-active --quiet "$SERVICE"; then
    systemctl restart "$SERVICE"
    say "$SERVICE (re)started: journalctl -u $SERVICE -f"
  else
    say "$SERVICE is running and unchanged"
  fi
}

CHANGED=0
NEEDS_EDITING=0
case $COMMAND in
  add-device) add_device ;;
  install)
    install_packages
    create_user
    install_gateway
    install_mosquitto
    start_service
    say "done"
    ;;
esac
