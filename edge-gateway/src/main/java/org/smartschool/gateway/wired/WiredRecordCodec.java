package org.smartschool.gateway.wired;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.smartschool.bridge.codec.Codec;
import org.smartschool.bridge.codec.DecodeProblem;
import org.smartschool.bridge.codec.DecodeResult;
import org.smartschool.bridge.codec.RawMessage;
import org.smartschool.bridge.json.CanonicalJson;
import org.smartschool.bridge.json.CanonicalJsonException;
import org.smartschool.bridge.json.CanonicalRecord;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.Reading;

/**
 * Codec {@code wired-records}: what the gateway's own drivers measured (GPIO contacts, I2C sensors,
 * sensor health), as canonical JSON lines ({@link CanonicalJson}), one record per line. The drivers
 * build canonical records directly; writing them as a message lets them take the one path every
 * device message takes into the outbox (routing, counters, dead letters with the original frame).
 *
 * <p>A record must belong to the device its topic is routed to: a driver cannot write for another.
 */
public final class WiredRecordCodec implements Codec {
    public static final String NAME = "wired-records";
    /** A driver's message holds a handful of records; anything larger is a bug. */
    static final int MAX_BYTES = 16 * 1024;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "canonical JSON lines written by the gateway's wired drivers (GPIO, I2C); not for devices";
    }

    /** The payload of a message carrying these records. */
    public static byte[] encode(List<Reading> readings, List<DeviceEvent> events) {
        StringBuilder out = new StringBuilder(256 * (readings.size() + events.size()));
        readings.forEach(r -> out.append(CanonicalJson.toJson(r)).append('\n'));
        events.forEach(e -> out.append(CanonicalJson.toJson(e)).append('\n'));
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public DecodeResult decode(RawMessage message, DeviceRef device) {
        String who = device.toString();
        if (message.payload().length > MAX_BYTES) {
            return DecodeResult.rejected(new DecodeProblem(who, "$", "message of " + message.payload().length
                    + " bytes is larger than the " + MAX_BYTES + " a wired driver writes"));
        }
        List<Reading> readings = new ArrayList<>();
        List<DeviceEvent> events = new ArrayList<>();
        List<DecodeProblem> problems = new ArrayList<>();
        String[] lines = new String(message.payload(), StandardCharsets.UTF_8).split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            String path = "$[" + i + "]";
            try {
                CanonicalRecord record = CanonicalJson.parse(line);
                if (record instanceof CanonicalRecord.OfReading r && belongs(r.reading().deviceRef(), device, path, problems)) {
                    readings.add(r.reading());
                } else if (record instanceof CanonicalRecord.OfEvent e && belongs(e.event().deviceRef(), device, path, problems)) {
                    events.add(e.event());
                } else if (record instanceof CanonicalRecord.OfProblem) {
                    problems.add(new DecodeProblem(who, path, "a problem line is not a record"));
                }
            } catch (CanonicalJsonException e) {
                problems.add(new DecodeProblem(who, path, e.getMessage()));
            }
        }
        return DecodeResult.of(readings, events, problems);
    }

    private static boolean belongs(DeviceRef actual, DeviceRef routed, String path, List<DecodeProblem> problems) {
        if (actual.equals(routed)) {
            return true;
        }
        problems.add(new DecodeProblem(routed.toString(), path, "record of device " + actual + " on the topic of " + routed));
        return false;
    }
}
