package org.smartschool.hub.alarm;

import java.io.IOException;
import java.util.Iterator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the hub's rules read in a gateway health report (docs/protocol.md, 3.1); a field the report lacks or gives
 * with the wrong type is null.
 *
 * @param outboxRecords          readings and events waiting in the gateway's outbox
 * @param outboxOldestAgeSeconds how far behind the hub is: 0 for an empty outbox; taken from
 *                               {@code outboxOldestAgeSeconds}, else {@code time - outboxOldestMillis}
 * @param unknownDevices         messages of devices no route maps since the gateway started: the sum of the
 *                               {@code unknownDevices} object, else {@code counters.unknown_devices}
 * @param uptimeSeconds          since the gateway process started (tells a restart from a counter that fell)
 */
public record HealthSignals(Long outboxRecords, Long outboxOldestAgeSeconds, Long unknownDevices, Long uptimeSeconds) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The signals of a report already checked to be a JSON object; all null when it cannot be read. */
    public static HealthSignals of(String healthJson) {
        JsonNode node;
        try {
            node = JSON.readTree(healthJson);
        } catch (IOException e) {
            node = null;
        }
        if (node == null || !node.isObject()) {
            return new HealthSignals(null, null, null, null);
        }
        Long records = number(node.get("outboxRecords"));
        return new HealthSignals(records, age(node, records), unknownDevices(node), number(node.get("uptimeSeconds")));
    }

    private static Long age(JsonNode node, Long records) {
        Long age = number(node.get("outboxOldestAgeSeconds"));
        if (age != null) {
            return Math.max(0, age);
        }
        Long oldest = number(node.get("outboxOldestMillis"));
        Long time = number(node.get("time"));
        if (oldest != null && time != null) {
            return Math.max(0, (time - oldest) / 1000);
        }
        // an explicit null (or no field) with an empty outbox: nothing waits
        return records != null && records == 0 ? 0L : null;
    }

    private static Long unknownDevices(JsonNode node) {
        JsonNode bySource = node.get("unknownDevices");
        if (bySource != null && bySource.isObject()) {
            long total = 0;
            for (Iterator<JsonNode> it = bySource.elements(); it.hasNext(); ) {
                Long n = number(it.next());
                if (n != null && n > 0) {
                    total += n;
                }
            }
            return total;
        }
        JsonNode counters = node.get("counters");
        return counters != null && counters.isObject() ? number(counters.get("unknown_devices")) : null;
    }

    private static Long number(JsonNode value) {
        return value != null && value.isIntegralNumber() && value.canConvertToLong() ? value.asLong() : null;
    }
}
