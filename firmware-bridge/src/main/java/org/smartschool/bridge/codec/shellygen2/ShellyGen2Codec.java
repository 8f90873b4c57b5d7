package org.smartschool.bridge.codec.shellygen2;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.smartschool.bridge.codec.Codec;
import org.smartschool.bridge.codec.DecodeProblem;
import org.smartschool.bridge.codec.DecodeResult;
import org.smartschool.bridge.codec.JsonPayloadReader;
import org.smartschool.bridge.codec.ProblemText;
import org.smartschool.bridge.codec.RawMessage;
import org.smartschool.bridge.codec.devicetime.DeviceClock;
import org.smartschool.bridge.codec.plaintext.PlainPayload;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.model.Reading;

/**
 * Shelly Gen2+ devices over MQTT (https://shelly-api-docs.shelly.cloud/gen2/ComponentsAndServices/Mqtt):
 * <ul>
 *   <li>{@code <topic_prefix>/events/rpc}: JSON-RPC notifications. {@code NotifyStatus} (what changed) and
 *       {@code NotifyFullStatus} (everything) carry component statuses, decoded by {@link ComponentStatus};
 *       their {@code params.ts} (UTC seconds with a fraction) is the time of every value.
 *       {@code NotifyEvent} (button pushes, scripts) and responses are ignored on purpose;</li>
 *   <li>{@code <topic_prefix>/status/<component>}: one component's status ("generic status update");
 *       it has no time of its own, so the receive time is used;</li>
 *   <li>{@code <topic_prefix>/online}: {@code true} on connect, {@code false} as the last will:
 *       {@link EventType#DEVICE_ONLINE} / {@link EventType#DEVICE_OFFLINE}.</li>
 * </ul>
 */
public final class ShellyGen2Codec implements Codec {

    @Override
    public String name() {
        return "shelly-gen2";
    }

    @Override
    public String description() {
        return "Shelly Gen2+ <id>/events/rpc NotifyStatus/NotifyFullStatus (temperature, humidity, illuminance,"
                + " devicepower, switch/pm1 power and energy, smoke, wifi), <id>/status/<component>, <id>/online";
    }

    @Override
    public DecodeResult decode(RawMessage message, DeviceRef device) {
        String[] levels = message.topic().split("/", -1);
        int n = levels.length;
        if (n >= 2 && levels[n - 1].equals("online")) {
            return online(message, device);
        }
        if (n >= 3 && levels[n - 2].equals("events") && levels[n - 1].equals("rpc")) {
            return notification(message, device);
        }
        if (n >= 3 && levels[n - 2].equals("status")) {
            return componentTopic(message, device, levels[n - 1]);
        }
        return DecodeResult.ignoredMessage();
    }

    private static DecodeResult notification(RawMessage message, DeviceRef device) {
        JsonPayloadReader.Parsed parsed = JsonPayloadReader.json().read(message.payload(), device.toString());
        if (!parsed.ok()) {
            return DecodeResult.rejected(parsed.problem());
        }
        JsonNode frame = parsed.root();
        if (!frame.isObject()) {
            return DecodeResult.rejected(problem(device, "$", "expected a JSON-RPC frame (an object), got "
                    + JsonPayloadReader.describe(frame)));
        }
        JsonNode method = frame.get("method");
        if (method == null) {
            return DecodeResult.ignoredMessage(); // a response to a request, not a notification
        }
        if (!method.isTextual()) {
            return DecodeResult.rejected(problem(device, "$.method", "expected a method name, got " + JsonPayloadReader.describe(method)));
        }
        if (!method.textValue().equals("NotifyStatus") && !method.textValue().equals("NotifyFullStatus")) {
            return DecodeResult.ignoredMessage(); // NotifyEvent and others carry no status
        }
        JsonNode params = frame.get("params");
        if (params == null || !params.isObject()) {
            return DecodeResult.rejected(problem(device, "$.params", "expected the component statuses (an object), got "
                    + JsonPayloadReader.describe(params)));
        }
        List<Reading> readings = new ArrayList<>();
        List<DeviceEvent> events = new ArrayList<>();
        List<DecodeProblem> problems = new ArrayList<>();
        long timestamp = timestamp(params.get("ts"), message.receivedAt(), device, problems);
        ComponentStatus components = new ComponentStatus(device, timestamp, readings, events, problems);
        Iterator<Map.Entry<String, JsonNode>> fields = params.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> entry = fields.next();
            if (!entry.getKey().equals("ts")) {
                components.decode(entry.getKey(), entry.getValue(), true);
            }
        }
        return result(readings, events, problems);
    }

    private static DecodeResult componentTopic(RawMessage message, DeviceRef device, String key) {
        JsonPayloadReader.Parsed parsed = JsonPayloadReader.json().read(message.payload(), device.toString());
        if (!parsed.ok()) {
            return DecodeResult.rejected(parsed.problem());
        }
        List<Reading> readings = new ArrayList<>();
        List<DeviceEvent> events = new ArrayList<>();
        List<DecodeProblem> problems = new ArrayList<>();
        new ComponentStatus(device, message.receivedAt(), readings, events, problems).decode(key, parsed.root(), false);
        return result(readings, events, problems);
    }

    private static DecodeResult result(List<Reading> readings, List<DeviceEvent> events, List<DecodeProblem> problems) {
        if (readings.isEmpty() && events.isEmpty() && problems.isEmpty()) {
            return DecodeResult.ignoredMessage(); // only relay outputs, inputs, cloud or system status changed
        }
        return DecodeResult.of(readings, events, problems);
    }

    /** {@code ts} is "Unix timestamp (in UTC)" with a fraction; a device without time sync leaves it out. */
    private static long timestamp(JsonNode ts, long receivedAt, DeviceRef device, List<DecodeProblem> problems) {
        if (ts == null || ts.isNull()) {
            return receivedAt;
        }
        JsonPayloadReader.NumberValue seconds = JsonPayloadReader.number(ts);
        if (!seconds.ok()) {
            problems.add(problem(device, "$.params.ts", seconds.problem() + "; receive time used"));
            return receivedAt;
        }
        long millis = DeviceClock.fromEpochSeconds(seconds.value());
        String clock = millis == Long.MIN_VALUE ? "not a time in seconds since 1970; receive time used"
                : DeviceClock.problem(millis, receivedAt);
        if (clock != null) {
            problems.add(problem(device, "$.params.ts", clock));
            return receivedAt;
        }
        return millis;
    }

    private static DecodeResult online(RawMessage message, DeviceRef device) {
        PlainPayload.Text text = PlainPayload.text(message.payload());
        if (!text.ok()) {
            return DecodeResult.rejected(problem(device, "$", text.problem()));
        }
        EventType type;
        switch (text.value()) {
            case "true" -> type = EventType.DEVICE_ONLINE;
            case "false" -> type = EventType.DEVICE_OFFLINE;
            case "" -> {
                return DecodeResult.ignoredMessage(); // a cleared retained message
            }
            default -> {
                return DecodeResult.rejected(problem(device, "$", "expected true or false, got " + ProblemText.quote(text.value())));
            }
        }
        return DecodeResult.of(List.of(), List.of(DeviceEvent.of(device, type, message.receivedAt(), Map.of())), List.of());
    }

    private static DecodeProblem problem(DeviceRef device, String field, String message) {
        return new DecodeProblem(device.toString(), field, message);
    }
}
