package org.smartschool.bridge.codec.zigbee2mqtt;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.smartschool.bridge.codec.DecodeProblem;
import org.smartschool.bridge.codec.DecodeResult;
import org.smartschool.bridge.codec.JsonPayloadReader;
import org.smartschool.bridge.codec.PlausibleRanges;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;

/**
 * Decodes the JSON state Zigbee2MQTT publishes on {@code <base>/<friendly_name>}.
 *
 * <p>The keys and their units are Zigbee2MQTT's "exposes" presets
 * (https://www.zigbee2mqtt.io/guide/usage/exposes.html; the units are in
 * zigbee-herdsman-converters src/lib/exposes.ts):
 * <pre>
 * temperature C, humidity %, co2 ppm, pm25 / pm10 ug/m3, pressure hPa, noise dBA, battery %,
 * linkquality 0-255, power W, current A       -> same value, canonical unit
 * voc                                         -> ppb, or ppm x 1000 (see {@link VocUnit})
 * illuminance_lux lx; illuminance lx          -> illuminance; when both are present illuminance_lux
 *                                                wins: before Zigbee2MQTT 2.0 "illuminance" was the raw
 *                                                sensor value next to "illuminance_lux"; since 2.0
 *                                                only "illuminance" is sent, in lx
 * gas_density %LEL (Aqara JT-BZ-01AQ/A)       -> gas
 * energy kWh                                  -> Wh (x 1000)
 * voltage                                     -> V; see below
 * occupancy, presence (true/false)            -> OCCUPANCY event, attribute occupied
 * contact (true = closed)                     -> DOOR_CLOSED / DOOR_OPEN event (also for window
 *                                                contacts: the model has no window event yet)
 * smoke, gas, water_leak, tamper (true/false) -> ALERT event, attributes kind and active
 * </pre>
 * {@code voltage} is the battery voltage in mV on battery devices (preset battery_voltage,
 * e.g. the Aqara WSDCGQ11LM sends {@code "voltage":3005}) but the mains voltage in V on metering
 * plugs (preset voltage). The message says which: a message with {@code battery} or
 * {@code battery_low} and none of {@code power}, {@code current}, {@code energy} is from a battery
 * device, so its voltage is divided by 1000. The plausible range of voltage (0-500 V) catches the
 * remaining mix-ups (a battery device that has not reported its battery yet) as a problem rather
 * than a wrong value.
 *
 * <p>Deliberately not decoded: {@code formaldehyd} and {@code hcho} (mg/m3; the model has no
 * formaldehyde quantity), {@code eco2} (an estimate computed from VOC, which CO2 rules must not
 * trust), {@code gas_value} (no documented unit), {@code device_temperature} (the chip, not the
 * room), and the many keys that describe the device rather than the room ({@code state},
 * {@code update}, {@code power_outage_count}, ...). Unknown keys are not problems: every firmware
 * release adds some. A {@code null} value is skipped without a problem: Zigbee2MQTT keeps null for
 * properties a device has not reported yet, and JavaScript's JSON.stringify writes NaN as null.
 *
 * <p>The codec is stateless: every state message yields the events for the states it carries
 * (Zigbee2MQTT repeats the cached state in each message), and consumers that want changes only
 * compare with the previous event.
 */
final class StateDecoder {

    private record NumericField(String key, Quantity quantity, int decimalShift) {
        String path() {
            return "$." + key;
        }
    }

    private record BinaryField(String key, EventType whenTrue, EventType whenFalse, String attribute, String kind) {
        String path() {
            return "$." + key;
        }
    }

    private static final String ILLUMINANCE = "illuminance";
    private static final String ILLUMINANCE_LUX = "illuminance_lux";
    private static final String VOLTAGE = "voltage";
    private static final String VOC = "voc";

    private final List<NumericField> numericFields;

    private static final List<BinaryField> BINARY_FIELDS = List.of(
            new BinaryField("occupancy", EventType.OCCUPANCY, EventType.OCCUPANCY, "occupied", null),
            new BinaryField("contact", EventType.DOOR_CLOSED, EventType.DOOR_OPEN, null, null),
            new BinaryField("smoke", EventType.ALERT, EventType.ALERT, "active", "smoke"),
            new BinaryField("gas", EventType.ALERT, EventType.ALERT, "active", "gas"),
            new BinaryField("water_leak", EventType.ALERT, EventType.ALERT, "active", "water_leak"),
            new BinaryField("tamper", EventType.ALERT, EventType.ALERT, "active", "tamper"));

    /** mmWave presence sensors say presence where PIR sensors say occupancy. */
    private static final BinaryField PRESENCE =
            new BinaryField("presence", EventType.OCCUPANCY, EventType.OCCUPANCY, "occupied", null);

