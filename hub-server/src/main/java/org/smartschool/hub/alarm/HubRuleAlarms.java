package org.smartschool.hub.alarm;

import java.util.Optional;

import org.smartschool.bridge.alarm.AlarmId;
import org.smartschool.bridge.alarm.AlarmTransition;
import org.smartschool.bridge.alarm.AlarmTransition.Kind;

/**
 * Turns a hub rule's verdict into the alarm transition it makes, if any: a raise starts an alarm unless one of the
 * rule on the source is open (raised before, also by an earlier hub process), with the id {@link AlarmId} derives
 * from school, {@code room/device}, rule and the instant of the raise; a clear ends the open one.
 */
public final class HubRuleAlarms {

    private HubRuleAlarms() {
    }

    public static Optional<AlarmTransition> transition(RuleVerdict v, FleetAlarms.OpenAlarms open) {
        Optional<AlarmRecord> current = open.open(v.school(), v.room(), v.device(), v.rule());
        if (v.kind() == RuleVerdict.Kind.RAISE) {
            if (current.isPresent()) {
                return Optional.empty();
            }
            String id = AlarmId.of(v.school(), v.room() + "/" + v.device(), v.rule(), v.at());
            return Optional.of(new AlarmTransition(id, v.school(), v.room(), v.device(), v.rule(), Kind.RAISED,
                    v.severity(), v.at(), v.at(), v.value(), v.detail()));
        }
        return current.map(a -> new AlarmTransition(a.id(), v.school(), v.room(), v.device(), v.rule(), Kind.CLEARED,
                a.severity(), a.raisedAt(), Math.max(v.at(), a.raisedAt()), v.value(), v.detail()));
    }
}
