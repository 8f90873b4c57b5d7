package org.smartschool.gateway.uplink;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.smartschool.gateway.telemetry.SystemStats;
import org.smartschool.gateway.wired.WiredStatus;

/**
 * The health report a gateway publishes on {@code ss/v1/{school}/{gateway}/health} every
 * {@code uplink.healthIntervalMillis} (docs/protocol.md, section 3.1, has the fields): every counter
 * the gateway keeps, the outbox, each device's last seen time, the machine, the desired configuration.
 *
 * @param version the gateway's software version
 * @param outboxOldestMillis when the oldest waiting record was appended; empty when none waits
 * @param counters totals since start, by name ({@code south_messages}, {@code batch_retries} ...)
 * @param drops dropped messages or records by reason
 * @param decodeErrors decode problems by codec
 * @param unknownDevices messages of unknown devices by source ({@code mqtt}, {@code coap} ...)
 * @param devicesLastSeen {@code room/device} -> epoch ms it was last heard from
 * @param desiredConfigVersion the desired configuration version this gateway holds, if any
 * @param desiredConfigRefusal why the last desired configuration the hub sent was refused, or null
 * @param diskFullReason null while the outbox takes device messages; else why it does not (the
 *                       disk is below its free-space watermark): {@code "diskFull":true} and this
 *                       text as {@code diskFullReason}
 * @param coap the CoAP server's counters (zeros while CoAP is off)
 * @param wired the devices wired to the Pi and what their messages became (none while wired is off)
 * @param window the uplink's window: its size and the batches in it now
 * @param rules the school's rules: alarms open, rule tracks, transitions stored
 */