    StateDecoder(VocUnit vocUnit) {
        this.numericFields = List.of(
                new NumericField("temperature", Quantity.TEMPERATURE, 0),
                new NumericField("humidity", Quantity.HUMIDITY, 0),
                new NumericField("co2", Quantity.CO2, 0),
                new NumericField("pm25", Quantity.PM25, 0),
                new NumericField("pm10", Quantity.PM10, 0),
                new NumericField(VOC, Quantity.VOC, vocUnit.decimalShift()),
                new NumericField(ILLUMINANCE_LUX, Quantity.ILLUMINANCE, 0),
                new NumericField(ILLUMINANCE, Quantity.ILLUMINANCE, 0),
                new NumericField("noise", Quantity.NOISE, 0),
                new NumericField("pressure", Quantity.PRESSURE, 0),
                new NumericField("gas_density", Quantity.GAS, 0),
                new NumericField("power", Quantity.POWER, 0),
                new NumericField("energy", Quantity.ENERGY, 3),
                new NumericField(VOLTAGE, Quantity.VOLTAGE, 0),
                new NumericField("current", Quantity.CURRENT, 0),
                new NumericField("battery", Quantity.BATTERY, 0),
                new NumericField("linkquality", Quantity.LINK_QUALITY, 0));
    }

    DecodeResult decode(JsonNode root, DeviceRef device, long receivedAt) {
        if (!root.isObject()) {
            return DecodeResult.rejected(new DecodeProblem(device.toString(), "$",
                    "expected a JSON object (a Zigbee2MQTT device state), got " + JsonPayloadReader.describe(root)));
        }
        List<DecodeProblem> problems = new ArrayList<>();
        LastSeen.Time time = LastSeen.of(root.get("last_seen"), receivedAt);
        if (time.problem() != null) {
            problems.add(new DecodeProblem(device.toString(), LastSeen.FIELD, time.problem()));
        }
        long timestamp = time.timestamp();
        if (timestamp <= 0) {
            problems.add(new DecodeProblem(device.toString(), "$", "the message has no usable time (no last_seen and no receive time)"));
            return DecodeResult.of(List.of(), List.of(), problems);
        }

        List<Reading> readings = new ArrayList<>();
        boolean luxPresent = present(root.get(ILLUMINANCE_LUX));
        for (NumericField field : numericFields) {
            JsonNode node = root.get(field.key());
            if (!present(node) || (luxPresent && field.key().equals(ILLUMINANCE))) {
                continue;
            }
            JsonPayloadReader.NumberValue number = JsonPayloadReader.number(node);
            if (!number.ok()) {
                problems.add(new DecodeProblem(device.toString(), field.path(), number.problem()));
                continue;
            }
            int shift = field.key().equals(VOLTAGE) && isBatteryDevice(root) ? -3 : field.decimalShift();
            double value = shift == 0 ? number.value()
                    : BigDecimal.valueOf(number.value()).scaleByPowerOfTen(shift).doubleValue();
            String implausible = PlausibleRanges.problem(field.quantity(), value);
            if (implausible != null) {
                problems.add(new DecodeProblem(device.toString(), field.path(), implausible));
                continue;
            }
            readings.add(Reading.of(device, field.quantity(), value, timestamp));
        }

        List<DeviceEvent> events = new ArrayList<>();
        for (BinaryField field : BINARY_FIELDS) {
            binary(root, field, device, timestamp, events, problems);
        }
        if (!present(root.get("occupancy"))) {
            binary(root, PRESENCE, device, timestamp, events, problems);
        }
        return DecodeResult.of(readings, events, problems);
    }

    private static void binary(JsonNode root, BinaryField field, DeviceRef device, long timestamp,
                               List<DeviceEvent> events, List<DecodeProblem> problems) {
        JsonNode node = root.get(field.key());
        if (!present(node)) {
            return;
        }
        if (!node.isBoolean()) {
            problems.add(new DecodeProblem(device.toString(), field.path(),
                    "expected true or false, got " + JsonPayloadReader.describe(node)));
            return;
        }
        boolean on = node.booleanValue();
        Map<String, String> attributes;
        if (field.kind() != null) {
            attributes = Map.of("kind", field.kind(), field.attribute(), Boolean.toString(on));
        } else if (field.attribute() != null) {
            attributes = Map.of(field.attribute(), Boolean.toString(on));
        } else {
            attributes = Map.of();
        }
        events.add(DeviceEvent.of(device, on ? field.whenTrue() : field.whenFalse(), timestamp, attributes));
    }

    private static boolean present(JsonNode node) {
        return node != null && !node.isNull();
    }

    private static boolean isBatteryDevice(JsonNode root) {
        return (present(root.get("battery")) || present(root.get("battery_low")))
                && !present(root.get("power")) && !present(root.get("current")) && !present(root.get("energy"));
    }
}
