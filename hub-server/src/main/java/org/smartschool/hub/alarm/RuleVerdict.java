package org.smartschool.hub.alarm;

import org.smartschool.bridge.alarm.Severity;

/**
 * What one of the hub's own rules decided about one source: its alarm is to be raised, or the open one cleared.
 * {@link HubRuleAlarms} turns it into an alarm transition; raising an alarm that is open, or clearing one that is
 * not, changes nothing.
 *
 * @param at    UTC epoch ms of the observation that decided it (the alarm's raise instant for {@link Kind#RAISE})
 * @param value the value the rule judged (an age in s, a share in %, a count), NaN when none
 */
public record RuleVerdict(Kind kind, String rule, String school, String room, String device, Severity severity,
                          long at, double value, String detail) {

    public enum Kind { RAISE, CLEAR }

    static RuleVerdict raise(RuleSource source, String rule, Severity severity, long at, double value, String detail) {
        return new RuleVerdict(Kind.RAISE, rule, source.school(), source.room(), source.device(), severity, at, value,
                detail);
    }

    static RuleVerdict clear(RuleSource source, String rule, Severity severity, long at, double value, String detail) {
        return new RuleVerdict(Kind.CLEAR, rule, source.school(), source.room(), source.device(), severity, at, value,
                detail);
    }

    RuleSource source() {
        return new RuleSource(school, room, device);
    }
}
