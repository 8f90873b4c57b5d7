package org.smartschool.bridge.codec.esphome;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.smartschool.bridge.codec.Codec;
import org.smartschool.bridge.codec.DecodeProblem;
import org.smartschool.bridge.codec.DecodeResult;
import org.smartschool.bridge.codec.PlausibleRanges;
import org.smartschool.bridge.codec.ProblemText;
import org.smartschool.bridge.codec.RawMessage;
import org.smartschool.bridge.codec.plaintext.PlainPayload;
import org.smartschool.bridge.codec.quantity.BinaryKind;
import org.smartschool.bridge.codec.quantity.BinaryRule;
import org.smartschool.bridge.codec.quantity.NameRules;
import org.smartschool.bridge.codec.quantity.QuantityRule;
import org.smartschool.bridge.codec.quantity.UnitConversions;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;

/**
 * ESPHome's MQTT client component (https://esphome.io/components/mqtt.html):
 * <ul>
 *   <li>{@code <topic_prefix>/sensor/<object_id>/state}: the value as plain text, formatted with the
 *       sensor's {@code accuracy_decimals} ({@code 23.45}); {@code nan}/{@code None} when it has no reading;</li>
 *   <li>{@code <topic_prefix>/binary_sensor/<object_id>/state}: {@code ON} / {@code OFF};</li>
 *   <li>{@code <topic_prefix>/status}: the birth and last-will messages {@code online} / {@code offline},
 *       which become {@link EventType#DEVICE_ONLINE} / {@link EventType#DEVICE_OFFLINE};</li>
 *   <li>other components (switch, text_sensor, light...), discovery and log topics: ignored on purpose.</li>
 * </ul>
 *
 * <p>An ESPHome state carries no unit and no meaning, only the {@code object_id} ESPHome derives
 * from the entity's name ({@code "Classroom CO2"} becomes {@code classroom_co2}). The quantity and
 * the unit the device publishes in come from {@link NameRules} (configurable; the defaults assume
 * ESPHome's own units: Cel, %, ppm, hPa, lx, ug/m3, W, Wh, V, A, dBm). An object id no rule knows is
 * an "unknown quantity" problem naming it, never a guess. Values carry the gateway's receive time:
 * ESPHome states have none of their own.
 */
public final class EspHomeCodec implements Codec {
    private final NameRules rules;

    /** With the built-in name rules. */
    public EspHomeCodec() {
        this(NameRules.defaults());
    }

    public EspHomeCodec(NameRules rules) {
        this.rules = Objects.requireNonNull(rules, "rules");
    }

    @Override
    public String name() {
        return "esphome";
    }

    @Override
    public String description() {
        return "ESPHome MQTT <prefix>/sensor/<object_id>/state numbers, binary_sensor ON/OFF, <prefix>/status online/offline";
    }

    @Override
    public DecodeResult decode(RawMessage message, DeviceRef device) {
        String[] levels = message.topic().split("/", -1);
        int n = levels.length;
        if (n >= 2 && levels[n - 1].equals("status")) {
            return availability(message, device);
        }
        if (n >= 4 && levels[n - 1].equals("state")) {
            String component = levels[n - 3];
            String objectId = levels[n - 2];
            if (component.equals("sensor")) {
                return sensor(message, device, objectId);
            }
            if (component.equals("binary_sensor")) {
                return binarySensor(message, device, objectId);
            }
        }
        return DecodeResult.ignoredMessage();
    }

    private DecodeResult sensor(RawMessage message, DeviceRef device, String objectId) {
        String field = "sensor/" + ProblemText.clean(objectId, 64);
        Optional<QuantityRule> rule = rules.numeric(objectId);
        if (rule.isEmpty()) {
            return DecodeResult.rejected(new DecodeProblem(device.toString(), field, "unknown quantity: no rule maps the ESPHome"
                    + " sensor object id " + ProblemText.quote(objectId) + " to a quantity; add one to the esphome name rules"));
        }
        Optional<Quantity> quantity = rule.get().measured();
        if (quantity.isEmpty()) {
            return DecodeResult.ignoredMessage(); // uptime, VOC index, dew point: deliberately not recorded
        }
        PlainPayload.Text text = PlainPayload.text(message.payload());
        if (!text.ok()) {
            return DecodeResult.rejected(new DecodeProblem(device.toString(), field, text.problem()));
        }
        PlainPayload.Number number = PlainPayload.number(text.value());
        if (!number.ok()) {
            return DecodeResult.rejected(new DecodeProblem(device.toString(), field, number.problem()));
        }
        Quantity q = quantity.get();
        double value = UnitConversions.toCanonical(q, rule.get().unit(), number.value()).orElseThrow();
        String implausible = PlausibleRanges.problem(q, value);
        if (implausible != null) {
            return DecodeResult.rejected(new DecodeProblem(device.toString(), field, implausible));
        }
        return DecodeResult.of(List.of(Reading.of(device, q, value, message.receivedAt())), List.of(), List.of());
    }

    private DecodeResult binarySensor(RawMessage message, DeviceRef device, String objectId) {
        String field = "binary_sensor/" + ProblemText.clean(objectId, 64);
        Optional<BinaryRule> rule = rules.binary(objectId);
        if (rule.isEmpty()) {
            return DecodeResult.rejected(new DecodeProblem(device.toString(), field, "unknown quantity: no rule maps the ESPHome"
                    + " binary sensor object id " + ProblemText.quote(objectId) + " to an event; add one to the esphome name rules"));
        }
        if (rule.get().kind() == BinaryKind.IGNORE) {
            return DecodeResult.ignoredMessage();
        }
        PlainPayload.Text text = PlainPayload.text(message.payload());
        if (!text.ok()) {
            return DecodeResult.rejected(new DecodeProblem(device.toString(), field, text.problem()));
        }
        boolean on;
        if (text.value().equalsIgnoreCase("ON")) {
            on = true;
        } else if (text.value().equalsIgnoreCase("OFF")) {
            on = false;
        } else {
            return DecodeResult.rejected(new DecodeProblem(device.toString(), field,
                    "expected ON or OFF, got " + ProblemText.quote(text.value())));
        }
        DeviceEvent event = rule.get().kind().event(device, on, message.receivedAt());
        return DecodeResult.of(List.of(), List.of(event), List.of());
    }

    private static DecodeResult availability(RawMessage message, DeviceRef device) {
        PlainPayload.Text text = PlainPayload.text(message.payload());
        if (!text.ok()) {
            return DecodeResult.rejected(new DecodeProblem(device.toString(), "status", text.problem()));
        }
        if (text.value().isEmpty()) {
            return DecodeResult.ignoredMessage(); // a cleared retained message
        }
        EventType type;
        if (text.value().equalsIgnoreCase("online")) {
            type = EventType.DEVICE_ONLINE;
        } else if (text.value().equalsIgnoreCase("offline")) {
            type = EventType.DEVICE_OFFLINE;
        } else {
            return DecodeResult.rejected(new DecodeProblem(device.toString(), "status",
                    "expected online or offline, got " + ProblemText.quote(text.value())));
        }
        return DecodeResult.of(List.of(), List.of(DeviceEvent.of(device, type, message.receivedAt(), Map.of())), List.of());
    }
}
