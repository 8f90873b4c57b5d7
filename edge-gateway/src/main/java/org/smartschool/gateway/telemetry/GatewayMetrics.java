package org.smartschool.gateway.telemetry;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * The gateway's counters, registered in a Micrometer registry with the tag {@code gateway=<id>}
 * so that several gateways can share one registry (the hub's demo runs them in one process).
 * Every counter also goes into the health report (docs/protocol.md, section 3.1): a counter that
 * only lives in memory helps nobody at a school two hours' drive away.
 */
public final class GatewayMetrics {
    /** Drop reason: a QoS 0 device message arrived while the south writer was far behind (a full outbox). */
    public static final String DROP_SOUTH_QOS0_QUEUE_FULL = "south_qos0_queue_full";
    /** Drop reason: a device sent more than {@code south.deviceMaxMessagesPerSecond}; the excess is dropped. */
    public static final String DROP_DEVICE_FLOOD = "device_flood";
    /** Devices whose floods are counted one by one in the health report; more are counted together. */
    static final int FLOOD_DEVICES_REPORTED = 50;
    /** Source of MQTT device messages (the school's broker). */
    public static final String SOURCE_MQTT = "mqtt";

    private final MeterRegistry registry;
    private final Tags tags;
    private final Counter southMessages;
    private final Counter southRetainedSkipped;
    private final Counter recordsAppended;
    private final Counter batchesSent;
    private final Counter batchesRejected;
    private final Counter batchRetries;
    private final Counter recordsSent;
    private final Counter batchesSplit;
    private final Counter redeliveriesSkipped;
    private final Counter southDiskFullWaits;
    private final Map<String, Counter> decodeErrors = new ConcurrentHashMap<>();
    private final Map<String, Counter> coapRefused = new ConcurrentHashMap<>();
    private final Map<String, Counter> coapDtlsFailures = new ConcurrentHashMap<>();
    private final Map<String, Counter> unknownDevices = new ConcurrentHashMap<>();
    private final Map<String, Counter> drops = new ConcurrentHashMap<>();
    private final Map<String, java.util.concurrent.atomic.LongAdder> floodsByDevice = new ConcurrentHashMap<>();
    private final DevicesSeen devicesSeen = new DevicesSeen(DevicesSeen.DEFAULT_CAPACITY);

    public GatewayMetrics(MeterRegistry registry, String gatewayId) {
        this.registry = registry;
        this.tags = Tags.of("gateway", gatewayId);
        this.southMessages = counter("gateway_south_messages_total", "device messages received from the school's broker");
        this.southRetainedSkipped = counter("gateway_south_retained_skipped_total",
                "retained device messages the broker replayed on subscribing, skipped (south.acceptRetained false)");
        this.recordsAppended = counter("gateway_outbox_appended_total", "records appended to the outbox");
        this.batchesSent = counter("gateway_batches_sent_total", "batches the hub acknowledged");
        this.batchesRejected = counter("gateway_batches_rejected_total", "batches the hub refused, moved to the dead letters");
        this.batchRetries = counter("gateway_batch_retries_total", "batch sends that will be retried (no PUBACK, or the hub could not store)");
        this.recordsSent = counter("gateway_records_sent_total", "records the hub acknowledged");
        // registered up front so that a scrape or a health report shows 0 rather than nothing
        unknownDevices(SOURCE_MQTT);
        dropped(DROP_SOUTH_QOS0_QUEUE_FULL);
        dropped(DROP_DEVICE_FLOOD);
        this.batchesSplit = counter("gateway_batches_split_total",
                "batches the hub refused as too large (PUBACK 0x97), resent in halves");
        this.redeliveriesSkipped = counter("gateway_redeliveries_skipped_total",
                "device frames recognised as redeliveries of a frame already recorded, not recorded again");
        this.southDiskFullWaits = counter("gateway_south_disk_full_waits_total",
                "tries to record device messages refused for want of disk space; the messages stay with the broker");
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).description(description).tags(tags).register(registry);
    }

    public Counter southMessages() {
        return southMessages;
    }

    /** Unknown devices on the school's broker ({@code gateway_unknown_devices_total{source="mqtt"}}). */
    public Counter unknownDevices() {
        return unknownDevices(SOURCE_MQTT);
    }

    /** Messages from a device no route or resource maps, by source ({@code mqtt}, {@code coap}, {@code wired}). */
    public Counter unknownDevices(String source) {
        return unknownDevices.computeIfAbsent(source, s -> Counter.builder("gateway_unknown_devices_total")
                .description("device messages on a topic or resource no route maps to a device, by source")
                .tags(tags.and("source", s)).register(registry));
    }

    /** QoS 0 messages dropped while the south writer was far behind: {@link #dropped(String)} with its reason. */
    public Counter southDropped() {
        return dropped(DROP_SOUTH_QOS0_QUEUE_FULL);
    }

    /** Device messages or records dropped, by reason ({@code gateway_dropped_total{reason=...}}). */
    public Counter dropped(String reason) {
        return drops.computeIfAbsent(reason, r -> Counter.builder("gateway_dropped_total")
                .description("device messages or records the gateway dropped, by reason")
                .tags(tags.and("reason", r)).register(registry));
    }

    /**
     * A message of {@code device} ({@code room/device}, or a name for unknown devices) dropped because
     * the device sends more than it may: counted under {@code device_flood} and by device (the first
     * {@value #FLOOD_DEVICES_REPORTED} devices by name, the rest as {@code other}).
     */
    public void deviceFlood(String device) {
        dropped(DROP_DEVICE_FLOOD).increment();
        String key = floodsByDevice.containsKey(device) || floodsByDevice.size() < FLOOD_DEVICES_REPORTED ? device : "other";
        floodsByDevice.computeIfAbsent(key, k -> new java.util.concurrent.atomic.LongAdder()).increment();
    }

    /** Messages dropped as floods, by device, sorted. */
    public Map<String, Long> floodsByDevice() {
        Map<String, Long> out = new TreeMap<>();
        floodsByDevice.forEach((k, n) -> out.put(k, n.sum()));
        return out;
    }

    /** Answers published to door readers over MQTT (attendance). */
    public Counter readerAnswers() {
        return counter("gateway_reader_answers_total", "answers (green/red) published to door readers on <tap topic>/answer");
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

    /** Tries to record device messages that found the disk full (each is retried later; nothing is acknowledged). */
    public Counter southDiskFullWaits() {
        return southDiskFullWaits;
    }

    /** Batches the hub did not acknowledge within {@code uplink.ackTimeoutMillis}; each closed the connection. */
    public Counter ackTimeouts() {
        return counter("gateway_uplink_ack_timeouts_total",
                "batches without a PUBACK within uplink.ackTimeoutMillis (the connection was closed and made again)");
    }

    /** CoAP requests refused so far, by reason (only reasons that occurred). */
    public Map<String, Long> coapRefusedByReason() {
        return snapshot(coapRefused);
    }

    /** Failed DTLS handshakes so far, by reason (only reasons that occurred). */
    public Map<String, Long> coapDtlsFailuresByReason() {
        return snapshot(coapDtlsFailures);
    }


    /** Decode problems of one codec ({@code gateway_decode_errors_total{codec=...}}). */
    public Counter decodeErrors(String codec) {
        return decodeErrors.computeIfAbsent(codec, c -> Counter.builder("gateway_decode_errors_total")
                .description("device message fields or whole messages that could not be decoded")
                .tags(tags.and("codec", c)).register(registry));
    }

    /** Decode problems of every codec together. */
    public long decodeErrorsTotal() {
        return sum(decodeErrors);
    }

    public long unknownDevicesTotal() {
        return sum(unknownDevices);
    }

    public long droppedTotal() {
        return sum(drops);
    }

    /** Decode problems by codec, sorted by codec name. */
    public Map<String, Long> decodeErrorsByCodec() {
        return snapshot(decodeErrors);
    }

    /** Unknown-device messages by source, sorted. */
    public Map<String, Long> unknownDevicesBySource() {
        return snapshot(unknownDevices);
    }

    /**
     * Drops by reason, sorted; floods also by device, as {@code device_flood:room/device} (those are
     * a breakdown of {@code device_flood}, not more drops: {@link #droppedTotal} counts each drop once).
     */
    public Map<String, Long> dropsByReason() {
        Map<String, Long> out = snapshot(drops);
        floodsByDevice().forEach((device, n) -> out.put(DROP_DEVICE_FLOOD + ":" + device, n));
        return out;
    }

    /** A message of this device arrived at {@code atMillis} (routed, decodable or not). */
    public void deviceSeen(String room, String device, long atMillis) {
        devicesSeen.seen(room + "/" + device, atMillis);
    }

    /** {@code room/device} -> when it was last heard from (epoch ms), sorted by name. */
    public Map<String, Long> devicesLastSeen() {
        return devicesSeen.snapshot();
    }

    /**
     * A value read when scraped ({@code gateway_outbox_records}); NaN while it cannot be read (the
     * outbox closing), never an exception into the scrape.
     */
    public void gauge(String name, String description, java.util.function.Supplier<Number> value) {
        io.micrometer.core.instrument.Gauge.builder(name, () -> {
            try {
                return value.get();
            } catch (RuntimeException e) {
                return Double.NaN;
            }
        }).description(description).tags(tags).register(registry);
    }

    /** CoAP requests from devices that the gateway received (answered or not). */
    public Counter coapRequests() {
        return Counter.builder("gateway_coap_requests_total").description("CoAP requests from devices")
                .tags(tags).register(registry);
    }

    /**
     * CoAP requests refused, by reason ({@code gateway_coap_refused_total{reason=...}}): bad_request,
     * unknown_identity, forbidden, not_found, too_large, unsupported_format, outbox_full, busy, device_flood, error.
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

    private static long sum(Map<String, Counter> counters) {
        return counters.values().stream().mapToLong(c -> (long) c.count()).sum();
    }

    private static Map<String, Long> snapshot(Map<String, Counter> counters) {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((k, c) -> out.put(k, (long) c.count()));
        return out;
    }
}
