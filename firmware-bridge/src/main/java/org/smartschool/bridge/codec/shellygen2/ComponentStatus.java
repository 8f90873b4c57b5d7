package org.smartschool.bridge.codec.shellygen2;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import org.smartschool.bridge.codec.DecodeProblem;
import org.smartschool.bridge.codec.JsonPayloadReader;
import org.smartschool.bridge.codec.PlausibleRanges;
import org.smartschool.bridge.codec.ProblemText;
import org.smartschool.bridge.codec.SubDevices;
import org.smartschool.bridge.codec.quantity.BinaryKind;
import org.smartschool.bridge.codec.quantity.UnitConversions;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;

/**
 * Reads the status object of one Shelly Gen2 component ({@code "temperature:0": {"id":0,"tC":21.5,"tF":70.7}}),
 * as it appears in {@code NotifyStatus}/{@code NotifyFullStatus} params and on {@code <id>/status/<component>}.
 *
 * <p>Components read (https://shelly-api-docs.shelly.cloud/gen2/):
 * {@code temperature} ({@code tC}, else {@code tF} converted), {@code humidity} ({@code rh}),
 * {@code illuminance} ({@code lux}), {@code devicepower} ({@code battery.percent}, not when
 * {@code external.present}: a USB-powered H&T reports 0 % and is not a flat battery),
 * {@code switch} and {@code pm1} ({@code apower} W, {@code voltage} V, {@code current} A,
 * {@code aenergy.total} Wh; the relay's own {@code temperature} is not a room reading),
 * {@code smoke} ({@code alarm} as a smoke alert) and {@code wifi} ({@code rssi} dBm).
 * Everything else ({@code sys}, {@code cloud}, {@code input}, {@code ble}...) is not room data.
 *
 * <p><b>Which device.</b> Instance 0 (and 100, the first sensor of a Plus Add-on, which has no
 * instance 0) belongs to the configured device; every other instance is a sub-device named after
 * the component ({@code temperature-101}, {@code switch-1}, see {@link SubDevices}). The rule only
 * looks at the instance id, not at what else the message holds, because {@code NotifyStatus}
 * carries only what changed and the ids must not depend on that.
 */
final class ComponentStatus {
    private final DeviceRef configured;
    private final String deviceName;
    private final long timestamp;
    private final List<Reading> readings;
    private final List<DeviceEvent> events;
    private final List<DecodeProblem> problems;

    ComponentStatus(DeviceRef configured, long timestamp, List<Reading> readings, List<DeviceEvent> events,
                    List<DecodeProblem> problems) {
        this.configured = configured;
        this.deviceName = configured.toString();
        this.timestamp = timestamp;
        this.readings = readings;
        this.events = events;
        this.problems = problems;
    }

    /**
     * Decodes {@code status}, the status of component {@code key} ({@code switch:1}, {@code wifi}), found in
     * the notification's params ({@code inParams}) or alone as the payload.
     */
    void decode(String key, JsonNode status, boolean inParams) {
        // the path is only built when a problem needs it: this runs for every component of every message
        Path path = new Path(key, inParams);
        int colon = key.indexOf(':');
        String type = (colon < 0 ? key : key.substring(0, colon)).toLowerCase(Locale.ROOT);
        String instance = colon < 0 ? "" : key.substring(colon + 1);
        if (!isRead(type)) {
            return;
        }
        if (!status.isObject()) {
            problem(path, "expected the status object of " + ProblemText.quote(key) + ", got " + JsonPayloadReader.describe(status));
            return;
        }
        Optional<DeviceRef> device = deviceOf(type, instance, path);
        if (device.isEmpty()) {
            return;
        }
        DeviceRef to = device.get();
        switch (type) {
            case "temperature" -> temperature(to, status, path);
            case "humidity" -> number(to, Quantity.HUMIDITY, status.get("rh"), path.at(".rh"), status);
            case "illuminance" -> number(to, Quantity.ILLUMINANCE, status.get("lux"), path.at(".lux"), status);
            case "devicepower" -> battery(to, status, path);
            case "switch", "pm1" -> {
                number(to, Quantity.POWER, status.get("apower"), path.at(".apower"), status);
                number(to, Quantity.VOLTAGE, status.get("voltage"), path.at(".voltage"), status);
                number(to, Quantity.CURRENT, status.get("current"), path.at(".current"), status);
                JsonNode energy = status.get("aenergy");
                if (energy != null) {
                    number(to, Quantity.ENERGY, energy.isObject() ? energy.get("total") : energy, path.at(".aenergy.total"), status);
                }
            }
            case "smoke" -> smoke(to, status, path);
            case "wifi" -> number(to, Quantity.RSSI, status.get("rssi"), path.at(".rssi"), status);
            default -> throw new IllegalStateException("unhandled component " + type);
        }
    }

