package org.smartschool.hub.fleet;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The few fields of a gateway's health report (docs/protocol.md, 3.1) worth showing beside its liveness; a
 * field the report lacks or gives with the wrong type is null.
 *
 * @param receivedAt UTC epoch ms when the hub received the report
 */
public record HealthSummary(long receivedAt, Long reportTime, Long uptimeSeconds, Long outboxRecords,
                            Long outboxOldestMillis) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The summary of a report already checked to be a JSON object. */
    public static HealthSummary of(String healthJson, long receivedAt) {
        JsonNode node;
        try {
            node = JSON.readTree(healthJson);
        } catch (IOException e) {
            node = null;
        }
        if (node == null || !node.isObject()) {
            return new HealthSummary(receivedAt, null, null, null, null);
        }
        return new HealthSummary(receivedAt, number(node, "time"), number(node, "uptimeSeconds"),
                number(node, "outboxRecords"), number(node, "outboxOldestMillis"));
    }

    private static Long number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isIntegralNumber() && value.canConvertToLong() ? value.asLong() : null;
    }
}
