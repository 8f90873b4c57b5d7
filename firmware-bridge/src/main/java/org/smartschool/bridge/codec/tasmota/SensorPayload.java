package org.smartschool.bridge.codec.tasmota;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.smartschool.bridge.codec.DecodeProblem;
import org.smartschool.bridge.codec.JsonPayloadReader;
import org.smartschool.bridge.codec.PlausibleRanges;
import org.smartschool.bridge.codec.ProblemText;
import org.smartschool.bridge.codec.SubDevices;
import org.smartschool.bridge.codec.devicetime.DeviceClock;
import org.smartschool.bridge.codec.devicetime.IsoTimestamp;
import org.smartschool.bridge.codec.quantity.UnitConversions;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;

/**
 * Reads the sensor object Tasmota publishes on {@code tele/<topic>/SENSOR} (and inside
 * {@code StatusSNS} of a {@code STATUS8}/{@code STATUS10} reply).
 *
 * <p><b>Time.</b> Tasmota's {@code "Time"} is the device's <em>local</em> time without a zone
 * ({@code "2019-11-03T19:34:28"}), in whatever zone and DST rule the device was given with the
 * {@code Timezone}/{@code TimeStd}/{@code TimeDst} commands. A codec is a pure function and does
 * not know that setting (the school's zone is not the device's: many devices are left at the
 * factory zone, and an hour of DST ambiguity per year cannot be resolved anyway), so such a time
 * is <em>not</em> used: the gateway's receive time is, which for telemetry published the moment it
 * is measured is within a network hop of the truth. A time that is unambiguous is used: the
 * {@code "Epoch"} field ({@code Time 2} command: UTC seconds), a numeric {@code "Time"}
 * ({@code Time 3}: UTC seconds), or a {@code "Time"} string that carries a zone offset.
 *
 * <p><b>Several sensors of one quantity.</b> The reading of the most preferred driver (order of
 * {@link Driver}; for equal drivers the unsuffixed or lowest-numbered sensor, so
 * {@code DS18B20-1} before {@code DS18B20-2}) belongs to the configured device; every other sensor
 * of that quantity becomes a sub-device named after its JSON key ({@link SubDevices}), so no
 * reading overwrites another. ENERGY arrays (multi-channel meters: {@code "Power":[52,5]}) are
 * treated the same way: channel 1 is the device, channel N the sub-device {@code ENERGY-N}.
 */
final class SensorPayload {
    private static final DateTimeFormatter DOTTED = DateTimeFormatter.ofPattern("uuuu.MM.dd HH:mm:ss");

    private final DeviceRef device;
    private final String deviceName;
    private final long receivedAt;
    private final List<DecodeProblem> problems;

    /** A decoded value waiting for the primary/sub-device decision. */
    private record Candidate(Quantity quantity, double value, Driver driver, String key, String root, String driverKey,
                             String field, int index) {
        /** Built only when a problem needs it: candidates are made for every value of every message. */
        String path() {
            return fieldPath(SensorPayload.path(root, driverKey), field, index);
        }

        Candidate withValue(double decoded) {
            return new Candidate(quantity, decoded, driver, key, root, driverKey, field, index);
        }
    }

    SensorPayload(DeviceRef device, long receivedAt, List<DecodeProblem> problems) {
        this.device = device;
        this.deviceName = device.toString();
        this.receivedAt = receivedAt;
        this.problems = problems;
    }

