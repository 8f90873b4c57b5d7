package org.smartschool.gateway.attendance;

import java.nio.charset.StandardCharsets;

/**
 * What a door reader is told about one tap: green (come in: present, late, or already marked) or red.
 * Carries no learner id and no card: it goes back to the reader over the school's network.
 *
 * @param tap the card tap event's id (the reader's message it answers)
 */
public record DoorAnswer(String tap, String room, String device, TapOutcome outcome, boolean green) {

    /** {@code {"answer":"green","outcome":"present","tap":"..."}}: the payload of an MQTT or CoAP answer. */
    public byte[] json() {
        return ("{\"answer\":\"" + (green ? "green" : "red") + "\",\"outcome\":\"" + outcome.id() + "\",\"tap\":\""
                + tap + "\"}").getBytes(StandardCharsets.UTF_8);
    }
}
