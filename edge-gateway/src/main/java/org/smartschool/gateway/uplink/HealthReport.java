package org.smartschool.gateway.uplink;

import java.util.Map;
import java.util.OptionalLong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The health report a gateway publishes on {@code ss/v1/{school}/{gateway}/health} (docs/protocol.md):
 * <pre>
 * {"gateway":"g1","school":"s1","time":..,"uptimeSeconds":12,"outboxRecords":0,"outboxOldestMillis":null,
 *  "diskFull":false,
 *  "counters":{"south_messages":..,"decode_errors":..,"unknown_devices":..,"batches_sent":..,"batches_rejected":..}}
 * </pre>
 *
 * @param diskFullReason null while the outbox takes device messages; else why it does not (the
 *                       disk is below its free-space watermark): {@code "diskFull":true} and this
 *                       text as {@code diskFullReason}
 */
public record HealthReport(String gateway, String school, long time, long uptimeSeconds, long outboxRecords,
                           OptionalLong outboxOldestMillis, Map<String, Long> counters, String diskFullReason) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public HealthReport {
        counters = Map.copyOf(counters);
    }

    public HealthReport(String gateway, String school, long time, long uptimeSeconds, long outboxRecords,
                        OptionalLong outboxOldestMillis, Map<String, Long> counters) {
        this(gateway, school, time, uptimeSeconds, outboxRecords, outboxOldestMillis, counters, null);
    }

    public byte[] toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("gateway", gateway);
        root.put("school", school);
        root.put("time", time);
        root.put("uptimeSeconds", uptimeSeconds);
        root.put("outboxRecords", outboxRecords);
        if (outboxOldestMillis.isPresent()) {
            root.put("outboxOldestMillis", outboxOldestMillis.getAsLong());
        } else {
            root.putNull("outboxOldestMillis");
        }
        root.put("diskFull", diskFullReason != null);
        if (diskFullReason != null) {
            root.put("diskFullReason", diskFullReason);
        }
        ObjectNode out = root.putObject("counters");
        // sorted: a stable order for people reading it
        for (String name : new java.util.TreeMap<>(counters).keySet()) {
            out.put(name, counters.get(name));
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("health report cannot be serialized", e);
        }
    }
}
