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
    private final Counter batchesSplit;
    private final Counter redeliveriesSkipped;
    private final Map<String, Counter> dropped = new ConcurrentHashMap<>();
    private final Map<String, Counter> decodeErrors = new ConcurrentHashMap<>();

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
        this.batchesSplit = counter("gateway_batches_split_total",
                "batches the hub refused as too large (PUBACK 0x97), resent in halves");
        this.redeliveriesSkipped = counter("gateway_redeliveries_skipped_total",
                "device frames recognised as redeliveries of a frame already recorded, not recorded again");
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

    public Counter batchesSplit() {
        return batchesSplit;
    }

    public Counter redeliveriesSkipped() {
        return redeliveriesSkipped;
    }

    /** Records the gateway dropped, by reason ({@code gateway_dropped_total{reason=...}}). */
    public Counter dropped(String reason) {
        return dropped.computeIfAbsent(reason, r -> Counter.builder("gateway_dropped_total")
                .description("records or device messages dropped, by reason (outbox overflow, QoS 0 while behind)")
                .tags(tags.and("reason", r)).register(registry));
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

    public MeterRegistry registry() {
        return registry;
    }
}
