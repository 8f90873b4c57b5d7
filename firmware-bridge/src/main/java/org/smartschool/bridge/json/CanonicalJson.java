package org.smartschool.bridge.json;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.smartschool.bridge.codec.DecodeProblem;
import org.smartschool.bridge.codec.DecodeResult;
import org.smartschool.bridge.codec.ProblemText;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;

/**
 * The canonical JSON form of readings, device events and decode problems: one JSON object per
 * record, on one line, as the CLI prints them and the hub API serves them.
 *
 * <pre>
 * {"kind":"reading","school":"thcs-a","room":"r101","device":"r101-air","quantity":"co2","value":812.0,
 *  "unit":"ppm","time":"2026-03-02T01:15:00.123Z","timestamp":1772414100123}
 * {"kind":"event","id":"5f0c...","type":"door_open","school":"thcs-a","room":"r101","device":"door1",
 *  "time":"2026-03-02T01:15:00.123Z","timestamp":1772414100123,"attributes":{"kind":"smoke","active":"true"}}
 * {"kind":"problem","device":"thcs-a/r101/r101-air","field":"$.temperature","message":"expected a number, ..."}
 * </pre>
 *
 * <ul>
 *   <li>Members come in the order above; event attributes are sorted by name. Equal records give
 *       equal bytes.</li>
 *   <li>{@code quantity} and {@code type} are the model's ids ({@link Quantity#id()},
 *       {@link EventType#id()}); {@code unit} is always the quantity's canonical unit.</li>
 *   <li>{@code value} is a JSON number (a double; never NaN or infinite).</li>
 *   <li>{@code timestamp} is UTC epoch milliseconds and is authoritative; {@code time} is the same
 *       instant in ISO 8601 UTC with milliseconds, for people.</li>
 *   <li>{@code attributes} are strings; they may hold personal data (a card uid): canonical JSON
 *       is for the SMS and the API, never for logs.</li>
 * </ul>
 * {@link #parse(String)} reads a line back. It accepts {@code timestamp}, {@code time} or both
 * (then they must agree), and ignores members it does not know, so older readers keep working
 * when members are added.
 */
public final class CanonicalJson {
    public static final String KIND_READING = "reading";
    public static final String KIND_EVENT = "event";
    public static final String KIND_PROBLEM = "problem";

    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private CanonicalJson() {
    }

    /** The instant as canonical JSON writes it: {@code 2026-03-02T01:15:00.123Z}. */
    public static String isoTime(long epochMillis) {
        return ISO_MILLIS.format(Instant.ofEpochMilli(epochMillis));
    }

    public static String toJson(Reading reading) {
        return write(g -> {
            g.writeStringField("kind", KIND_READING);
            g.writeStringField("school", reading.school());
            g.writeStringField("room", reading.room());
            g.writeStringField("device", reading.device());
            g.writeStringField("quantity", reading.quantity().id());
            g.writeNumberField("value", reading.value());
            g.writeStringField("unit", reading.unit());
            g.writeStringField("time", isoTime(reading.timestamp()));
            g.writeNumberField("timestamp", reading.timestamp());
        });
    }

    public static String toJson(DeviceEvent event) {
        return write(g -> {
            g.writeStringField("kind", KIND_EVENT);
            g.writeStringField("id", event.id());
            g.writeStringField("type", event.type().id());
            g.writeStringField("school", event.school());
            g.writeStringField("room", event.room());
            g.writeStringField("device", event.device());
            g.writeStringField("time", isoTime(event.timestamp()));
            g.writeNumberField("timestamp", event.timestamp());
            g.writeObjectFieldStart("attributes");
            for (Map.Entry<String, String> a : new TreeMap<>(event.attributes()).entrySet()) {
                g.writeStringField(a.getKey(), a.getValue());
            }
            g.writeEndObject();
        });
    }

    public static String toJson(DecodeProblem problem) {
        return write(g -> {
            g.writeStringField("kind", KIND_PROBLEM);
            g.writeStringField("device", problem.device());
            g.writeStringField("field", problem.field());
            g.writeStringField("message", problem.message());
        });
    }

    /** The result's readings, then its events, one line each (its problems are not included). */
    public static List<String> recordLines(DecodeResult result) {
        List<String> lines = new ArrayList<>(result.recordCount());
        result.readings().forEach(r -> lines.add(toJson(r)));
        result.events().forEach(e -> lines.add(toJson(e)));
        return lines;
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static String write(Body body) {
        StringWriter out = new StringWriter(192);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to a string failed", e); // cannot happen
        }
        return out.toString();
    }

