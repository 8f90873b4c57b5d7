package org.smartschool.gateway.rules;

import org.smartschool.bridge.alarm.Severity;

/**
 * One severity of a rule: the alarm takes this severity while the condition has held for at
 * least {@code forMillis} (the minimum duration; 0 for at once).
 */
public record RuleLevel(Severity severity, Condition condition, long forMillis) {

    public RuleLevel {
        if (severity == null || condition == null) {
            throw new IllegalArgumentException("a rule level needs a severity and a condition");
        }
        if (forMillis < 0) {
            throw new IllegalArgumentException("minimum duration must not be negative: " + forMillis);
        }
    }

    public static RuleLevel at(Severity severity, Condition condition) {
        return new RuleLevel(severity, condition, 0);
    }
}
