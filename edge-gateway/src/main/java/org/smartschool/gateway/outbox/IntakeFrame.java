package org.smartschool.gateway.outbox;

import java.util.List;

import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.Reading;

/**
 * The records decoded from one device frame, as the intake hands them to {@link Outbox#appendFrames}.
 *
 * @param digest the frame's identity ({@link FrameDigest}) when its records are stamped with the
 *               receive time, so that a redelivery of it is recognised; null when not needed
 * @param mayBeRedelivery whether this frame may be a redelivery (MQTT DUP flag; always for
 *                        transports that cannot tell): only then is the digest looked up
 * @param receivedAt when the frame arrived
 */
public record IntakeFrame(byte[] digest, boolean mayBeRedelivery, long receivedAt, List<Reading> readings,
                          List<DeviceEvent> events) {
    public IntakeFrame {
        if (digest != null && digest.length != FrameDigest.LENGTH) {
            throw new IllegalArgumentException("a frame digest has " + FrameDigest.LENGTH + " bytes: " + digest.length);
        }
        readings = List.copyOf(readings);
        events = List.copyOf(events);
    }

    /** Records that need no redelivery check (device-stamped, or appended by a tool). */
    public static IntakeFrame of(List<Reading> readings, List<DeviceEvent> events) {
        return new IntakeFrame(null, false, 0, readings, events);
    }

    public int recordCount() {
        return readings.size() + events.size();
    }
}
