package org.smartschool.hub.metrics;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The hub's own counters, registered once per hub on its registry (no global registry: a test
 * process or the demo may run several hubs). Prometheus names are given per method.
 */
public final class HubMetrics {

    /** Why a gateway's message was refused: the {@code reason} label of the rejection counters. */
    public enum RejectReason {
        /** Topic of another school or gateway, or a topic the hub does not serve (PUBACK 0x87). */
        NOT_AUTHORIZED("not_authorized"),
        /** Undecodable batch frame (PUBACK 0x99). */
        PAYLOAD_FORMAT_INVALID("payload_format_invalid"),
        /** Larger than mqtt.maxMessageBytes (PUBACK 0x97). */
        QUOTA_EXCEEDED("quota_exceeded"),
        /** The store failed; the gateway keeps the batch and retries (PUBACK 0x83). */
        STORE_FAILED("store_failed"),
        /** A batch published with QoS 0 (or 2): DISCONNECT 0x9B, the gateway resends it with QoS 1. */
        QOS_NOT_SUPPORTED("qos_not_supported"),
        /** More unacknowledged batches than the Receive Maximum in CONNACK: DISCONNECT 0x93. */
        RECEIVE_MAXIMUM_EXCEEDED("receive_maximum_exceeded"),
        /** A packet over the Maximum Packet Size in CONNACK: DISCONNECT 0x95, the packet is not read. */
        PACKET_TOO_LARGE("packet_too_large"),
        /** The gateway is further ahead of its rate limit than a PUBACK delay can absorb: DISCONNECT 0x96. */
        RATE_LIMITED("rate_limited");

        private final String label;

        RejectReason(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(20),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};

    private final Counter batchesStored;
    private final Counter batchesReplayed;
    private final Map<RejectReason, Counter> batchesRejected = new EnumMap<>(RejectReason.class);
    private final Counter readingsStored;
    private final Counter eventsStored;
    private final Counter authFailures;
    private final MeterRegistry registry;
    private final Counter healthReports;
    private final Counter healthMalformed;
    private final Counter healthDropped;
    private final Counter httpBadRequests;
    private final AtomicInteger gatewaysConnected = new AtomicInteger();
    private final AtomicInteger batchesInFlight = new AtomicInteger();
    private final Counter gatewayConnections;
    private final Counter batchesThrottled;
    private final Timer decodeLatency;
    private final Timer storeLatency;
    private final Timer ackLatency;
    private final Timer decodeQueue;
    private final Timer storeQueue;
    private final Timer ackHandoff;

    public HubMetrics(MeterRegistry registry) {
        this.registry = registry;
        batchesStored = Counter.builder("hub.batches.stored")
                .description("Batches stored for the first time").register(registry);
        batchesReplayed = Counter.builder("hub.batches.replayed")
                .description("Batches received again after they had been stored (acknowledged, not duplicated)")
                .register(registry);
        for (RejectReason reason : RejectReason.values()) {
            batchesRejected.put(reason, Counter.builder("hub.batches.rejected").tag("reason", reason.label())
                    .description("Batches refused: with a PUBACK error code, or by DISCONNECT for the protocol reasons").register(registry));
        }
        readingsStored = Counter.builder("hub.readings.stored")
                .description("Readings in batches stored for the first time").register(registry);
        eventsStored = Counter.builder("hub.events.stored")
                .description("Device events in batches stored for the first time").register(registry);
        authFailures = Counter.builder("hub.gateway.auth.failures")
                .description("Gateway connections refused: unknown gateway or wrong secret").register(registry);
        healthReports = Counter.builder("hub.health.reports")
                .description("Gateway health reports recorded").register(registry);
        healthMalformed = Counter.builder("hub.health.malformed")
                .description("Gateway health reports that are not a JSON object, or on a foreign topic").register(registry);
        healthDropped = Counter.builder("hub.health.dropped")
                .description("Gateway health reports dropped because the previous one was still being recorded").register(registry);
        httpBadRequests = Counter.builder("hub.http.bad.requests")
                .description("API requests refused with 400 (bad or missing parameter)").register(registry);
        Gauge.builder("hub.gateways.connected", gatewaysConnected, AtomicInteger::get)
                .description("Gateways connected now").register(registry);
        Gauge.builder("hub.batches.in.flight", batchesInFlight, AtomicInteger::get)
                .description("Batches received and not yet answered with a PUBACK, over all gateways").register(registry);
        gatewayConnections = Counter.builder("hub.gateway.connections")
                .description("Gateway connections accepted").register(registry);
        batchesThrottled = Counter.builder("hub.batches.throttled")
                .description("Batches whose PUBACK was delayed by the gateway's rate limit").register(registry);
        decodeLatency = latency("hub.batch.decode", "Time to decode one batch frame (on a decode thread)");
        storeLatency = latency("hub.batch.store", "Time to store one batch (on a store thread)");
        ackLatency = latency("hub.batch.ack", "From a batch's arrival to its PUBACK: queueing, decoding, rate limit, storing");
        // the parts of hub.batch.ack that are waiting, not work: where a batch's PUBACK latency goes
        decodeQueue = latency("hub.batch.decode.queue", "From a batch's arrival to the start of its decoding (event loop, decode pool queue)");
        storeQueue = latency("hub.batch.store.queue", "From a decoded batch's hand-off to the start of its storing (store pool queue)");
        ackHandoff = latency("hub.batch.ack.handoff", "From the end of a batch's storing to its PUBACK being written (back to the event loop)");
    }

