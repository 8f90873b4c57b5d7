package org.smartschool.bridge.codec.tasmota;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.smartschool.bridge.codec.Codec;
import org.smartschool.bridge.codec.DecodeProblem;
import org.smartschool.bridge.codec.DecodeResult;
import org.smartschool.bridge.codec.JsonPayloadReader;
import org.smartschool.bridge.codec.PlausibleRanges;
import org.smartschool.bridge.codec.ProblemText;
import org.smartschool.bridge.codec.RawMessage;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;

/**
 * Tasmota (https://tasmota.github.io/docs/MQTT/) telemetry. The message kind is the last topic
 * level, whatever the device's {@code FullTopic} puts before it ({@code tele/lab-1/SENSOR},
 * {@code school/lab-1/tele/SENSOR}); the device comes from the gateway's route, never from the topic.
 *
 * <ul>
 *   <li>{@code SENSOR}: the per-driver sensor objects, see {@link SensorPayload} and {@link Driver};</li>
 *   <li>{@code STATUS8}/{@code STATUS10}: the same objects inside {@code StatusSNS} (a reply to {@code Status 10});</li>
 *   <li>{@code LWT}: {@code Online} / {@code Offline} (retained, the broker publishes Offline as the last will)
 *       become {@link EventType#DEVICE_ONLINE} / {@link EventType#DEVICE_OFFLINE};</li>
 *   <li>{@code STATE}: mapped deliberately for one value only, {@code Wifi.Signal} (dBm) as {@code rssi}, so a
 *       technician sees a board with a failing link. {@code Wifi.RSSI} is not a dBm value but Tasmota's
 *       0-100 link quality and is not used; uptime, heap and relay states are not room data;</li>
 *   <li>everything else ({@code RESULT}, {@code INFO1}, {@code UPTIME}, {@code POWER}...) is ignored on purpose.</li>
 * </ul>
 */
public final class TasmotaCodec implements Codec {

    @Override
    public String name() {
        return "tasmota";
    }

    @Override
    public String description() {
        return "Tasmota tele/<topic>/SENSOR JSON (AM2301, DHT11, BME280, SHT3X, DS18B20, SCD30, SCD40, MHZ19B,"
                + " SDS0X1, PMS5003, BH1750, ENERGY), LWT Online/Offline, STATE Wifi signal";
    }

    @Override
    public DecodeResult decode(RawMessage message, DeviceRef device) {
        String kind = lastLevel(message.topic()).toUpperCase(Locale.ROOT);
        return switch (kind) {
            case "SENSOR" -> sensor(message, device, false);
            case "STATUS8", "STATUS10" -> sensor(message, device, true);
            case "LWT" -> lwt(message, device);
            case "STATE" -> state(message, device);
            default -> DecodeResult.ignoredMessage();
        };
    }

    private static DecodeResult sensor(RawMessage message, DeviceRef device, boolean statusReply) {
        JsonPayloadReader.Parsed parsed = JsonPayloadReader.json().read(message.payload(), device.toString());
        if (!parsed.ok()) {
            return DecodeResult.rejected(parsed.problem());
        }
        JsonNode root = parsed.root();
        String path = "$";
        if (statusReply) {
            root = root.path("StatusSNS");
            path = "$.StatusSNS";
            if (root.isMissingNode()) {
                return DecodeResult.ignoredMessage(); // a STATUS reply without sensors
            }
        }
        if (!root.isObject()) {
            return DecodeResult.rejected(new DecodeProblem(device.toString(), path,
                    "expected a JSON object of sensors, got " + JsonPayloadReader.describe(root)));
        }
        List<DecodeProblem> problems = new ArrayList<>();
        List<Reading> readings = new SensorPayload(device, message.receivedAt(), problems).decode(root, path);
        if (readings.isEmpty() && problems.isEmpty()) {
            return DecodeResult.ignoredMessage(); // only switches, chip temperature or drivers this codec does not read
        }
        return DecodeResult.of(readings, List.of(), problems);
    }

    private static DecodeResult lwt(RawMessage message, DeviceRef device) {
        String text = new String(message.payload(), StandardCharsets.UTF_8).trim();
        if (text.isEmpty()) {
            return DecodeResult.ignoredMessage(); // a cleared retained message
        }
        EventType type;
        if (text.equalsIgnoreCase("Online")) {
            type = EventType.DEVICE_ONLINE;
        } else if (text.equalsIgnoreCase("Offline")) {
            type = EventType.DEVICE_OFFLINE;
        } else {
            return DecodeResult.rejected(new DecodeProblem(device.toString(), "$",
                    "LWT payload " + ProblemText.quote(text) + " is neither Online nor Offline"));
        }
        DeviceEvent event = DeviceEvent.of(device, type, message.receivedAt(), Map.of());
        return DecodeResult.of(List.of(), List.of(event), List.of());
    }

    private static DecodeResult state(RawMessage message, DeviceRef device) {
        JsonPayloadReader.Parsed parsed = JsonPayloadReader.json().read(message.payload(), device.toString());
        if (!parsed.ok()) {
            return DecodeResult.rejected(parsed.problem());
        }
        JsonNode signal = parsed.root().path("Wifi").path("Signal");
        if (signal.isMissingNode()) {
            return DecodeResult.ignoredMessage(); // older firmware or a wired board: nothing we map
        }
        JsonPayloadReader.NumberValue dbm = JsonPayloadReader.number(signal);
        String problem = dbm.ok() ? PlausibleRanges.problem(Quantity.RSSI, dbm.value()) : dbm.problem();
        if (problem != null) {
            return DecodeResult.rejected(new DecodeProblem(device.toString(), "$.Wifi.Signal", problem));
        }
        // STATE is published with the SENSOR message and carries the same kind of local Time: receive time
        Reading rssi = Reading.of(device, Quantity.RSSI, dbm.value(), message.receivedAt());
        return DecodeResult.of(List.of(rssi), List.of(), List.of());
    }

    private static String lastLevel(String topic) {
        int end = topic.endsWith("/") ? topic.length() - 1 : topic.length();
        int slash = topic.lastIndexOf('/', end - 1);
        return topic.substring(slash + 1, end);
    }
}
