package org.smartschool.hub.alarm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.smartschool.bridge.alarm.Severity;
import org.smartschool.bridge.model.Ids;
import org.smartschool.hub.config.HubRulesConfig;

/**
 * {@value #RULE}: repeated refused CONNECTs (wrong secret, unknown gateway id), a security alarm for the district.
 * Raised when one claimed gateway id is refused {@code authFailureLimit} times within {@code authFailureWindowMinutes},
 * and when unknown gateway ids together are refused {@code authFailureDistrictLimit} times within the same window (a
 * scan over many names); cleared after {@code quietMinutes} without a failure of that key.
 *
 * <p>The source is the claimed id: room {@code gateway}, the id as device, and as school the claimed gateway's own
 * school when the hub knows the id, else the district school ({@code alarms.hubRules.districtSchool}). An attacker
 * chooses the ids: known ids are bounded by the hub's gateways; unknown ones are counted one by one for at most
 * {@code authFailureTrackedIds} ids (the least recently failed idle one makes room), the rest only in the total;
 * an id that is no valid id is counted as {@value #INVALID_ID}.
 *
 * <p>Thread-safe.
 */
public final class AuthFailureRule {
    public static final String RULE = "auth-failures";
    public static final Severity SEVERITY = Severity.MAJOR;
    /** The device of failures whose claimed id is not a valid id (empty, too long, odd characters). */
    public static final String INVALID_ID = "invalid-gateway-id";
    /** The device of the district-wide count of unknown gateway ids. */
    public static final String UNKNOWN_IDS = "unknown-gateway-ids";
    private static final int BUCKETS = 10;

    private final long windowMillis;
    private final long quietMillis;
    private final int limit;
    private final int districtLimit;
    private final int maxTracked;
    private final String district;
    /** Claimed ids the hub knows: one per gateway at most. */
    private final Map<RuleSource, Key> known = new HashMap<>();
    /** Unknown claimed ids, least recently failed first. */
    private final LinkedHashMap<String, Key> unknown = new LinkedHashMap<>(16, 0.75f, true);
    private final Key unknownTotal;

    private final class Key {
        final RuleSource source;
        final SlidingCount failures = new SlidingCount(windowMillis, BUCKETS);
        long lastFailure;
        boolean raised;

        Key(RuleSource source) {
            this.source = source;
        }
    }

    public AuthFailureRule(HubRulesConfig config) {
        this.windowMillis = config.authFailureWindowMinutes() * 60_000L;
        this.quietMillis = config.quietMinutes() * 60_000L;
        this.limit = config.authFailureLimit();
        this.districtLimit = config.authFailureDistrictLimit();
        this.maxTracked = config.authFailureTrackedIds();
        this.district = config.districtSchool();
        this.unknownTotal = new Key(RuleSource.gateway(district, UNKNOWN_IDS));
    }

    /**
     * A refused CONNECT.
     *
     * @param claimedId     the user name of the CONNECT (the gateway id it claims), null when it had none
     * @param claimedSchool the school of the claimed gateway when the hub knows the id, else null
     */
    public synchronized List<RuleVerdict> failed(String claimedId, String claimedSchool, long now) {
        List<RuleVerdict> out = new ArrayList<>(2);
        if (claimedSchool != null && Ids.isValid(claimedSchool) && Ids.isValid(claimedId)) {
            RuleSource source = RuleSource.gateway(claimedSchool, claimedId);
            count(known.computeIfAbsent(source, Key::new), limit, now, out);
            return out;
        }
        String id = Ids.isValid(claimedId) ? claimedId : INVALID_ID;
        Key key = unknown.get(id);
        if (key == null && makeRoom()) {
            key = new Key(RuleSource.gateway(district, id));
            unknown.put(id, key);
        }
        if (key != null) {
            count(key, limit, now, out);
        }
        count(unknownTotal, districtLimit, now, out);
        return out;
    }

    /** Clears keys quiet for {@code quietMinutes}; forgets keys quiet for a window. */
    public synchronized List<RuleVerdict> check(long now) {
        List<RuleVerdict> out = new ArrayList<>();
        sweep(known.values().iterator(), now, out);
        sweep(unknown.values().iterator(), now, out);
        if (unknownTotal.raised && now - unknownTotal.lastFailure >= quietMillis) {
            clear(unknownTotal, now, out);
        }
        return out;
    }

    /** An alarm of this rule left open by an earlier hub process: it clears after a quiet window from now. */
    public synchronized void restoreRaised(RuleSource source, long now) {
        Key key;
        if (!source.school().equals(district)) {
            key = known.computeIfAbsent(source, Key::new);
        } else if (source.device().equals(UNKNOWN_IDS)) {
            key = unknownTotal;
        } else {
            key = unknown.computeIfAbsent(source.device(), id -> new Key(source));
        }
        key.raised = true;
        key.lastFailure = Math.max(key.lastFailure, now);
    }

    /** Claimed ids counted one by one now (known and unknown). */
    public synchronized int tracked() {
        return known.size() + unknown.size();
    }

    public synchronized int raised() {
        return (int) (known.values().stream().filter(k -> k.raised).count()
                + unknown.values().stream().filter(k -> k.raised).count() + (unknownTotal.raised ? 1 : 0));
    }

    /** True when an unknown id can be tracked: below the bound, or after forgetting the idlest key not raised. */
    private boolean makeRoom() {
        if (unknown.size() < maxTracked) {
            return true;
        }
        for (Iterator<Key> it = unknown.values().iterator(); it.hasNext(); ) {
            if (!it.next().raised) {
                it.remove();
                return true;
            }
        }
        return false;
    }

    private void count(Key key, int keyLimit, long now, List<RuleVerdict> out) {
        key.failures.add(now, 1);
        key.lastFailure = Math.max(key.lastFailure, now);
        long n = key.failures.sum(now);
        if (!key.raised && n >= keyLimit) {
            key.raised = true;
            String what = key == unknownTotal ? "unknown gateway ids" : "gateway id " + key.source.device()
                    + (key.source.school().equals(district) ? " (unknown to the hub)" : " of school " + key.source.school());
            out.add(RuleVerdict.raise(key.source, RULE, SEVERITY, now, n, n + " refused CONNECTs claiming " + what
                    + " within " + windowMillis / 60_000 + " min (limit " + keyLimit + ")"));
        }
    }

    private void sweep(Iterator<Key> keys, long now, List<RuleVerdict> out) {
        while (keys.hasNext()) {
            Key key = keys.next();
            if (key.raised && now - key.lastFailure >= quietMillis) {
                clear(key, now, out);
            }
            if (!key.raised && now - key.lastFailure >= windowMillis) {
                keys.remove();
            }
        }
    }

    private void clear(Key key, long now, List<RuleVerdict> out) {
        key.raised = false;
        out.add(RuleVerdict.clear(key.source, RULE, SEVERITY, now, 0, "no refused CONNECT for "
                + quietMillis / 60_000 + " min"));
    }
}
