package org.smartschool.hub.alarm;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.smartschool.bridge.alarm.Severity;
import org.smartschool.hub.config.HubRulesConfig;

/**
 * {@value #RULE}: a gateway that is connected and reporting while its outbox falls further behind. Judged on each
 * health report: raised when the oldest waiting record is at least {@code backlogRaiseMinutes} old and the age or the
 * record count rose in each of the last {@code backlogGrowingReports} reports; cleared once the oldest record is at
 * most {@code backlogClearMinutes} old (or the outbox is empty).
 *
 * <p>A link that just came back replays an old backlog: the oldest records leave first, so the age and the count
 * fall from report to report and nothing is raised. An outage itself is {@code gateway-silent}'s alarm: no report
 * arrives then, and this rule waits for the next.
 *
 * <p>One entry per gateway that passed authentication: bounded by the gateways the hub knows. Thread-safe.
 */
public final class BacklogRule {
    public static final String RULE = "gateway-backlog";
    public static final Severity SEVERITY = Severity.MAJOR;

    private final long raiseSeconds;
    private final long clearSeconds;
    private final int growingReports;
    private final Map<String, State> gateways = new HashMap<>();

    private static final class State {
        Long lastAge;
        Long lastRecords;
        int rising;
        boolean raised;
    }

    public BacklogRule(HubRulesConfig config) {
        this.raiseSeconds = config.backlogRaiseMinutes() * 60L;
        this.clearSeconds = config.backlogClearMinutes() * 60L;
        this.growingReports = config.backlogGrowingReports();
    }

    /** Judges one health report of a connected gateway. */
    public synchronized List<RuleVerdict> report(String gateway, String school, HealthSignals health, long now) {
        Long age = health.outboxOldestAgeSeconds();
        if (age == null) {
            return List.of();
        }
        long records = health.outboxRecords() == null ? -1 : health.outboxRecords();
        State s = gateways.computeIfAbsent(gateway, g -> new State());
        boolean rose = s.lastAge != null && (age > s.lastAge || (records >= 0 && s.lastRecords != null
                && records > s.lastRecords));
        s.rising = rose ? s.rising + 1 : 0;
        s.lastAge = age;
        s.lastRecords = records >= 0 ? records : null;
        RuleSource source = RuleSource.gateway(school, gateway);
        if (!s.raised && age >= raiseSeconds && s.rising >= growingReports) {
            s.raised = true;
            return List.of(RuleVerdict.raise(source, RULE, SEVERITY, now, age, "outbox of gateway " + gateway + " "
                    + describe(records, age) + ", growing over the last " + s.rising + " health reports"));
        }
        if (s.raised && age <= clearSeconds) {
            s.raised = false;
            return List.of(RuleVerdict.clear(source, RULE, SEVERITY, now, age, "outbox of gateway " + gateway
                    + " drained: " + describe(records, age)));
        }
        return List.of();
    }

    /** An alarm of this rule left open by an earlier hub process: the next report may clear it. */
    public synchronized void restoreRaised(RuleSource source) {
        gateways.computeIfAbsent(source.device(), g -> new State()).raised = true;
    }

    /** Gateways whose backlog alarm is raised now. */
    public synchronized int raised() {
        return (int) gateways.values().stream().filter(s -> s.raised).count();
    }

    private static String describe(long records, long ageSeconds) {
        return (records >= 0 ? records + " records waiting, " : "") + "oldest " + age(ageSeconds) + " old";
    }

    static String age(long seconds) {
        return seconds >= 3600 ? String.format("%.1f h", seconds / 3600.0)
                : seconds >= 60 ? seconds / 60 + " min" : seconds + " s";
    }
}
