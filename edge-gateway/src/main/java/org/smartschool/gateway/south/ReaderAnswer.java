package org.smartschool.gateway.south;

import org.smartschool.gateway.attendance.DoorAnswer;

/**
 * The answer to a card tap that came over MQTT, and the topic of the tap: the subscriber publishes it
 * on {@code <topic>/answer}.
 */
public record ReaderAnswer(String topic, DoorAnswer answer) {
    public static final String SUFFIX = "/answer";

    public String answerTopic() {
        return topic + SUFFIX;
    }
}
