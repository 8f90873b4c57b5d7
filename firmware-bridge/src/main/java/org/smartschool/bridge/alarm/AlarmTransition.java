package org.smartschool.bridge.alarm;

import org.smartschool.bridge.model.Ids;

/**
 * One step in an alarm's life as its raiser saw it: raised, a change of severity, or cleared.
 * Acknowledgement is the hub's business and is not a transition raised by rules.
 *
 * @param alarmId {@link AlarmId#of} of school, {@code room/device}, rule and {@code raisedAt}
 * @param rule the rule's id, e.g. {@code co2}
 * @param severity the severity from this transition on (for {@link Kind#CLEARED}: the last one)
 * @param raisedAt UTC epoch milliseconds of the reading that raised the alarm
 * @param at UTC epoch milliseconds of the reading (or the check) that caused this transition
 * @param value the value the rule judged at {@code at} (an instant value or a windowed mean), NaN when none
 * @param detail one line a facility manager can read, e.g. "15-min mean 1620 ppm above 1500"
 */
public record AlarmTransition(String alarmId, String school, String room, String device, String rule, Kind kind,
                              Severity severity, long raisedAt, long at, double value, String detail) {

    public enum Kind {
        RAISED("raised"),
        SEVERITY_CHANGED("severity_changed"),
        CLEARED("cleared");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    public AlarmTransition {
        Ids.require("school", school);
        Ids.require("room", room);
        Ids.require("device", device);
        if (alarmId == null || rule == null || kind == null || severity == null) {
            throw new IllegalArgumentException("alarm transition of device '" + device + "' lacks id, rule, kind or severity");
        }
        if (at < raisedAt) {
            throw new IllegalArgumentException("alarm " + alarmId + ": transition at " + at + " before it was raised at " + raisedAt);
        }
        detail = detail == null ? "" : detail;
    }

    /** Stable across replays: the same transition of the same alarm always has this id. */
    public String transitionId() {
        return alarmId + ":" + kind.id() + ":" + at;
    }

    public String source() {
        return room + "/" + device;
    }
}
