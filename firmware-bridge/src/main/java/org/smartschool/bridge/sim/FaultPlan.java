package org.smartschool.bridge.sim;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * When one device's faults happen, day by day: a pure function of the seed, the device and the
 * day, so the faults do not depend on how the simulation is driven. Each kind draws from its own
 * stream, so changing one rate moves no other kind's faults.
 *
 * <p>A rate of {@code r} episodes per device-day gives {@code floor(r)} episodes, plus one with
 * probability {@code r - floor(r)}, each starting at a uniform instant of the local day. Episodes
 * that silence or freeze the device (stuck, dropout, offline, false alarm) never overlap: one drawn
 * over another is dropped. Durations: stuck 60 minutes, dropout 3-20, offline 5-45, false alarm 1-3.
 */
final class FaultPlan {
    static final long STUCK_MILLIS = 60 * 60_000L;
    private static final long DAY_MILLIS = 24 * 3600_000L;

    /** One fault of the device: {@code [from, to)}; a spike hits the first report at or after {@code from}. */
    record Episode(FaultKind kind, long from, long to) {
        boolean covers(long t) {
            return t >= from && t < to;
        }
    }

    static final FaultPlan NONE = new FaultPlan(FaultRates.NONE, EnumSet.noneOf(FaultKind.class), 0, "none");

    private final FaultRates rates;
    private final Set<FaultKind> kinds;
    private final long seed;
    private final String device;
    /** Episodes a {@link Scenario} scripted for this device, besides the drawn ones. */
    private final List<Episode> scripted;

    /**
     * @param kinds the faults this kind of device can have (a smoke detector has no value to stick
     *              or spike; only it can raise a false alarm)
     */
    FaultPlan(FaultRates rates, Set<FaultKind> kinds, long seed, String device) {
        this.rates = rates;
        this.kinds = kinds.isEmpty() ? EnumSet.noneOf(FaultKind.class) : EnumSet.copyOf(kinds);
        this.seed = seed;
        this.device = device;
        this.scripted = List.of();
    }

    private FaultPlan(FaultPlan drawn, List<Episode> scripted) {
        this.rates = drawn.rates;
        this.kinds = drawn.kinds;
        this.seed = drawn.seed;
        this.device = drawn.device;
        this.scripted = List.copyOf(scripted);
    }

    /**
     * This plan with {@code episodes} added, each on the local day it starts; a drawn episode that
     * would overlap one of them is dropped, as drawn ones that overlap each other are.
     */
    FaultPlan withScripted(List<Episode> episodes) {
        if (episodes.isEmpty()) {
            return this;
        }
        List<Episode> all = new ArrayList<>(scripted);
        all.addAll(episodes);
        return new FaultPlan(this, all);
    }

    boolean isEmpty() {
        if (!scripted.isEmpty()) {
            return false;
        }
        for (FaultKind kind : kinds) {
            if (rates.rate(kind) > 0) {
                return false;
            }
        }
        return true;
    }

    /** The episodes starting on the school's local {@code day}, by start time. */
    List<Episode> on(LocalDate day) {
        if (isEmpty()) {
            return List.of();
        }
        long midnight = SchoolTimetable.startOfDay(day);
        List<Episode> out = new ArrayList<>();
        for (Episode e : scripted) {
            if (e.from() >= midnight && e.from() < SchoolTimetable.startOfDay(day.plusDays(1))) {
                out.add(e);
            }
        }
        for (FaultKind kind : kinds) {
            double rate = rates.rate(kind);
            if (rate <= 0) {
                continue;
            }
            SplittableRandom random = Seeds.random(seed, device, day.toString(), kind.id());
            int count = (int) rate + (random.nextDouble() < rate - Math.floor(rate) ? 1 : 0);
            for (int i = 0; i < count; i++) {
                long from = midnight + random.nextLong(DAY_MILLIS);
                Episode episode = new Episode(kind, from, from + duration(kind, random));
                if (kind == FaultKind.SPIKE || out.stream().noneMatch(e -> e.kind() != FaultKind.SPIKE && overlap(e, episode))) {
                    out.add(episode);
                }
            }
        }
        out.sort(Comparator.comparingLong(Episode::from).thenComparing(Episode::kind));
        return out;
    }

    private static long duration(FaultKind kind, SplittableRandom random) {
        return switch (kind) {
            case STUCK -> STUCK_MILLIS;
            case DROPOUT -> minutes(3, 20, random);
            case SPIKE -> 1;
            case OFFLINE -> minutes(5, 45, random);
            case FALSE_ALARM -> minutes(1, 3, random);
        };
    }

    private static long minutes(int min, int max, SplittableRandom random) {
        return min * 60_000L + random.nextLong((max - min) * 60_000L + 1);
    }

    private static boolean overlap(Episode a, Episode b) {
        return a.from() < b.to() && b.from() < a.to();
    }
}
