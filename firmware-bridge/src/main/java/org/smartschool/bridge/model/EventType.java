package org.smartschool.bridge.model;

import java.util.Arrays;
import java.util.Optional;

/** What a device reported happening, as opposed to a measured value (see {@link Reading}). */
public enum EventType {
    /** A card (RFID/NFC, Wiegand) presented at a reader; attribute {@code uid}. Personal data. */
    CARD_TAP("card_tap"),
    DOOR_OPEN("door_open"),
    DOOR_CLOSED("door_closed"),
    /** A camera or counter reports people; attributes {@code count}, optionally {@code in}, {@code out}. */
    PEOPLE_COUNT("people_count"),
    /** A presence/motion sensor changed; attribute {@code occupied} true/false. */
    OCCUPANCY("occupancy"),
    /** A safety detector changed; attributes {@code kind} (smoke, gas, water_leak, tamper) and {@code active}. */
    ALERT("alert"),
    DEVICE_ONLINE("device_online"),
    DEVICE_OFFLINE("device_offline"),
    /** A device reports a fault of its own; attributes {@code code}, optionally {@code detail}. */
    FAULT("fault"),
    /**
     * A school rule's alarm changed (raised, severity changed, cleared): attributes {@code alarm_id},
     * {@code rule}, {@code transition}, {@code severity}, {@code raised_at}, {@code detail}, optionally
     * {@code value}; see {@link org.smartschool.bridge.alarm.AlarmTransitions}.
     */
    ALARM("alarm"),
    /**
     * A gateway decided a learner's attendance (present, late, absent): attributes {@code learner_id}
     * (personal data), {@code class}, {@code date}, {@code session}, optionally {@code period},
     * {@code category}, {@code cause}; see {@link org.smartschool.bridge.attendance.AttendanceMarks}.
     */
    ATTENDANCE("attendance");

    private final String id;

    EventType(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Optional<EventType> byId(String id) {
        return Arrays.stream(values()).filter(t -> t.id.equals(id)).findFirst();
    }
}