    private Timer latency(String name, String description) {
        // a few fixed buckets around the 50 ms PUBACK target, not Micrometer's 70-odd default ones
        return Timer.builder(name).description(description)
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry);
    }

    /** Metrics that count into a registry nobody reads: for tests and tools that do not expose metrics. */
    public static HubMetrics noop() {
        return new HubMetrics(new SimpleMeterRegistry());
    }

    /** {@code hub_batches_stored_total} and {@code hub_readings_stored_total}, {@code hub_events_stored_total}. */
    public void batchStored(int readings, int events) {
        batchesStored.increment();
        readingsStored.increment(readings);
        eventsStored.increment(events);
    }

    /** {@code hub_batches_replayed_total}. */
    public void batchReplayed() {
        batchesReplayed.increment();
    }

    /** {@code hub_batches_rejected_total{reason}}. */
    public void batchRejected(RejectReason reason) {
        batchesRejected.get(reason).increment();
    }

    /** {@code hub_gateway_auth_failures_total}. */
    public void authFailed() {
        authFailures.increment();
    }

    /**
     * {@code hub_gateway_connections_refused_total{reason}} for refusals other than bad credentials:
     * {@code protocol_version} (not MQTT 5), {@code client_id} (client id is not the gateway id),
     * {@code takeover_loop} (two devices use one gateway id).
     */
    public void connectionRefused(String reason) {
        Counter.builder("hub.gateway.connections.refused").tag("reason", reason)
                .description("Gateway connections refused for another reason than their credential")
                .register(registry).increment();
    }

    /** {@code hub_health_reports_total}. */
    public void healthRecorded() {
        healthReports.increment();
    }

    /** {@code hub_health_malformed_total}. */
    public void healthMalformed() {
        healthMalformed.increment();
    }

    /** {@code hub_health_dropped_total}. */
    public void healthDropped() {
        healthDropped.increment();
    }

    /** {@code hub_http_bad_requests_total}. */
    public void httpBadRequest() {
        httpBadRequests.increment();
    }

    /** {@code hub_gateways_connected}. */
    public void gatewayConnected() {
        gatewaysConnected.incrementAndGet();
    }

    public void gatewayDisconnected() {
        gatewaysConnected.decrementAndGet();
    }

    /** {@code hub_gateway_connections_total}: accepted connections (the gauge above counts the open ones). */
    public void gatewayConnectionAccepted() {
        gatewayConnections.increment();
    }

    /** {@code hub_gateway_takeovers_total{gateway}}: a new connection took an open one's session over. */
    public void sessionTakenOver(String gatewayId) {
        Counter.builder("hub.gateway.takeovers").tag("gateway", gatewayId)
                .description("Connections of a gateway id that took over an open connection of the same id")
                .register(registry).increment();
    }

    /** {@code hub_desired_config_too_large_total{gateway}}: a desired configuration over the packet limit, not sent. */
    public void desiredConfigTooLarge(String gatewayId) {
        Counter.builder("hub.desired.config.too.large").tag("gateway", gatewayId)
                .description("Desired configurations not sent to a gateway: larger than the Maximum Packet Size")
                .register(registry).increment();
    }

    /** {@code hub_batches_in_flight}: a batch arrived. */
    public void batchInFlight() {
        batchesInFlight.incrementAndGet();
    }

    /** {@code hub_batches_in_flight}: a batch was answered, or dropped with its connection. */
    public void batchDone() {
        batchesInFlight.decrementAndGet();
    }

    /** {@code hub_batches_throttled_total}. */
    public void batchThrottled() {
        batchesThrottled.increment();
    }

    /** {@code hub_batch_decode_seconds} (histogram). */
    public void decodeTook(long nanos) {
        decodeLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** {@code hub_batch_store_seconds} (histogram). */
    public void storeTook(long nanos) {
        storeLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** {@code hub_batch_decode_queue_seconds} (histogram). */
    public void decodeQueued(long nanos) {
        decodeQueue.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** {@code hub_batch_store_queue_seconds} (histogram). */
    public void storeQueued(long nanos) {
        storeQueue.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** {@code hub_batch_ack_handoff_seconds} (histogram). */
    public void ackHandedOff(long nanos) {
        ackHandoff.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** {@code hub_batch_ack_seconds} (histogram). */
    public void ackTook(long nanos) {
        ackLatency.record(nanos, TimeUnit.NANOSECONDS);
    }
}
