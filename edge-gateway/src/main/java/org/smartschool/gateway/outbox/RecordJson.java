package org.smartschool.gateway.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.Reading;

/**
 * Jackson JSON of the canonical record: how a refused batch keeps its records, as lines
 * {@code {"kind":"reading","record":{...}}} (readable, and exported as they are by the
 * {@code dead-letters} command), and how outbox rows were stored before {@link CompactRecords}
 * (such rows are still read).
 */
final class RecordJson {
    static final String READING = "reading";
    static final String EVENT = "event";

    private final ObjectMapper json = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    String write(Object record) {
        try {
            return json.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialize " + record.getClass().getSimpleName(), e);
        }
    }

    Reading readReading(String text) throws JsonProcessingException {
        return json.readValue(text, Reading.class);
    }

    DeviceEvent readEvent(String text) throws JsonProcessingException {
        return json.readValue(text, DeviceEvent.class);
    }

    /** One line of a refused batch: the stored body as it is, tagged with its kind. */
    static String line(String kind, String body) {
        return "{\"kind\":\"" + kind + "\",\"record\":" + body + "}";
    }

    /** A {@link Reading} or a {@link DeviceEvent} from a line written by {@link #line}. */
    Object readLine(String line) throws JsonProcessingException {
        JsonNode node = json.readTree(line);
        JsonNode kind = node.get("kind");
        JsonNode record = node.get("record");
        if (kind == null || record == null || !record.isObject()) {
            throw new IllegalArgumentException("expected {\"kind\":..,\"record\":{..}}");
        }
        return switch (kind.asText()) {
            case READING -> json.treeToValue(record, Reading.class);
            case EVENT -> json.treeToValue(record, DeviceEvent.class);
            default -> throw new IllegalArgumentException("unknown record kind '" + kind.asText() + "'");
        };
    }
}
