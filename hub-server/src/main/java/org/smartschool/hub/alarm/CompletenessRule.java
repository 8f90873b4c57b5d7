package org.smartschool.hub.alarm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import org.smartschool.bridge.alarm.Severity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.hub.config.HubRulesConfig;

/**
 * {@value #RULE}, per school: the share of the readings its devices should have sent over the last
 * {@code completenessWindowMinutes} that the hub has stored. A device is expected once per its expected interval
 * (the one fleet liveness learned from its readings); a "reading" is one distinct timestamp of a device, whatever
 * number of quantities it carries. Raised below {@code completenessRaisePercent}, cleared at or above
 * {@code completenessClearPercent}.
 *
 * <p>Readings count by their own timestamps, so a backlog replayed after an outage fills the window in and clears the
 * alarm; the window ends {@value #LAG_MILLIS} ms before the check (at a bucket's end), which leaves the gateway's
 * batching time to deliver. A device counts from its first reading this hub process stored (a restart judges only
 * what it has seen), and at most its expected count, so a chatty device does not hide a silent one. A school with a
 * gateway offline or silent is not judged (that is {@code gateway-silent}'s alarm; an open alarm stays), nor one
 * whose gateway still delivers records older than the lag (a replay after an outage; see {@link HubRules}), nor one
 * that should have sent fewer than {@value #MIN_EXPECTED} readings. A device silent for a day is forgotten.
 *
 * <p>Memory: per device a ring of counts, one per twelfth of the window; at most {@value #MAX_DEVICES} devices.
 * Thread-safe; {@link #stored} runs on the ingest's store threads and only adds to counts.
 */
public final class CompletenessRule {
    public static final String RULE = "data-completeness";
    public static final Severity SEVERITY = Severity.MINOR;
    static final int BUCKETS = 12;
    static final long LAG_MILLIS = 120_000;
    static final int MIN_EXPECTED = 10;
    static final int MAX_DEVICES = 100_000;
    static final long FORGET_MILLIS = 24 * 3_600_000L;
    private static final int WORST_SHOWN = 3;

    /** A device's expected interval between readings, in ms. */
    public interface Intervals {
        long expectedMillis(String school, String device);
    }

    private final long windowMillis;
    private final long bucketMillis;
    private final int ring;
    private final double raisePercent;
    private final double clearPercent;
    private final Map<String, SchoolState> schools = new HashMap<>();
    private int devices;
    private long untracked;

    private static final class SchoolState {
        final Map<String, DeviceCounts> devices = new HashMap<>();
        boolean raised;
    }

    private static final class DeviceCounts {
        final long[] bucket;
        final int[] count;
        long firstSample = Long.MAX_VALUE;
        long lastStoredAt;

        DeviceCounts(int ring) {
            bucket = new long[ring];
            count = new int[ring];
            Arrays.fill(bucket, Long.MIN_VALUE);
        }
    }

    public CompletenessRule(HubRulesConfig config) {
        this.windowMillis = config.completenessWindowMinutes() * 60_000L;
        this.bucketMillis = windowMillis / BUCKETS;
        // the window's buckets, the ones between its end and now (the lag), the current one and one ahead
        this.ring = BUCKETS + (int) ((LAG_MILLIS + bucketMillis - 1) / bucketMillis) + 3;
        this.raisePercent = config.completenessRaisePercent();
        this.clearPercent = config.completenessClearPercent();
    }

    /**
     * The distinct reading times of each device in a batch. Cost linear in the batch plus a sort per device, no boxing:
     * it runs on the ingest's store threads, outside any lock. A device's quantities of one time are usually
     * adjacent, so most repeats are dropped on the way.
     */
    public static Map<String, long[]> distinctTimes(Batch batch) {
        Map<String, Times> byDevice = new HashMap<>();
        for (Reading r : batch.readings()) {
            byDevice.computeIfAbsent(r.device(), d -> new Times()).add(r.timestamp());
        }
        Map<String, long[]> out = new HashMap<>(byDevice.size() * 2);
        byDevice.forEach((device, times) -> out.put(device, times.distinct()));
        return out;
    }

    /** A growing array of one device's times. */
    private static final class Times {
        long[] values = new long[8];
        int size;

        void add(long t) {
            if (size > 0 && values[size - 1] == t) {
                return;
            }
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = t;
        }

        long[] distinct() {
            long[] sorted = Arrays.copyOf(values, size);
            Arrays.sort(sorted);
            int n = 0;
            for (int i = 0; i < sorted.length; i++) {
                if (i == 0 || sorted[i] != sorted[i - 1]) {
                    sorted[n++] = sorted[i];
                }
            }
            return n == sorted.length ? sorted : Arrays.copyOf(sorted, n);
        }
    }

