package org.smartschool.hub.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.smartschool.bridge.alarm.Severity;
import org.smartschool.hub.alarm.AlarmRecord;

/**
 * The month's alarms (those raised within it) counted by rule and severity, and how quickly people and conditions
 * answered them: raised to acknowledged over the alarms acknowledged, raised to cleared over the alarms cleared
 * (medians and 90th percentiles, {@link Durations}). An alarm's severity is the one it had last (an escalation
 * by severity change counts where it ended).
 *
 * @param byRule per rule and severity, ordered by rule then severity
 * @param total  every alarm of the month
 */
public record AlarmStatistics(List<RuleCount> byRule, int total, int acknowledged, int cleared, Durations toAcknowledge,
                              Durations toClear) {

    /** How many alarms of one rule at one severity. */
    public record RuleCount(String rule, Severity severity, int count) {
    }

    public static AlarmStatistics of(List<AlarmRecord> alarms) {
        Map<String, Map<Severity, Integer>> counts = new TreeMap<>();
        List<Long> toAck = new ArrayList<>();
        List<Long> toClear = new ArrayList<>();
        for (AlarmRecord a : alarms) {
            counts.computeIfAbsent(a.rule(), r -> new TreeMap<>()).merge(a.severity(), 1, Integer::sum);
            if (a.acknowledgement() != null) {
                toAck.add(Math.max(0, a.acknowledgement().at() - a.raisedAt()));
            }
            if (a.clearedAt() != null) {
                toClear.add(Math.max(0, a.clearedAt() - a.raisedAt()));
            }
        }
        List<RuleCount> rows = new ArrayList<>();
        counts.forEach((rule, bySeverity) -> bySeverity.forEach((s, n) -> rows.add(new RuleCount(rule, s, n))));
        rows.sort(Comparator.comparing(RuleCount::rule).thenComparing(RuleCount::severity));
        return new AlarmStatistics(List.copyOf(rows), alarms.size(), toAck.size(), toClear.size(), Durations.of(toAck),
                Durations.of(toClear));
    }
}
