package org.smartschool.gateway.rules;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.smartschool.bridge.alarm.AlarmId;
import org.smartschool.bridge.alarm.AlarmTransition;
import org.smartschool.bridge.alarm.AlarmTransition.Kind;
import org.smartschool.bridge.alarm.Severity;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.EventType;

/**
 * Alarms from safety detectors' own alerts (smoke, gas, water leak, tamper): raised when the
 * detector says active, cleared when it says inactive. Firmware repeats the state in every
 * message (a Zigbee smoke detector reports {@code "smoke":false} each minute), so only a change
 * of state counts: a repeat neither raises a second alarm nor clears anything.
 */
final class AlertAlarms {

    /** An alarm a detector has open. */
    public record Open(String alarmId, long raisedAt, String severity) {
    }

    private final UndoableMap<Open> open = new UndoableMap<>();

    static Optional<Severity> severityOf(String kind) {
        return switch (kind) {
            case "smoke", "gas" -> Optional.of(Severity.CRITICAL);
            case "water_leak" -> Optional.of(Severity.MAJOR);
            case "tamper" -> Optional.of(Severity.MINOR);
            default -> Optional.empty();
        };
    }

    static String ruleId(String kind) {
        return "alert-" + kind.replace('_', '-');
    }

    void onEvent(DeviceEvent e, List<AlarmTransition> out) {
        if (e.type() != EventType.ALERT) {
            return;
        }
        String kind = e.attributes().getOrDefault("kind", "");
        Optional<Severity> severity = severityOf(kind);
        String activeText = e.attributes().get("active");
        if (severity.isEmpty() || activeText == null) {
            return;
        }
        boolean active = Boolean.parseBoolean(activeText);
        String key = e.room() + "/" + e.device() + "/" + kind;
        Open current = open.get(key);
        String rule = ruleId(kind);
        if (active && current == null) {
            String id = AlarmId.of(e.school(), e.room() + "/" + e.device(), rule, e.timestamp());
            open.put(key, new Open(id, e.timestamp(), severity.get().id()));
            out.add(new AlarmTransition(id, e.school(), e.room(), e.device(), rule, Kind.RAISED, severity.get(),
                    e.timestamp(), e.timestamp(), Double.NaN, "the detector reports " + kind.replace('_', ' ')));
        } else if (!active && current != null && e.timestamp() >= current.raisedAt()) {
            open.remove(key);
            out.add(new AlarmTransition(current.alarmId(), e.school(), e.room(), e.device(), rule, Kind.CLEARED,
                    Severity.byId(current.severity()).orElse(severity.get()), current.raisedAt(), e.timestamp(),
                    Double.NaN, "the detector reports " + kind.replace('_', ' ') + " no more"));
        }
    }

    /** Starts remembering what changes, key by key: the cost follows the changes, not the number of devices. */
    void mark() {
        open.mark();
    }

    /** Puts back what changed since {@link #mark()}. */
    void rollback() {
        open.rollback();
    }

    void commit() {
        open.commit();
    }

    /** The keys changed since {@link #mark()}, with what they hold now (null: no alarm open). */
    Map<String, Open> changedSinceMark() {
        return open.changedSinceMark();
    }

    int openCount() {
        return open.size();
    }

    Map<String, Open> state() {
        return open.snapshot();
    }

    void restore(Map<String, Open> state) {
        open.restore(state);
    }
}
