package org.smartschool.bridge.codec.cameraanalytics;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import org.smartschool.bridge.codec.Codec;
import org.smartschool.bridge.codec.DecodeProblem;
import org.smartschool.bridge.codec.DecodeResult;
import org.smartschool.bridge.codec.JsonPayloadReader;
import org.smartschool.bridge.codec.ProblemText;
import org.smartschool.bridge.codec.RawMessage;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.EventType;

/**
 * People counting, line crossing, occupancy and camera status from camera analytics, in the
 * generic JSON documented in {@link org.smartschool.bridge.codec.cameraanalytics the package} and
 * docs/camera-analytics.md; also the plain {@code online}/{@code offline} and bare-count payloads
 * Frigate publishes.
 */
public final class CameraAnalyticsCodec implements Codec {
    /** More people than this in one camera's view is a corrupted message, not a school hall. */
    static final int MAX_PEOPLE = 10_000;

    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{M}\\p{N} ._-]{1,64}");
    private static final List<String> TYPES = List.of("people_count", "line_crossing", "occupancy", "status");

    @Override
    public String name() {
        return "camera-analytics";
    }

    @Override
    public String description() {
        return "camera analytics JSON (people_count, line_crossing, occupancy, status) and Frigate-style"
                + " online/offline and bare counts, as people count, occupancy and online/offline events";
    }

    @Override
    public DecodeResult decode(RawMessage message, DeviceRef device) {
        String who = device.toString();
        try {
            if (message.receivedAt() <= 0) {
                return rejected(who, "$", "message has no receive time");
            }
            byte[] payload = message.payload();
            String word = payload.length <= 16 ? new String(payload, StandardCharsets.US_ASCII).strip() : "";
            if (word.equalsIgnoreCase("online") || word.equalsIgnoreCase("offline")) {
                // Frigate's frigate/available and the usual MQTT last will are plain words.
                return status(device, word, null, message.receivedAt());
            }
            JsonPayloadReader.Parsed parsed = JsonPayloadReader.json().read(payload, who);
            if (!parsed.ok()) {
                return DecodeResult.rejected(parsed.problem());
            }
            JsonNode root = parsed.root();
            if (root.isNumber()) {
                return bareCount(root, device, who, message.receivedAt());
            }
            if (!root.isObject()) {
                return rejected(who, "$", "expected a JSON object, 'online', 'offline' or a people count, got "
                        + JsonPayloadReader.describe(root));
            }
            return decodeObject(root, device, who, message.receivedAt());
        } catch (RuntimeException e) {
            // a bug, not bad input; still no exception may reach the gateway's receive loop
            return rejected(who, "$", "decoder failed: " + e.getClass().getSimpleName() + ": "
                    + ProblemText.clean(String.valueOf(e.getMessage()), 160));
        }
    }

    /** Frigate's {@code frigate/<camera>/person}: the number of people the camera sees now. */
    private static DecodeResult bareCount(JsonNode root, DeviceRef device, String who, long receivedAt) {
        List<DecodeProblem> problems = new ArrayList<>();
        Integer count = count(root, "$", who, problems);
        if (count == null) {
            return DecodeResult.of(List.of(), List.of(), problems);
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("kind", "people_count");
        attributes.put("count", count.toString());
        return DecodeResult.of(List.of(), List.of(DeviceEvent.of(device, EventType.PEOPLE_COUNT, receivedAt, attributes)),
                List.of());
    }

    private static DecodeResult decodeObject(JsonNode root, DeviceRef device, String who, long receivedAt) {
        JsonNode typeNode = root.get("type");
        if (typeNode == null || !typeNode.isTextual()) {
            return rejected(who, "$.type", "expected one of " + TYPES + ", got " + JsonPayloadReader.describe(typeNode));
        }
        String type = typeNode.textValue();
        if (!TYPES.contains(type)) {
            return rejected(who, "$.type", "unknown type " + ProblemText.quote(type) + ": expected one of " + TYPES);
        }
        JsonNode object = root.get("object");
        if (object != null && !type.equals("status")
                && !(object.isTextual() && object.textValue().equalsIgnoreCase("person"))) {
            return DecodeResult.ignoredMessage(); // vehicles, animals: we count people only
        }
        List<DecodeProblem> problems = new ArrayList<>();
        AnalyticsTime.Time time = AnalyticsTime.of(root.get("time"), receivedAt);
        if (time.problem() != null) {
            problems.add(new DecodeProblem(who, AnalyticsTime.FIELD, time.problem()));
        }
        DeviceEvent event = switch (type) {
            case "people_count" -> peopleCount(root, device, who, time.timestamp(), problems);
            case "line_crossing" -> lineCrossing(root, device, who, time.timestamp(), problems);
            case "occupancy" -> occupancy(root, device, who, time.timestamp(), problems);
            default -> statusEvent(root, device, who, time.timestamp(), problems);
        };
        return DecodeResult.of(List.of(), event == null ? List.of() : List.of(event), problems);
    }

    private static DeviceEvent peopleCount(JsonNode root, DeviceRef device, String who, long timestamp,
                                           List<DecodeProblem> problems) {
        if (!root.has("count") && !root.has("in") && !root.has("out")) {
            problems.add(new DecodeProblem(who, "$", "people_count needs at least one of 'count', 'in', 'out'"));
            return null;
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("kind", "people_count");
        for (String field : List.of("count", "in", "out")) {
            if (root.has(field)) {
                Integer value = count(root.get(field), "$." + field, who, problems);
                if (value != null) {
                    attributes.put(field, value.toString());
                }
            }
        }
        if (attributes.size() == 1) {
            return null; // every count was bad, and each is a problem already
        }
        putName(root, "zone", who, attributes, problems);
        return DeviceEvent.of(device, EventType.PEOPLE_COUNT, timestamp, attributes);
    }

    private static DeviceEvent lineCrossing(JsonNode root, DeviceRef device, String who, long timestamp,
                                            List<DecodeProblem> problems) {
        JsonNode direction = root.get("direction");
        if (direction == null || !direction.isTextual()
                || !(direction.textValue().equals("in") || direction.textValue().equals("out"))) {
            problems.add(new DecodeProblem(who, "$.direction", "expected \"in\" or \"out\", got "
                    + JsonPayloadReader.describe(direction)));
            return null;
        }
        Integer crossed = root.has("count") ? count(root.get("count"), "$.count", who, problems) : Integer.valueOf(1);
        if (crossed == null) {
            return null;
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("kind", "line_crossing");
        attributes.put(direction.textValue(), crossed.toString());
        putName(root, "line", who, attributes, problems);
        putName(root, "zone", who, attributes, problems);
        return DeviceEvent.of(device, EventType.PEOPLE_COUNT, timestamp, attributes);
    }

    private static DeviceEvent occupancy(JsonNode root, DeviceRef device, String who, long timestamp,
                                         List<DecodeProblem> problems) {
        JsonNode occupiedNode = root.get("occupied");
        if (occupiedNode != null && !occupiedNode.isBoolean()) {
            problems.add(new DecodeProblem(who, "$.occupied", "expected true or false, got "
                    + JsonPayloadReader.describe(occupiedNode)));
            return null;
        }
        Integer count = root.has("count") ? count(root.get("count"), "$.count", who, problems) : null;
        if (occupiedNode == null && count == null) {
            if (!root.has("count")) {
                problems.add(new DecodeProblem(who, "$", "occupancy needs 'occupied' or 'count'"));
            }
            return null;
        }
        boolean occupied = occupiedNode != null ? occupiedNode.booleanValue() : count > 0;
        if (count != null && occupied != (count > 0)) {
            problems.add(new DecodeProblem(who, "$.occupied", "occupied " + occupied + " contradicts count " + count
                    + ": which one is wrong is unknown, so neither is used"));
            return null;
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("occupied", Boolean.toString(occupied));
        if (count != null) {
            attributes.put("count", count.toString());
        }
        putName(root, "zone", who, attributes, problems);
        return DeviceEvent.of(device, EventType.OCCUPANCY, timestamp, attributes);
    }

    private static DeviceEvent statusEvent(JsonNode root, DeviceRef device, String who, long timestamp,
                                           List<DecodeProblem> problems) {
        JsonNode state = root.get("state");
        if (state == null || !state.isTextual()
                || !(state.textValue().equalsIgnoreCase("online") || state.textValue().equalsIgnoreCase("offline"))) {
            problems.add(new DecodeProblem(who, "$.state", "expected \"online\" or \"offline\", got "
                    + JsonPayloadReader.describe(state)));
            return null;
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        putName(root, "reason", who, attributes, problems);
        return statusOf(device, state.textValue(), attributes, timestamp);
    }

    private static DecodeResult status(DeviceRef device, String word, Map<String, String> attributes, long timestamp) {
        return DecodeResult.of(List.of(), List.of(statusOf(device, word, attributes, timestamp)), List.of());
    }

    private static DeviceEvent statusOf(DeviceRef device, String word, Map<String, String> attributes, long timestamp) {
        EventType type = word.toLowerCase(Locale.ROOT).equals("online") ? EventType.DEVICE_ONLINE : EventType.DEVICE_OFFLINE;
        return DeviceEvent.of(device, type, timestamp, attributes == null ? Map.of() : attributes);
    }

    /** A whole number of people, 0..{@link #MAX_PEOPLE}; null (and a problem) otherwise. */
    private static Integer count(JsonNode node, String field, String who, List<DecodeProblem> problems) {
        JsonPayloadReader.NumberValue number = JsonPayloadReader.number(node);
        if (!number.ok()) {
            problems.add(new DecodeProblem(who, field, number.problem()));
            return null;
        }
        double value = number.value();
        if (value != Math.rint(value)) {
            problems.add(new DecodeProblem(who, field, "a number of people must be whole, got "
                    + ProblemText.clean(node.asText(), 40)));
            return null;
        }
        if (value < 0 || value > MAX_PEOPLE) {
            problems.add(new DecodeProblem(who, field, "a number of people must be 0.." + MAX_PEOPLE + ", got "
                    + ProblemText.clean(node.asText(), 40)));
            return null;
        }
        return (int) value;
    }

    /** Copies an optional zone, line or reason name; a malformed one is a problem and left out. */
    private static void putName(JsonNode root, String field, String who, Map<String, String> attributes,
                                List<DecodeProblem> problems) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return;
        }
        if (node.isTextual() && NAME.matcher(node.textValue()).matches()) {
            attributes.put(field, node.textValue());
        } else {
            problems.add(new DecodeProblem(who, "$." + field, "expected a name of 1-64 letters, digits, spaces, '.', '_'"
                    + " or '-', got " + JsonPayloadReader.describe(node)));
        }
    }

    private static DecodeResult rejected(String who, String field, String message) {
        return DecodeResult.rejected(new DecodeProblem(who, field, message));
    }
}
