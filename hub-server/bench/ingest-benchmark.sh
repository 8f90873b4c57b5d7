#!/usr/bin/env bash
# The ingest benchmark (README, "Performance"): InfluxDB's raw write ceiling vs. the hub fed by loadgen,
# in readings/s, their ratio, and PUBACK latency at half the hub's maximum rate. On demand, never in verify.
#
#   SS_TEST_INFLUX_URL=http://127.0.0.1:8086 hub-server/bench/ingest-benchmark.sh [--gateways 10 --readings 300000 ...]
#   hub-server/bench/ingest-benchmark.sh --help
#
# Builds the hub jar and the test classes (package, no install: the shared ~/.m2 stays untouched), then
# runs org.smartschool.hub.bench.IngestCeilingBenchmark on them. The hub stores into the same InfluxDB (a
# throw-away database) when there is one; --hub-store sqlite picks the embedded SQLite store, --hub-config
# FILE the store a hub.yaml names. SS_BENCH_SKIP_BUILD=1 reuses the last build; SS_BENCH_JAVA_OPTS adds
# JVM options (a JFR profile: -XX:StartFlightRecording=filename=prof.jfr,settings=profile).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
if [[ "${SS_BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  ./mvnw -q -pl hub-server -am -DskipTests package
fi
read -r -a java_opts <<< "${SS_BENCH_JAVA_OPTS:-}"
exec java "${java_opts[@]}" -cp hub-server/target/test-classes:hub-server/target/hub-server.jar \
  org.smartschool.hub.bench.IngestCeilingBenchmark "$@"
