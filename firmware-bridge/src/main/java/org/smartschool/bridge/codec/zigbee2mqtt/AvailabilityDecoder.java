package org.smartschool.bridge.codec.zigbee2mqtt;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.smartschool.bridge.codec.DecodeProblem;
import org.smartschool.bridge.codec.DecodeResult;
import org.smartschool.bridge.codec.JsonPayloadReader;
import org.smartschool.bridge.codec.ProblemText;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.EventType;

/**
 * Decodes {@code <base>/<friendly_name>/availability}: {@code {"state":"online"}} /
 * {@code {"state":"offline"}}, or plain {@code online} / {@code offline} when
 * {@code advanced.legacy_availability_payload} is on (the default before Zigbee2MQTT 2.0).
 * Documented at https://www.zigbee2mqtt.io/guide/configuration/device-availability.html and
 * https://www.zigbee2mqtt.io/guide/usage/mqtt_topics_and_messages.html. The message is retained
 * and carries no time, so the gateway's receive time is the event's time.
 */
final class AvailabilityDecoder {
    private static final int MAX_PLAIN_LENGTH = 64;

    private AvailabilityDecoder() {
    }

    static DecodeResult decode(byte[] payload, DeviceRef device, long receivedAt) {
        String who = device.toString();
        if (receivedAt <= 0) {
            return DecodeResult.rejected(new DecodeProblem(who, "$", "the message has no usable time (no receive time)"));
        }
        String field = "$";
        String state;
        if (payload.length > 0 && payload[0] == '{') {
            JsonPayloadReader.Parsed parsed = JsonPayloadReader.json().read(payload, who);
            if (!parsed.ok()) {
                return DecodeResult.rejected(parsed.problem());
            }
            field = "$.state";
            JsonNode node = parsed.root().get("state");
            if (node == null || !node.isTextual()) {
                return DecodeResult.rejected(new DecodeProblem(who, field,
                        "expected \"online\" or \"offline\", got " + JsonPayloadReader.describe(node)));
            }
            state = node.textValue();
        } else if (payload.length <= MAX_PLAIN_LENGTH) {
            state = new String(payload, StandardCharsets.UTF_8).trim();
        } else {
            return DecodeResult.rejected(new DecodeProblem(who, "$", "expected online, offline or"
                    + " {\"state\":\"online\"}, got " + payload.length + " bytes of something else"));
        }
        EventType type = switch (state) {
            case "online" -> EventType.DEVICE_ONLINE;
            case "offline" -> EventType.DEVICE_OFFLINE;
            default -> null;
        };
        if (type == null) {
            return DecodeResult.rejected(new DecodeProblem(who, field,
                    "expected \"online\" or \"offline\", got " + ProblemText.quote(state)));
        }
        return DecodeResult.of(List.of(), List.of(DeviceEvent.of(device, type, receivedAt, Map.of())), List.of());
    }
}