    private static boolean isRead(String type) {
        return switch (type) {
            case "temperature", "humidity", "illuminance", "devicepower", "switch", "pm1", "smoke", "wifi" -> true;
            default -> false;
        };
    }

    private Optional<DeviceRef> deviceOf(String type, String instance, Path path) {
        if (instance.isEmpty() || instance.equals("0")
                || (instance.equals("100") && (type.equals("temperature") || type.equals("humidity")))) {
            return Optional.of(configured);
        }
        if (!instance.chars().allMatch(Character::isDigit) || instance.length() > 6) {
            problem(path, "component instance " + ProblemText.quote(instance) + " is not a number");
            return Optional.empty();
        }
        Optional<DeviceRef> child = SubDevices.child(configured, type + "-" + Integer.parseInt(instance));
        if (child.isEmpty()) {
            problem(path, "component cannot be given its own device id (longer than 64 characters); not decoded");
        }
        return child;
    }

    private void temperature(DeviceRef to, JsonNode status, Path path) {
        JsonNode celsius = status.get("tC");
        if (celsius != null && !celsius.isNull()) {
            number(to, Quantity.TEMPERATURE, celsius, path.at(".tC"), status);
            return;
        }
        JsonNode fahrenheit = status.get("tF");
        if (fahrenheit != null && !fahrenheit.isNull()) {
            JsonPayloadReader.NumberValue f = JsonPayloadReader.number(fahrenheit);
            if (!f.ok()) {
                problem(path.at(".tF"), f.problem());
                return;
            }
            add(to, Quantity.TEMPERATURE, UnitConversions.toCanonical(Quantity.TEMPERATURE, "°F", f.value()).orElseThrow(), path.at(".tF"));
            return;
        }
        if (celsius != null || fahrenheit != null) {
            problem(path.at(".tC"), "no value" + errors(status) + " (null: out of the measurement range or no sensor)");
        }
    }

    private void battery(DeviceRef to, JsonNode status, Path path) {
        if (status.path("external").path("present").asBoolean(false)) {
            return; // on mains/USB the battery percentage means nothing (the H&T then reports 0 %)
        }
        JsonNode battery = status.get("battery");
        if (battery != null) {
            number(to, Quantity.BATTERY, battery.isObject() ? battery.get("percent") : battery, path.at(".battery.percent"), status);
        }
    }

    private void smoke(DeviceRef to, JsonNode status, Path path) {
        JsonNode alarm = status.get("alarm");
        if (alarm == null) {
            return;
        }
        if (!alarm.isBoolean()) {
            problem(path.at(".alarm"), "expected true or false, got " + JsonPayloadReader.describe(alarm));
            return;
        }
        events.add(BinaryKind.SMOKE.event(to, alarm.booleanValue(), timestamp));
    }

    /** A value in the quantity's canonical unit (Shelly reports W, V, A, Wh, %, lx, dBm and Celsius as tC). */
    private void number(DeviceRef to, Quantity quantity, JsonNode node, Path path, JsonNode status) {
        if (node == null) {
            return; // not every model measures everything ("shown if applicable")
        }
        if (node.isNull()) {
            problem(path, "no value" + errors(status));
            return;
        }
        JsonPayloadReader.NumberValue value = JsonPayloadReader.number(node);
        if (!value.ok()) {
            problem(path, value.problem());
            return;
        }
        add(to, quantity, value.value(), path);
    }

    private void add(DeviceRef to, Quantity quantity, double value, Path path) {
        String implausible = PlausibleRanges.problem(quantity, value);
        if (implausible != null) {
            problem(path, implausible);
            return;
        }
        readings.add(Reading.of(to, quantity, value, timestamp));
    }

    /** ", device reports errors [out_of_range]" when the component lists errors. */
    private static String errors(JsonNode status) {
        JsonNode errors = status.get("errors");
        if (errors == null || !errors.isArray() || errors.isEmpty()) {
            return "";
        }
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < Math.min(errors.size(), 5); i++) {
            list.append(i == 0 ? "" : ", ").append(ProblemText.clean(errors.get(i).asText(), 32));
        }
        return ", device reports errors [" + list + "]";
    }

    private void problem(Path path, String message) {
        problems.add(new DecodeProblem(deviceName, path.toString(), message));
    }

    /** {@code $.params['switch:0'].apower} (or {@code $.apower} for a status topic), built on demand. */
    private record Path(String key, boolean inParams, String field) {
        Path(String key, boolean inParams) {
            this(key, inParams, "");
        }

        Path at(String more) {
            return new Path(key, inParams, field + more);
        }

        @Override
        public String toString() {
            return (inParams ? "$.params['" + ProblemText.clean(key, 40) + "']" : "$") + field;
        }
    }
}
