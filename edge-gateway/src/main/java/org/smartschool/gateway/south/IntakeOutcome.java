package org.smartschool.gateway.south;

import java.time.Duration;
import java.util.List;

import org.smartschool.gateway.attendance.DoorAnswer;

/**
 * What became of one device message handed to {@link DeviceIntake#offer}: what a transport that
 * answers each message (CoAP, a wired reader) tells the device.
 */
public sealed interface IntakeOutcome {

    /**
     * Decoded and committed to the outbox: the device may be acknowledged (CoAP 2.04).
     *
     * @param answers what a door reader is told about the taps of the message (attendance); empty for others
     */
    record Recorded(int records, List<DoorAnswer> answers) implements IntakeOutcome {
        public Recorded {
            answers = List.copyOf(answers);
        }

        public Recorded(int records) {
            this(records, List.of());
        }
    }

    /**
     * Not a device message the gateway can use (unknown device, undecodable, too large): kept in
     * the dead letters; {@code reason} is one printable line for the device (CoAP 4.00).
     */
    record Rejected(String reason) implements IntakeOutcome {
    }

    /** The outbox has no room now; nothing was kept: the device should retry after {@code retryAfter} (CoAP 5.03). */
    record Full(Duration retryAfter) implements IntakeOutcome {
    }
}
