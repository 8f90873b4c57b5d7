package org.smartschool.gateway.outbox;

import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The export format of {@code dead-letters export}: JSON lines, one dead letter per line.
 * <pre>
 * {"type":"device-frame","id":7,"topic":"esphome/r101/co2/state","contentType":null,
 *  "payloadBase64":"NDEy","receivedAt":1760000000000,"reason":"unknown device: ...","time":1760000000001}
 * {"type":"refused-batch","id":3,"batchId":"gw-1-17..-17..","topic":"ss/v1/s1/gw-1/batch",
 *  "reason":"hub refused the batch: 0x99 ...","time":1760000000002,
 *  "records":[{"kind":"reading","record":{...}},{"kind":"event","record":{...}}]}
 * </pre>
 * The payload is base64 (the exact bytes the device sent); records are the canonical JSON.
 */
public final class DeadLetterExport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DeadLetterExport() {
    }

    public static String line(DeadLetter letter) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", "device-frame");
        node.put("id", letter.id());
        node.put("topic", letter.topic());
        node.put("contentType", letter.contentType());
        node.put("payloadBase64", Base64.getEncoder().encodeToString(letter.payload()));
        node.put("receivedAt", letter.receivedAt());
        node.put("reason", letter.reason());
        node.put("time", letter.time());
        return node.toString();
    }

    public static String line(RefusedBatch batch) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", "refused-batch");
        node.put("id", batch.id());
        node.put("batchId", batch.batchId());
        node.put("topic", batch.topic());
        node.put("reason", batch.reason());
        node.put("time", batch.time());
        ArrayNode records = node.putArray("records");
        for (String line : batch.lines().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                records.add(JSON.readTree(line));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                // a row that was unreadable JSON already: keep its text
                ObjectNode raw = JSON.createObjectNode();
                raw.put("unreadable", line);
                records.add(raw);
            }
        }
        return node.toString();
    }

    /** The device frame of an exported line, for tools that replay from an export. */
    public static DeadLetter deviceFrame(String line) throws com.fasterxml.jackson.core.JsonProcessingException {
        JsonNode node = JSON.readTree(line);
        if (!"device-frame".equals(node.path("type").asText())) {
            throw new IllegalArgumentException("not a device-frame line");
        }
        JsonNode contentType = node.get("contentType");
        return new DeadLetter(node.path("id").asLong(), node.path("topic").asText(),
                contentType == null || contentType.isNull() ? null : contentType.asText(),
                Base64.getDecoder().decode(node.path("payloadBase64").asText()), node.path("receivedAt").asLong(),
                node.path("reason").asText(), node.path("time").asLong());
    }
}