public record HealthReport(String gateway, String school, String version, long time, long uptimeSeconds,
                           boolean southConnected, boolean northConnected,
                           long outboxRecords, OptionalLong outboxOldestMillis, long outboxDeadLetters,
                           Map<String, Long> counters, Map<String, Long> drops, Map<String, Long> decodeErrors,
                           Map<String, Long> unknownDevices, Map<String, Long> devicesLastSeen,
                           SystemStats.Snapshot system, OptionalLong desiredConfigVersion, String desiredConfigRefusal,
                           String diskFullReason, Coap coap, Wired wired, Window window, Rules rules) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The uplink's window of batches sent to the hub and not yet settled.
     *
     * @param windowBatches batches it may have in flight now: {@code uplink.windowBatches}, lowered
     *                      to the hub's Receive Maximum, 1 while a batch the hub found too large is split
     * @param batchesInFlight batches taken from the outbox and not yet settled by a PUBACK (sent on
     *                        the current connection, or waiting to be resent)
     */
    public record Window(int windowBatches, int batchesInFlight) {
        public static final Window NONE = new Window(0, 0);
    }

    /**
     * The school's rules at work on the gateway.
     *
     * @param activeAlarms alarms open now (rule alarms and detector alarms)
     * @param tracks rule tracks held (rule x sensor series): the size of the rules' state
     * @param transitions alarm transitions stored in the outbox since start
     */
    public record Rules(long activeAlarms, long tracks, long transitions) {
        public static final Rules NONE = new Rules(0, 0, 0);
    }

    /**
     * CoAP requests from devices ({@code gateway_coap_*}).
     *
     * @param refused refused requests by reason ({@code bad_request}, {@code outbox_full} ...)
     * @param dtlsFailures failed DTLS handshakes by reason ({@code unknown_identity}, {@code failed})
     */
    public record Coap(long requests, Map<String, Long> refused, Map<String, Long> dtlsFailures,
                       long observeRegistrations) {
        public static final Coap NONE = new Coap(0, Map.of(), Map.of(), 0);

        public Coap {
            refused = Map.copyOf(refused);
            dtlsFailures = Map.copyOf(dtlsFailures);
        }
    }

    /**
     * Devices wired to the Pi ({@code gateway_wired_*}).
     *
     * @param recorded wired messages the outbox committed
     * @param rejected wired messages the intake refused (dead letters)
     * @param dropped wired messages lost to a full outbox
     * @param devices each wired device's state, by device id
     */
    public record Wired(long recorded, long rejected, long dropped, List<WiredStatus> devices) {
        public static final Wired NONE = new Wired(0, 0, 0, List.of());

        public Wired {
            devices = List.copyOf(devices);
        }
    }

    /** Without CoAP and wired devices. */
    public HealthReport(String gateway, String school, String version, long time, long uptimeSeconds,
                        boolean southConnected, boolean northConnected,
                        long outboxRecords, OptionalLong outboxOldestMillis, long outboxDeadLetters,
                        Map<String, Long> counters, Map<String, Long> drops, Map<String, Long> decodeErrors,
                        Map<String, Long> unknownDevices, Map<String, Long> devicesLastSeen,
                        SystemStats.Snapshot system, OptionalLong desiredConfigVersion, String desiredConfigRefusal,
                        String diskFullReason) {
        this(gateway, school, version, time, uptimeSeconds, southConnected, northConnected, outboxRecords,
                outboxOldestMillis, outboxDeadLetters, counters, drops, decodeErrors, unknownDevices, devicesLastSeen,
                system, desiredConfigVersion, desiredConfigRefusal, diskFullReason, Coap.NONE, Wired.NONE, Window.NONE);
    }

    /** Without the uplink's window. */
    public HealthReport(String gateway, String school, String version, long time, long uptimeSeconds,
                        boolean southConnected, boolean northConnected,
                        long outboxRecords, OptionalLong outboxOldestMillis, long outboxDeadLetters,
                        Map<String, Long> counters, Map<String, Long> drops, Map<String, Long> decodeErrors,
                        Map<String, Long> unknownDevices, Map<String, Long> devicesLastSeen,
                        SystemStats.Snapshot system, OptionalLong desiredConfigVersion, String desiredConfigRefusal,
                        String diskFullReason, Coap coap, Wired wired) {
        this(gateway, school, version, time, uptimeSeconds, southConnected, northConnected, outboxRecords,
                outboxOldestMillis, outboxDeadLetters, counters, drops, decodeErrors, unknownDevices, devicesLastSeen,
                system, desiredConfigVersion, desiredConfigRefusal, diskFullReason, coap, wired, Window.NONE);
    }

    /** Without the school's rules. */
    public HealthReport(String gateway, String school, String version, long time, long uptimeSeconds,
                        boolean southConnected, boolean northConnected,
                        long outboxRecords, OptionalLong outboxOldestMillis, long outboxDeadLetters,
                        Map<String, Long> counters, Map<String, Long> drops, Map<String, Long> decodeErrors,
                        Map<String, Long> unknownDevices, Map<String, Long> devicesLastSeen,
                        SystemStats.Snapshot system, OptionalLong desiredConfigVersion, String desiredConfigRefusal,
                        String diskFullReason, Coap coap, Wired wired, Window window) {
        this(gateway, school, version, time, uptimeSeconds, southConnected, northConnected, outboxRecords,
                outboxOldestMillis, outboxDeadLetters, counters, drops, decodeErrors, unknownDevices, devicesLastSeen,
                system, desiredConfigVersion, desiredConfigRefusal, diskFullReason, coap, wired, window, Rules.NONE);
    }

    public HealthReport {
        rules = rules != null ? rules : Rules.NONE;
        coap = coap != null ? coap : Coap.NONE;
        wired = wired != null ? wired : Wired.NONE;
        window = window != null ? window : Window.NONE;
        counters = Map.copyOf(counters);
        drops = Map.copyOf(drops);
        decodeErrors = Map.copyOf(decodeErrors);
        unknownDevices = Map.copyOf(unknownDevices);
        devicesLastSeen = Map.copyOf(devicesLastSeen);
    }

    public byte[] toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("gateway", gateway);
        root.put("school", school);
        root.put("version", version);
        root.put("time", time);
        root.put("uptimeSeconds", uptimeSeconds);
        root.put("online", true);
        ObjectNode links = root.putObject("links");
        links.put("south", southConnected);
        links.put("north", northConnected);
        root.put("outboxRecords", outboxRecords);
        if (outboxOldestMillis.isPresent()) {
            root.put("outboxOldestMillis", outboxOldestMillis.getAsLong());
            root.put("outboxOldestAgeSeconds", Math.max(0, (time - outboxOldestMillis.getAsLong()) / 1000));
        } else {
            root.putNull("outboxOldestMillis");
            root.putNull("outboxOldestAgeSeconds");
        }
        root.put("outboxDeadLetters", outboxDeadLetters);
        root.put("diskFull", diskFullReason != null);
        if (diskFullReason != null) {
            root.put("diskFullReason", diskFullReason);
        }
        // sorted: a stable order for people reading it
        putSorted(root.putObject("counters"), counters);
        putSorted(root.putObject("drops"), drops);
        putSorted(root.putObject("decodeErrors"), decodeErrors);
        putSorted(root.putObject("unknownDevices"), unknownDevices);
        putSorted(root.putObject("devices"), devicesLastSeen);
        ObjectNode host = root.putObject("system");
        if (system.cpuTemperatureCelsius().isPresent()) {
            host.put("cpuTemperatureCelsius", system.cpuTemperatureCelsius().getAsDouble());
        } else {
            host.putNull("cpuTemperatureCelsius");
        }
        putOptional(host, "diskFreeBytes", system.diskFreeBytes());
        putOptional(host, "diskTotalBytes", system.diskTotalBytes());
        host.put("heapUsedBytes", system.heapUsedBytes());
        host.put("heapMaxBytes", system.heapMaxBytes());
        putOptional(host, "rssBytes", system.rssBytes());
        ObjectNode coapNode = root.putObject("coap");
        coapNode.put("requests", coap.requests());
        putSorted(coapNode.putObject("refused"), coap.refused());
        putSorted(coapNode.putObject("dtlsFailures"), coap.dtlsFailures());
        coapNode.put("observeRegistrations", coap.observeRegistrations());
        ObjectNode wiredNode = root.putObject("wired");
        wiredNode.put("recorded", wired.recorded());
        wiredNode.put("rejected", wired.rejected());
        wiredNode.put("dropped", wired.dropped());
        ObjectNode wiredDevices = wiredNode.putObject("devices");
        for (WiredStatus status : wired.devices()) {
            ObjectNode device = wiredDevices.putObject(status.device());
            device.put("kind", status.kind());
            device.put("online", status.online());
            device.put("samples", status.samples());
            device.put("failures", status.failures());
            device.put("crcErrors", status.crcErrors());
            if (status.lastSampleAt() > 0) {
                device.put("lastSampleMillis", status.lastSampleAt());
            } else {
                device.putNull("lastSampleMillis");
            }
            if (status.lastProblem() != null) {
                device.put("lastProblem", status.lastProblem());
            } else {
                device.putNull("lastProblem");
            }
        }
        ObjectNode uplink = root.putObject("uplink");
        uplink.put("windowBatches", window.windowBatches());
        uplink.put("batchesInFlight", window.batchesInFlight());
        ObjectNode rulesNode = root.putObject("rules");
        rulesNode.put("activeAlarms", rules.activeAlarms());
        rulesNode.put("tracks", rules.tracks());
        rulesNode.put("transitions", rules.transitions());
        ObjectNode desired = root.putObject("desiredConfig");
        putOptional(desired, "version", desiredConfigVersion);
        if (desiredConfigRefusal != null) {
            desired.put("refusal", desiredConfigRefusal);
        } else {
            desired.putNull("refusal");
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("health report cannot be serialized", e);
        }
    }

    /**
     * The MQTT will of the uplink connection: what the hub records as this gateway's last report when
     * its connection ends without DISCONNECT. {@code time} is when the connection was made.
     */
    public static byte[] offlineWill(String gateway, String school, long time) {
        ObjectNode root = JSON.createObjectNode();
        root.put("gateway", gateway);
        root.put("school", school);
        root.put("time", time);
        root.put("online", false);
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("will cannot be serialized", e);
        }
    }

    private static void putSorted(ObjectNode node, Map<String, Long> values) {
        new TreeMap<>(values).forEach(node::put);
    }

    private static void putOptional(ObjectNode node, String name, OptionalLong value) {
        if (value.isPresent()) {
            node.put(name, value.getAsLong());
        } else {
            node.putNull(name);
        }
    }
}
