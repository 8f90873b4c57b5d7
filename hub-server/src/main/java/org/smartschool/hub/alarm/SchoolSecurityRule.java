package org.smartschool.hub.alarm;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.ArrayList;
import java.util.Map;

import org.smartschool.bridge.alarm.Severity;
import org.smartschool.hub.config.HubRulesConfig;

/**
 * {@value #RULE}: one school's gateway hears from devices nobody registered, or publishes where it may not (PUBACK
 * 0x87), more than {@code securityEventLimit} times within {@code securityWindowMinutes}: a security alarm for the
 * district, raised at once and cleared after {@code quietMinutes} without either.
 *
 * <p>Unknown devices are counted from the increments of a gateway's {@code unknownDevices} totals between its health
 * reports; a total that fell (the gateway restarted and counts from zero again) counts as its own increment. The
 * first report a hub process sees of a gateway is its baseline: what came before was counted, if at all, by the
 * process before.
 *
 * <p>Entries per school and per gateway that passed authentication: bounded by what the hub knows. Thread-safe.
 */
public final class SchoolSecurityRule {
    public static final String RULE = "school-security";
    public static final Severity SEVERITY = Severity.MAJOR;
    private static final int BUCKETS = 10;

    private final long windowMillis;
    private final long quietMillis;
    private final long limit;
    private final Map<String, State> schools = new HashMap<>();
    private final Map<String, Totals> gateways = new HashMap<>();

    private final class State {
        final SlidingCount unknown = new SlidingCount(windowMillis, BUCKETS);
        final SlidingCount refused = new SlidingCount(windowMillis, BUCKETS);
        long lastEvent;
        boolean raised;
    }

    private record Totals(long unknownDevices, Long uptimeSeconds) {
    }

    public SchoolSecurityRule(HubRulesConfig config) {
        this.windowMillis = config.securityWindowMinutes() * 60_000L;
        this.quietMillis = config.quietMinutes() * 60_000L;
        this.limit = config.securityEventLimit();
    }

    /** A health report of a gateway: its unknown-device total. */
    public synchronized List<RuleVerdict> report(String gateway, String school, HealthSignals health, long now) {
        Long total = health.unknownDevices();
        if (total == null) {
            return List.of();
        }
        Totals before = gateways.put(gateway, new Totals(total, health.uptimeSeconds()));
        if (before == null) {
            return List.of();
        }
        boolean restarted = total < before.unknownDevices() || (health.uptimeSeconds() != null
                && before.uptimeSeconds() != null && health.uptimeSeconds() < before.uptimeSeconds());
        long increment = restarted ? total : total - before.unknownDevices();
        return increment > 0 ? event(school, increment, 0, now) : List.of();
    }

    /** A PUBLISH of the school's gateway refused as not allowed (PUBACK 0x87). */
    public synchronized List<RuleVerdict> topicRefused(String school, long now) {
        return event(school, 0, 1, now);
    }

    /** Clears what has been quiet long enough, and forgets quiet schools. */
    public synchronized List<RuleVerdict> check(long now) {
        List<RuleVerdict> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, State>> it = schools.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, State> e = it.next();
            State s = e.getValue();
            if (s.raised && now - s.lastEvent >= quietMillis) {
                s.raised = false;
                out.add(RuleVerdict.clear(RuleSource.school(e.getKey()), RULE, SEVERITY, now, 0,
                        "no unknown devices and no refused topics from school " + e.getKey() + " for "
                                + quietMillis / 60_000 + " min"));
            }
            if (!s.raised && now - s.lastEvent >= windowMillis) {
                it.remove();
            }
        }
        return out;
    }

    /** An alarm of this rule left open by an earlier hub process: it clears after a quiet window from now. */
    public synchronized void restoreRaised(RuleSource source, long now) {
        State s = schools.computeIfAbsent(source.school(), k -> new State());
        s.raised = true;
        s.lastEvent = Math.max(s.lastEvent, now);
    }

    public synchronized int raised() {
        return (int) schools.values().stream().filter(s -> s.raised).count();
    }

    private List<RuleVerdict> event(String school, long unknownDevices, long refusedTopics, long now) {
        State s = schools.computeIfAbsent(school, k -> new State());
        s.unknown.add(now, unknownDevices);
        s.refused.add(now, refusedTopics);
        s.lastEvent = Math.max(s.lastEvent, now);
        long unknown = s.unknown.sum(now);
        long refused = s.refused.sum(now);
        if (s.raised || unknown + refused < limit) {
            return List.of();
        }
        s.raised = true;
        return List.of(RuleVerdict.raise(RuleSource.school(school), RULE, SEVERITY, now, unknown + refused,
                unknown + " messages of unknown devices and " + refused + " refused topics from school " + school
                        + " within " + windowMillis / 60_000 + " min (limit " + limit + ")"));
    }
}