    /** The readings in {@code sensors} (an object), problems added for every field that could not be read. */
    List<Reading> decode(JsonNode sensors, String path) {
        long timestamp = timestamp(sensors, path);
        String tempUnit = unit(sensors, path, "TempUnit", "C", "C", "F");
        String pressureUnit = unit(sensors, path, "PressureUnit", "hPa", "hPa", "mmHg", "inHg");
        List<Candidate> candidates = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = sensors.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> entry = fields.next();
            Driver driver = Driver.of(entry.getKey());
            if (driver == null) {
                continue; // Switch1, ANALOG, ESP32 chip temperature, drivers this codec does not read: not sensors of the room
            }
            JsonNode object = entry.getValue();
            if (!object.isObject()) {
                problem(path(path, entry.getKey()), "expected an object of " + driver.name() + " values, got "
                        + JsonPayloadReader.describe(object));
                continue;
            }
            for (Driver.Field field : driver.fields) {
                JsonNode value = object.get(field.json);
                if (value == null) {
                    continue; // drivers leave out what their model does not measure
                }
                if (value.isArray() && driver == Driver.ENERGY) {
                    for (int i = 0; i < value.size(); i++) {
                        String key = i == 0 ? entry.getKey() : entry.getKey() + "-" + (i + 1);
                        candidate(candidates, field, value.get(i), driver, key, path, entry.getKey(), i, tempUnit, pressureUnit);
                    }
                } else {
                    candidate(candidates, field, value, driver, entry.getKey(), path, entry.getKey(), -1, tempUnit, pressureUnit);
                }
            }
        }
        return assign(candidates, timestamp);
    }

    private void candidate(List<Candidate> out, Driver.Field field, JsonNode node, Driver driver, String key, String root,
                           String driverKey, int index, String tempUnit, String pressureUnit) {
        Candidate where = new Candidate(field.quantity, Double.NaN, driver, key, root, driverKey, field.json, index);
        if (node.isNull()) {
            problem(where.path(), "no value (Tasmota publishes null when the sensor did not answer)");
            return;
        }
        JsonPayloadReader.NumberValue number = JsonPayloadReader.number(node);
        if (!number.ok()) {
            problem(where.path(), number.problem());
            return;
        }
        double value = number.value();
        switch (field.conversion) {
            case TEMPERATURE -> {
                if (tempUnit == null) {
                    problem(where.path(), "not decoded: the TempUnit of this message is not understood");
                    return;
                }
                value = UnitConversions.toCanonical(Quantity.TEMPERATURE, tempUnit, value).orElseThrow();
            }
            case PRESSURE -> {
                if (pressureUnit == null) {
                    problem(where.path(), "not decoded: the PressureUnit of this message is not understood");
                    return;
                }
                value = UnitConversions.toCanonical(Quantity.PRESSURE, pressureUnit, value).orElseThrow();
            }
            case KILO -> value = value * 1000.0;
            case PLAIN -> { }
        }
        String implausible = PlausibleRanges.problem(field.quantity, value);
        if (implausible != null) {
            problem(where.path(), implausible);
            return;
        }
        out.add(where.withValue(value));
    }

    /** Primary sensor of each quantity to the device, the others to sub-devices (see the class comment). */
    private List<Reading> assign(List<Candidate> candidates, long timestamp) {
        Map<Quantity, List<Candidate>> byQuantity = new EnumMap<>(Quantity.class);
        for (Candidate c : candidates) {
            byQuantity.computeIfAbsent(c.quantity(), q -> new ArrayList<>(2)).add(c);
        }
        Comparator<Candidate> preference = Comparator.comparing(Candidate::driver)
                .thenComparing(Candidate::key, Driver::compareSuffix);
        List<Reading> readings = new ArrayList<>(candidates.size());
        for (List<Candidate> group : byQuantity.values()) {
            if (group.size() > 1) {
                group.sort(preference);
            }
            for (int i = 0; i < group.size(); i++) {
                Candidate c = group.get(i);
                if (i == 0) {
                    readings.add(Reading.of(device, c.quantity(), c.value(), timestamp));
                    continue;
                }
                var child = SubDevices.child(device, c.key());
                if (child.isPresent()) {
                    readings.add(Reading.of(child.get(), c.quantity(), c.value(), timestamp));
                } else {
                    problem(c.path(), "second " + c.quantity().id() + " sensor '" + ProblemText.clean(c.key(), 40)
                            + "' cannot be given its own device id (the id would be longer than 64 characters); value dropped");
                }
            }
        }
        return readings;
    }

    /** The unit a message declares in {@code field}, {@code fallback} when absent, null when not understood. */
    private String unit(JsonNode sensors, String path, String field, String fallback, String... known) {
        JsonNode node = sensors.get(field);
        if (node == null) {
            return fallback;
        }
        if (node.isTextual()) {
            for (String k : known) {
                if (k.equalsIgnoreCase(node.textValue().trim())) {
                    return k;
                }
            }
        }
        problem(path(path, field), "unknown unit " + JsonPayloadReader.describe(node) + "; expected one of "
                + List.of(known) + "; values in this unit not decoded");
        return null;
    }

    /** See the class comment for which times are used. */
    private long timestamp(JsonNode sensors, String path) {
        JsonNode epoch = sensors.get("Epoch");
        if (epoch != null) {
            return deviceTime(epoch, path(path, "Epoch"));
        }
        JsonNode time = sensors.get("Time");
        if (time == null) {
            return receivedAt;
        }
        if (time.isNumber()) {
            return deviceTime(time, path(path, "Time"));
        }
        if (!time.isTextual()) {
            problem(path(path, "Time"), "expected a date-time, got " + JsonPayloadReader.describe(time) + "; receive time used");
            return receivedAt;
        }
        String text = time.textValue().trim();
        if (!hasZone(text)) {
            if (!isLocalDateTime(text)) {
                problem(path(path, "Time"), "not a date-time: " + ProblemText.quote(text) + "; receive time used");
            }
            return receivedAt; // local time without zone: valid, but ambiguous (class comment)
        }
        try {
            long millis = IsoTimestamp.fastEpochMillis(text);
            if (millis == IsoTimestamp.NOT_FAST) {
                millis = OffsetDateTime.parse(text).toInstant().toEpochMilli();
            }
            String clock = DeviceClock.problem(millis, receivedAt);
            if (clock == null) {
                return millis;
            }
            problem(path(path, "Time"), clock);
        } catch (DateTimeException e) {
            problem(path(path, "Time"), "not a date-time: " + ProblemText.quote(text) + "; receive time used");
        }
        return receivedAt;
    }

    /** {@code Z} or an offset after the time of day ({@code 2025-03-10T09:14:00+07:00}); the date's own dashes come earlier. */
    private static boolean hasZone(String text) {
        return text.endsWith("Z") || text.endsWith("z") || text.lastIndexOf('+') > 10 || text.lastIndexOf('-') > 10;
    }

    /** ISO local ({@code 2019-11-03T19:34:28}, with millis after {@code Time 4}) or the 5.x format {@code 2018.02.15 01:00:50}. */
    private static boolean isLocalDateTime(String text) {
        if (looksLikeIsoLocal(text)) {
            return true; // the form of every current Tasmota; digits in the right places are all that is left to check
        }
        try {
            LocalDateTime.parse(text, text.length() > 4 && text.charAt(4) == '.' ? DOTTED : DateTimeFormatter.ISO_LOCAL_DATE_TIME);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    /** {@code dddd-dd-ddTdd:dd:dd} with an optional fraction, checked without a parser (it runs for every message). */
    private static boolean looksLikeIsoLocal(String t) {
        if (t.length() < 19 || t.length() > 29) {
            return false;
        }
        String shape = "dddd-dd-ddTdd:dd:dd";
        for (int i = 0; i < shape.length(); i++) {
            char want = shape.charAt(i);
            char c = t.charAt(i);
            if (want == 'd' ? (c < '0' || c > '9') : c != want) {
                return false;
            }
        }
        if (t.length() == 19) {
            return t.charAt(5) <= '1' && t.charAt(8) <= '3' && t.charAt(11) <= '2' && t.charAt(14) <= '5' && t.charAt(17) <= '5';
        }
        return false; // fractions: let the parser decide
    }

    private long deviceTime(JsonNode node, String path) {
        JsonPayloadReader.NumberValue seconds = JsonPayloadReader.number(node);
        if (!seconds.ok()) {
            problem(path, seconds.problem() + "; receive time used");
            return receivedAt;
        }
        long millis = DeviceClock.fromEpochSeconds(seconds.value());
        String clock = millis == Long.MIN_VALUE ? "not a time in seconds since 1970; receive time used"
                : DeviceClock.problem(millis, receivedAt);
        if (clock != null) {
            problem(path, clock);
            return receivedAt;
        }
        return millis;
    }

    private void problem(String path, String message) {
        problems.add(new DecodeProblem(deviceName, path, message));
    }

    /** {@code $.AM2301.Temperature}; keys that are not plain words in brackets: {@code $.SDS0X1['PM2.5']}. */
    static String path(String parent, String key) {
        boolean plain = !key.isEmpty() && Character.isJavaIdentifierStart(key.charAt(0));
        for (int i = 1; plain && i < key.length(); i++) {
            char c = key.charAt(i);
            plain = Character.isLetterOrDigit(c) || c == '_';
        }
        return plain ? parent + "." + key : parent + "['" + ProblemText.clean(key, 40).replace("'", "\\'") + "']";
    }

    /** The path of a field, with the array index of a multi-channel value ({@code $.ENERGY.Power[1]}). */
    static String fieldPath(String driverPath, String field, int index) {
        String path = path(driverPath, field);
        return index < 0 ? path : path + "[" + index + "]";
    }
}