    /** Counts the readings of a stored batch (also a replay: the same times count again, capped at the expected). */
    public synchronized void stored(String school, Map<String, long[]> timesByDevice, long now) {
        SchoolState s = schools.computeIfAbsent(school, k -> new SchoolState());
        long nowBucket = Math.floorDiv(now, bucketMillis);
        for (Map.Entry<String, long[]> e : timesByDevice.entrySet()) {
            DeviceCounts d = s.devices.get(e.getKey());
            if (d == null) {
                if (devices >= MAX_DEVICES) {
                    untracked++;
                    continue;
                }
                d = new DeviceCounts(ring);
                s.devices.put(e.getKey(), d);
                devices++;
            }
            d.lastStoredAt = Math.max(d.lastStoredAt, now);
            for (long t : e.getValue()) {
                long b = Math.floorDiv(t, bucketMillis);
                // older than the ring holds, or from a device clock far ahead: outside any window judged
                if (b <= nowBucket + 1 - ring || b > nowBucket + 1) {
                    continue;
                }
                int slot = (int) Math.floorMod(b, (long) ring);
                if (d.bucket[slot] != b) {
                    d.bucket[slot] = b;
                    d.count[slot] = 0;
                }
                d.count[slot]++;
                d.firstSample = Math.min(d.firstSample, t);
            }
        }
    }

    /**
     * Judges every school.
     *
     * @param judged false for a school not to judge now (its gateway is offline or silent)
     */
    public synchronized List<RuleVerdict> check(long now, Intervals intervals, Predicate<String> judged) {
        long end = Math.floorDiv(now - LAG_MILLIS, bucketMillis) * bucketMillis;
        long start = end - windowMillis;
        List<RuleVerdict> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, SchoolState>> it = schools.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, SchoolState> e = it.next();
            String school = e.getKey();
            SchoolState s = e.getValue();
            forgetSilent(s, now);
            if (s.devices.isEmpty() && !s.raised) {
                it.remove();
                continue;
            }
            if (!judged.test(school)) {
                continue;
            }
            judge(school, s, start, end, intervals).ifPresent(out::add);
        }
        return out;
    }

    /** An alarm of this rule left open by an earlier hub process: the next check that judges the school may clear it. */
    public synchronized void restoreRaised(RuleSource source) {
        schools.computeIfAbsent(source.school(), k -> new SchoolState()).raised = true;
    }

    public synchronized int raised() {
        return (int) schools.values().stream().filter(s -> s.raised).count();
    }

    /** Devices counted now. */
    public synchronized int devices() {
        return devices;
    }

    /** Devices not counted because {@value #MAX_DEVICES} were counted already. */
    public synchronized long untracked() {
        return untracked;
    }

    private record DeviceShare(String device, double stored, double expected) {
        double percent() {
            return 100 * stored / expected;
        }
    }

    private Optional<RuleVerdict> judge(String school, SchoolState s, long start, long end, Intervals intervals) {
        double stored = 0;
        double expected = 0;
        List<DeviceShare> shares = new ArrayList<>();
        for (Map.Entry<String, DeviceCounts> e : s.devices.entrySet()) {
            DeviceCounts d = e.getValue();
            long from = Math.max(start, d.firstSample);
            if (from >= end) {
                continue;
            }
            long interval = Math.max(1000, intervals.expectedMillis(school, e.getKey()));
            double deviceExpected = (double) (end - from) / interval;
            long count = 0;
            for (long b = Math.floorDiv(start, bucketMillis); b < Math.floorDiv(end, bucketMillis); b++) {
                int slot = (int) Math.floorMod(b, (long) ring);
                if (d.bucket[slot] == b) {
                    count += d.count[slot];
                }
            }
            double deviceStored = Math.min(count, deviceExpected);
            stored += deviceStored;
            expected += deviceExpected;
            shares.add(new DeviceShare(e.getKey(), deviceStored, deviceExpected));
        }
        if (expected < MIN_EXPECTED) {
            return Optional.empty();
        }
        double percent = 100 * stored / expected;
        RuleSource source = RuleSource.school(school);
        String summary = String.format("%.0f%% of the expected readings stored over the last %d min (%.0f of %.0f)",
                Math.floor(percent), windowMillis / 60_000, stored, expected);
        if (!s.raised && percent < raisePercent) {
            s.raised = true;
            shares.sort(Comparator.comparingDouble(DeviceShare::percent));
            StringBuilder worst = new StringBuilder();
            for (DeviceShare d : shares.subList(0, Math.min(WORST_SHOWN, shares.size()))) {
                worst.append(worst.length() == 0 ? "" : ", ").append(d.device()).append(' ')
                        .append(String.format("%.0f%%", Math.floor(d.percent())));
            }
            return Optional.of(RuleVerdict.raise(source, RULE, SEVERITY, end, percent, "school " + school
                    + ": " + summary + ", below " + (int) raisePercent + "%; least complete: " + worst));
        }
        if (s.raised && percent >= clearPercent) {
            s.raised = false;
            return Optional.of(RuleVerdict.clear(source, RULE, SEVERITY, end, percent, "school " + school
                    + ": " + summary));
        }
        return Optional.empty();
    }

    private void forgetSilent(SchoolState s, long now) {
        for (Iterator<DeviceCounts> it = s.devices.values().iterator(); it.hasNext(); ) {
            if (now - it.next().lastStoredAt >= FORGET_MILLIS) {
                it.remove();
                devices--;
            }
        }
    }
}
