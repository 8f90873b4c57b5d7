package org.smartschool.hub.metrics;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
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
        STORE_FAILED("store_failed");

        private final String label;

        RejectReason(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final Counter batchesStored;
    private final Counter batchesReplayed;
    private final Map<RejectReason, Counter> batchesRejected = new EnumMap<>(RejectReason.class);
    private final Counter readingsStored;
    private final Counter eventsStored;
    private final Counter authFailures;
    private final MeterRegistry registry;
    private final Counter healthReports;
    private final Counter healthMalformed;
    private final Counter httpBadRequests;
    private final AtomicInteger gatewaysConnected = new AtomicInteger();

    public HubMetrics(MeterRegistry registry) {
        this.registry = registry;
        batchesStored = Counter.builder("hub.batches.stored")
                .description("Batches stored for the first time").register(registry);
        batchesReplayed = Counter.builder("hub.batches.replayed")
                .description("Batches received again after they had been stored (acknowledged, not duplicated)")
                .register(registry);
        for (RejectReason reason : RejectReason.values()) {
            batchesRejected.put(reason, Counter.builder("hub.batches.rejected").tag("reason", reason.label())
                    .description("Messages from gateways refused with a PUBACK error code").register(registry));
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
        httpBadRequests = Counter.builder("hub.http.bad.requests")
                .description("API requests refused with 400 (bad or missing parameter)").register(registry);
        Gauge.builder("hub.gateways.connected", gatewaysConnected, AtomicInteger::get)
                .description("Gateways connected now").register(registry);
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
     * {@code protocol_version} (not MQTT 5), {@code client_id} (client id is not the gateway id).
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
}
