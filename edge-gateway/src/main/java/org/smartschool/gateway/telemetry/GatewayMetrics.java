package org.smartschool.gateway.telemetry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * The gateway's counters, registered in a Micrometer registry with the tag {@code gateway=<id>}
 * so that several gateways can share one registry (the hub's demo runs them in one process).
 */
public final class GatewayMetrics {
    private final MeterRegistry registry;
    private final Tags tags;
    private final Counter southMessages;
    private final Counter unknownDevices;
    private final Counter southDropped;
    private final Counter southRetainedSkipped;
    private final Counter recordsAppended;
    private final Counter batchesSent;
    private final Counter batchesRejected;
    private final Counter batchRetries;
    private final Counter recordsSent;
    private final Map<String, Counter> decodeErrors = new ConcurrentHashMap<>();
    private final Map<String, Counter> coapRefused = new ConcurrentHashMap<>();
    private final Map<String, Counter> coapDtlsFailures = new ConcurrentHashMap<>();

    public GatewayMetrics(MeterRegistry registry, String gatewayId) {
        this.registry = registry;
        this.tags = Tags.of("gateway", gatewayId);
        this.southMessages = counter("gateway_south_messages_total", "device messages received from the school's broker");
        this.unknownDevices = counter("gateway_unknown_devices_total", "device messages on a topic no route maps to a device");
        this.southDropped = counter("gateway_south_dropped_total",
                "QoS 0 device messages dropped because the outbox writer was far behind (full outbox)");
        this.southRetainedSkipped = counter("gateway_south_retained_skipped_total",
                "retained device messages the broker replayed on subscribing, skipped (south.acceptRetained false)");
        this.recordsAppended = counter("gateway_outbox_appended_total", "records appended to the outbox");
        this.batchesSent = counter("gateway_batches_sent_total", "batches the hub acknowledged");
        this.batchesRejected = counter("gateway_batches_rejected_total", "batches the hub refused, moved to the dead letters");
        this.batchRetries = counter("gateway_batch_retries_total", "batch sends that will be retried (no PUBACK, or the hub could not store)");
        this.recordsSent = counter("gateway_records_sent_total", "records the hub acknowledged");
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).description(description).tags(tags).register(registry);
    }

    public Counter southMessages() {
        return southMessages;
    }

    public Counter unknownDevices() {
        return unknownDevices;
    }

    public Counter southDropped() {
        return southDropped;
    }

    public Counter southRetainedSkipped() {
        return southRetainedSkipped;
    }

    public Counter recordsAppended() {
        return recordsAppended;
    }

    public Counter batchesSent() {
        return batchesSent;
    }

    public Counter batchesRejected() {
        return batchesRejected;
    }

    public Counter batchRetries() {
        return batchRetries;
    }

    public Counter recordsSent() {
        return recordsSent;
    }

    /** Decode problems of one codec ({@code gateway_decode_errors_total{codec=...}}). */
    public Counter decodeErrors(String codec) {
        return decodeErrors.computeIfAbsent(codec, c -> Counter.builder("gateway_decode_errors_total")
                .description("device message fields or whole messages that could not be decoded")
                .tags(tags.and("codec", c)).register(registry));
    }

    /** Decode problems of every codec together. */
    public long decodeErrorsTotal() {
        return decodeErrors.values().stream().mapToLong(c -> (long) c.count()).sum();
    }

    /** CoAP requests from devices that the gateway received (answered or not). */
    public Counter coapRequests() {
        return Counter.builder("gateway_coap_requests_total").description("CoAP requests from devices")
                .tags(tags).register(registry);
    }

    /**
     * CoAP requests refused, by reason ({@code gateway_coap_refused_total{reason=...}}): bad_request,
     * unknown_identity, forbidden, not_found, too_large, unsupported_format, outbox_full, busy, error.
     */
    public Counter coapRefused(String reason) {
        return coapRefused.computeIfAbsent(reason, r -> Counter.builder("gateway_coap_refused_total")
                .description("CoAP device requests refused, by reason").tags(tags.and("reason", r)).register(registry));
    }

    /** DTLS handshakes that failed, by reason: unknown_identity (no key for it) or failed (wrong key, bad record...). */
    public Counter coapDtlsFailures(String reason) {
        return coapDtlsFailures.computeIfAbsent(reason, r -> Counter.builder("gateway_coap_dtls_failures_total")
                .description("DTLS handshakes from devices that failed, by reason").tags(tags.and("reason", r))
                .register(registry));
    }

    /** Observations of CoAP devices registered (again) after they were lost. */
    public Counter coapObserveRegistrations() {
        return Counter.builder("gateway_coap_observe_registrations_total")
                .description("observations of CoAP devices registered, the first time or again after one was lost")
                .tags(tags).register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }
}
