#!/usr/bin/env bash
# The gateway process benchmark (GatewayProcessBenchmark): the real edge-gateway.jar against the
# real Mosquitto (SS_TEST_MQTT_URL) and a real hub-server.jar, a school's traffic, a flood and an
# outage; prints RSS, CPU, start-up, outbox bytes per reading and the replay rate.
#   SS_TEST_MQTT_URL=tcp://127.0.0.1:21883 edge-gateway/bench/gateway-process-benchmark.sh [STEADY_SECONDS] [OUTAGE_READINGS]
# GATEWAY_JVM overrides the gateway's JVM options (default: the systemd unit's JAVA_MEMORY_OPTS);
# BATCH_MAX_RECORDS sets the gateway's uplink.batchMaxRecords (default 2000, as gateway.example.yaml);
# WINDOW_BATCHES sets its uplink.windowBatches (default 4); DEVICE_MAX_MESSAGES_PER_SECOND its
# south.deviceMaxMessagesPerSecond (default 0 here: off, the runs publish faster than a device); OUTAGE_ONLY=1 skips the steady load and
# the flood (start-up, then the outage and the replay only: for comparing uplink settings);
# HUB_STORE=influx stores at the hub in InfluxDB (SS_TEST_INFLUX_URL).
set -euo pipefail
cd "$(dirname "$0")/../.."
# package (never install: other worktrees share ~/.m2); each module writes its target/test.classpath
./mvnw -q -o -pl edge-gateway,hub-server -am package dependency:build-classpath -DskipTests \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/test.classpath
props=(-Dbench.root=.)
if [[ -n "${GATEWAY_JVM:-}" ]]; then props+=("-Dbench.gatewayJvm=$GATEWAY_JVM"); fi
if [[ -n "${BATCH_MAX_RECORDS:-}" ]]; then props+=("-Dbench.batchMaxRecords=$BATCH_MAX_RECORDS"); fi
if [[ -n "${WINDOW_BATCHES:-}" ]]; then props+=("-Dbench.windowBatches=$WINDOW_BATCHES"); fi
if [[ -n "${DEVICE_MAX_MESSAGES_PER_SECOND:-}" ]]; then props+=("-Dbench.deviceMaxMessagesPerSecond=$DEVICE_MAX_MESSAGES_PER_SECOND"); fi
if [[ "${OUTAGE_ONLY:-0}" == 1 ]]; then props+=("-Dbench.outageOnly=true"); fi
if [[ -n "${HUB_STORE:-}" ]]; then props+=("-Dbench.hubStore=$HUB_STORE"); fi
exec java "${props[@]}" \
    -cp "edge-gateway/target/test-classes:edge-gateway/target/classes:$(cat edge-gateway/target/test.classpath)" \
    org.smartschool.gateway.bench.GatewayProcessBenchmark "$@"
