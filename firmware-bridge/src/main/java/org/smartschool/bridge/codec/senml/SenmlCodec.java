package org.smartschool.bridge.codec.senml;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.smartschool.bridge.codec.Codec;
import org.smartschool.bridge.codec.DecodeProblem;
import org.smartschool.bridge.codec.DecodeResult;
import org.smartschool.bridge.codec.ProblemText;
import org.smartschool.bridge.codec.RawMessage;
import org.smartschool.bridge.codec.SubDevices;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;

/**
 * SenML (RFC 8428) packs in JSON ({@code application/senml+json}) or CBOR ({@code application/senml+cbor}),
 * as CoAP sensors POST them or MQTT 5 devices publish them. The content type picks the format; a message
 * without one (MQTT 3.1.1) is read as {@code whenNoContentType}, JSON unless configured otherwise.
 *
 * <p>Pack resolution is {@link SenmlPackReader}'s; what a record becomes is {@link SenmlRecordMapper}'s.
 * Names must follow RFC 8428 section 4.5.1 (letters, digits, {@code - : . / _}, starting with a letter or
 * digit). Stateless and thread-safe.
 *
 * <p><b>Several sensors of one quantity</b> ({@code temp1} and {@code temp2}, both {@code Cel}): the first
 * name in the pack that yields a quantity keeps the configured device, so a single sensor's series never
 * moves; every other name of that quantity becomes the sub-device {@code <device>.<name>} ({@link SubDevices},
 * characters an id may not hold become '-'), so the two readings of one time do not overwrite each other.
 * A name too long for that is a problem and its value is dropped.
 */
public final class SenmlCodec implements Codec {
    private final SenmlPackReader reader;
    private final SenmlFormat whenNoContentType;

    public SenmlCodec(SenmlPackReader reader, SenmlFormat whenNoContentType) {
        this.reader = Objects.requireNonNull(reader, "reader");
        this.whenNoContentType = Objects.requireNonNull(whenNoContentType, "whenNoContentType");
    }

    public SenmlCodec() {
        this(new SenmlPackReader(), SenmlFormat.JSON);
    }

    @Override
    public String name() {
        return "senml";
    }

    @Override
    public String description() {
        return "SenML (RFC 8428) packs in JSON or CBOR by content type, as CoAP and MQTT 5 sensors send them";
    }

    @Override
    public DecodeResult decode(RawMessage message, DeviceRef device) {
        SenmlPack pack = reader.read(message, device.toString(), whenNoContentType);
        if (pack.rejected()) {
            return DecodeResult.rejected(pack.problems().get(0));
        }
        List<Reading> readings = new ArrayList<>(pack.records().size());
        List<DeviceEvent> events = new ArrayList<>(0);
        List<DecodeProblem> problems = new ArrayList<>(pack.problems());
        Sensors sensors = new Sensors(device);
        for (SenmlRecord record : pack.records()) {
            if (!isValidName(record.name())) {
                problems.add(new DecodeProblem(device.toString(), record.path("n"), "name " + ProblemText.quote(record.name())
                        + " must start with a letter or digit and hold only letters, digits, '-', ':', '.', '/' and '_' (RFC 8428 section 4.5.1)"));
                continue;
            }
            int before = readings.size();
            SenmlRecordMapper.map(record, device, readings, events, problems);
            sensors.assign(record, readings, before, problems);
        }
        return DecodeResult.of(readings, events, problems);
    }

    /**
     * Which device each sensor's readings belong to: the first name (in pack order) that yields a quantity is
     * the configured device, every other name of that quantity a sub-device named after it ({@link SubDevices}).
     */
    private static final class Sensors {
        private final DeviceRef device;
        private final Map<Quantity, String> primary = new EnumMap<>(Quantity.class);

        Sensors(DeviceRef device) {
            this.device = device;
        }

        /** Moves the readings {@code record} added from index {@code from} on to their sensor's device. */
        void assign(SenmlRecord record, List<Reading> readings, int from, List<DecodeProblem> problems) {
            for (int i = from; i < readings.size(); i++) {
                Reading reading = readings.get(i);
                String first = primary.putIfAbsent(reading.quantity(), record.name());
                if (first == null || first.equals(record.name())) {
                    continue;
                }
                Optional<DeviceRef> child = SubDevices.child(device, record.name());
                if (child.isPresent()) {
                    readings.set(i, Reading.of(child.get(), reading.quantity(), reading.value(), reading.timestamp()));
                } else {
                    problems.add(new DecodeProblem(device.toString(), record.path("n"), "second " + reading.quantity().id()
                            + " sensor " + ProblemText.quote(record.name())
                            + " cannot be given its own device id (the id would be longer than 64 characters); value dropped"));
                    readings.remove(i--);
                }
            }
        }
    }

    /** RFC 8428 section 4.5.1. */
    static boolean isValidName(String name) {
        if (name.isEmpty() || !isAlphanumeric(name.charAt(0))) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!isAlphanumeric(c) && c != '-' && c != ':' && c != '.' && c != '/' && c != '_') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAlphanumeric(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }
}