    /**
     * Reads one canonical JSON line back.
     *
     * @throws CanonicalJsonException naming the member that is missing, of the wrong type or invalid
     */
    public static CanonicalRecord parse(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new CanonicalJsonException("$", "not JSON: " + ProblemText.clean(e.getOriginalMessage(), 160));
        }
        if (root == null || !root.isObject()) {
            throw new CanonicalJsonException("$", "expected a JSON object");
        }
        String kind = text(root, "kind");
        try {
            return switch (kind) {
                case KIND_READING -> new CanonicalRecord.OfReading(new Reading(text(root, "school"), text(root, "room"),
                        text(root, "device"), quantity(root), finite(root, "value"), text(root, "unit"), timestamp(root)));
                case KIND_EVENT -> new CanonicalRecord.OfEvent(new DeviceEvent(text(root, "id"), text(root, "school"),
                        text(root, "room"), text(root, "device"), eventType(root), timestamp(root), attributes(root)));
                case KIND_PROBLEM -> new CanonicalRecord.OfProblem(new DecodeProblem(text(root, "device"),
                        text(root, "field"), text(root, "message")));
                default -> throw new CanonicalJsonException("$.kind", "expected reading, event or problem, got "
                        + ProblemText.quote(kind));
            };
        } catch (CanonicalJsonException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            // the model refused a value (an invalid id, a unit that is not canonical): its message names it
            throw new CanonicalJsonException("$", e.getMessage());
        }
    }

    private static String text(JsonNode root, String name) {
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
            throw new CanonicalJsonException("$." + name, "missing");
        }
        if (!node.isTextual()) {
            throw new CanonicalJsonException("$." + name, "expected a string");
        }
        return node.textValue();
    }

    private static Quantity quantity(JsonNode root) {
        String id = text(root, "quantity");
        return Quantity.byId(id).orElseThrow(() -> new CanonicalJsonException("$.quantity",
                "unknown quantity " + ProblemText.quote(id)));
    }

    private static EventType eventType(JsonNode root) {
        String id = text(root, "type");
        return EventType.byId(id).orElseThrow(() -> new CanonicalJsonException("$.type",
                "unknown event type " + ProblemText.quote(id)));
    }

    private static double finite(JsonNode root, String name) {
        JsonNode node = root.get(name);
        if (node == null || !node.isNumber()) {
            throw new CanonicalJsonException("$." + name, node == null ? "missing" : "expected a number");
        }
        double v = node.doubleValue();
        if (!Double.isFinite(v)) {
            throw new CanonicalJsonException("$." + name, "not a finite number");
        }
        return v;
    }

    private static long timestamp(JsonNode root) {
        JsonNode millis = root.get("timestamp");
        JsonNode time = root.get("time");
        Long fromMillis = null;
        if (millis != null) {
            if (!millis.isIntegralNumber() || !millis.canConvertToLong()) {
                throw new CanonicalJsonException("$.timestamp", "expected whole epoch milliseconds");
            }
            fromMillis = millis.longValue();
        }
        Long fromTime = null;
        if (time != null) {
            if (!time.isTextual()) {
                throw new CanonicalJsonException("$.time", "expected an ISO 8601 string");
            }
            try {
                fromTime = Instant.parse(time.textValue()).toEpochMilli();
            } catch (DateTimeParseException | ArithmeticException e) {
                throw new CanonicalJsonException("$.time", "not an ISO 8601 UTC time: " + ProblemText.quote(time.textValue()));
            }
        }
        if (fromMillis == null && fromTime == null) {
            throw new CanonicalJsonException("$.timestamp", "missing (and no time either)");
        }
        if (fromMillis != null && fromTime != null && !fromMillis.equals(fromTime)) {
            throw new CanonicalJsonException("$.time", "says " + time.textValue() + " but timestamp says "
                    + isoTime(fromMillis));
        }
        return fromMillis != null ? fromMillis : fromTime;
    }

    private static Map<String, String> attributes(JsonNode root) {
        JsonNode node = root.get("attributes");
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new CanonicalJsonException("$.attributes", "expected an object");
        }
        Map<String, String> attributes = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new CanonicalJsonException("$.attributes." + e.getKey(), "expected a string");
            }
            attributes.put(e.getKey(), e.getValue().textValue());
        }
        return attributes;
    }
}
