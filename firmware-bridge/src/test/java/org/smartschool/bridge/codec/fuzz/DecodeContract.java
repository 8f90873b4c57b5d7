package org.smartschool.bridge.codec.fuzz;

import java.util.Comparator;
import java.util.List;

import org.smartschool.bridge.codec.Codec;
import org.smartschool.bridge.codec.DecodeProblem;
import org.smartschool.bridge.codec.DecodeResult;
import org.smartschool.bridge.codec.PlausibleRanges;
import org.smartschool.bridge.codec.RawMessage;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.bridge.uplink.BatchCodec;
import org.smartschool.bridge.uplink.BatchFormatException;

/**
 * What every codec promises for any input whatsoever ({@link Codec}, DESIGN.md invariant 3): no exception
 * escapes; every reading is finite, plausible ({@link PlausibleRanges}) and in its quantity's canonical unit;
 * every record belongs to the configured device (or one of its sub-devices) and is not stamped in the future;
 * every problem names the device and a field, on one line of bounded length (a hostile payload must neither
 * forge log lines nor flood them); and whatever a codec decodes can be sent to the hub: the records encode into
 * an uplink batch frame that decodes back to the same records (a record that cannot be encoded would block the
 * gateway's outbox).
 *
 * <p>Plain checks rather than AssertJ: this runs for every one of millions of fuzzer inputs.
 */
final class DecodeContract {
    static final DeviceRef DEVICE = new DeviceRef("thpt-le-loi", "room-101", "dev-1");
    /** How far after its arrival a record's time may lie: the device-clock tolerance codecs apply. */
    static final long MAX_AHEAD_MILLIS = 60 * 60 * 1000L;
    /** Longer problem messages would flood the gateway's log and dead-letter records. */
    static final int MAX_PROBLEM_LENGTH = 1_000;
    private static final BatchCodec UPLINK = new BatchCodec();

    private DecodeContract() {
    }

    /** Decodes every message of {@code input} with {@code codec}, in order, checking each result. */
    static void check(Codec codec, byte[] input) {
        for (RawMessage message : FuzzMessages.parse(input)) {
            check(message, codec.decode(message, DEVICE));
        }
    }

    static void check(RawMessage message, DecodeResult result) {
        require(result != null, "decode returned null", message);
        for (Reading r : result.readings()) {
            require(Double.isFinite(r.value()), "reading is not finite: " + r, message);
            require(PlausibleRanges.isPlausible(r.quantity(), r.value()), "implausible reading: " + r, message);
            require(r.unit().equals(r.quantity().unit()), "reading not in its canonical unit: " + r, message);
            requireOwnDevice(r.school(), r.room(), r.device(), message);
            requireTime(r.timestamp(), message);
        }
        for (DeviceEvent e : result.events()) {
            require(e.type() != null, "event without a type", message);
            requireOwnDevice(e.school(), e.room(), e.device(), message);
            requireTime(e.timestamp(), message);
        }
        for (DecodeProblem p : result.problems()) {
            require(p.device() != null && (p.device().startsWith(DEVICE.toString()) || p.device().equals(message.topic())),
                    "problem does not name the device: " + p, message);
            require(p.field() != null && !p.field().isBlank(), "problem names no field: " + p, message);
            require(p.message() != null && !p.message().isBlank(), "problem without a message: " + p, message);
            require(p.message().indexOf('\n') < 0 && p.message().indexOf('\r') < 0,
                    "problem message spans lines: " + p, message);
            require(p.message().length() <= MAX_PROBLEM_LENGTH,
                    "problem message of " + p.message().length() + " characters", message);
            require(isWellFormed(p.field()) && isWellFormed(p.message()), "problem holds a lone surrogate: " + p, message);
        }
        require(!result.ignored() || result.recordCount() == 0, "an ignored message produced records", message);
        if (result.recordCount() > 0) {
            requireSendable(result, message);
        }
    }

    private static void requireSendable(DecodeResult result, RawMessage message) {
        Batch batch = new Batch("gw-fuzz-1-1", "gw-fuzz", DEVICE.school(), result.readings(), result.events());
        Batch received;
        try {
            received = UPLINK.decode(UPLINK.encode(batch));
        } catch (BatchFormatException | RuntimeException e) {
            throw new AssertionError("decoded records cannot be sent uplink: " + e + " (topic '" + message.topic() + "')", e);
        }
        // the frame groups readings by device and series, so only their order may change
        require(sorted(received.readings()).equals(sorted(batch.readings()))
                        && sortedEvents(received.events()).equals(sortedEvents(batch.events())),
                "records change on their way uplink: " + batch + " became " + received, message);
    }

    private static final Comparator<Reading> READING_ORDER = Comparator.comparing(Reading::device)
            .thenComparing(Reading::quantity).thenComparingLong(Reading::timestamp).thenComparingDouble(Reading::value);

    private static List<Reading> sorted(List<Reading> readings) {
        return readings.stream().sorted(READING_ORDER).toList();
    }

    private static List<DeviceEvent> sortedEvents(List<DeviceEvent> events) {
        return events.stream().sorted(Comparator.comparing(DeviceEvent::id)).toList();
    }

    /** No unpaired UTF-16 surrogate: such a string cannot be written as UTF-8 (JSON, CBOR, logs). */
    static boolean isWellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static void requireOwnDevice(String school, String room, String device, RawMessage message) {
        require(school.equals(DEVICE.school()) && room.equals(DEVICE.room())
                        && (device.equals(DEVICE.device()) || device.startsWith(DEVICE.device() + ".")),
                "record for another device: " + school + "/" + room + "/" + device, message);
    }

    private static void requireTime(long timestamp, RawMessage message) {
        require(timestamp > 0 && timestamp <= message.receivedAt() + MAX_AHEAD_MILLIS,
                "record stamped " + timestamp + ": not after 1970, or more than an hour after the message arrived ("
                        + message.receivedAt() + ")",
                message);
    }

    private static void require(boolean condition, String what, RawMessage message) {
        if (!condition) {
            throw new AssertionError(what + " (topic '" + message.topic() + "', content type " + message.contentType()
                    + ", " + message.payload().length + " payload bytes)");
        }
    }
}
