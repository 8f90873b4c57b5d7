package org.smartschool.gateway.rules;

import java.util.List;
import java.util.Locale;

import org.smartschool.bridge.alarm.AlarmId;
import org.smartschool.bridge.alarm.AlarmTransition;
import org.smartschool.bridge.alarm.AlarmTransition.Kind;
import org.smartschool.bridge.alarm.Severity;

/**
 * One rule watching one sensor series (a device's quantity in a room): how far each level has
 * got, and the alarm it has open. Every reading costs the same, whatever the history: no rescans.
 *
 * <p>Readings are judged once and in order: one not newer than the last judged (a late arrival, a
 * redelivery, a replay) is skipped, so a replay never raises a second alarm, and the alarm's id,
 * derived from the reading that raised it, comes out the same each time.
 */
final class RuleTrack {
    private final Rule rule;
    private final String school;
    private final String room;
    private final String device;

    private final long[] since;
    private final boolean[] active;
    private final WindowedMean[] means;
    private double previous = Double.NaN;
    private long previousAt = -1;
    private int unchanged;
    private long lastAt = -1;

    private String alarmId;
    private long raisedAt;
    private Severity severity;

    RuleTrack(Rule rule, String school, String room, String device) {
        this.rule = rule;
        this.school = school;
        this.room = room;
        this.device = device;
        int n = rule.levels().size();
        since = new long[n];
        active = new boolean[n];
        means = new WindowedMean[n];
        for (int i = 0; i < n; i++) {
            since[i] = -1;
            if (rule.levels().get(i).condition() instanceof Condition.MeanAbove m) {
                means[i] = new WindowedMean(m.windowMillis(), m.energy());
            }
        }
    }

    Rule rule() {
        return rule;
    }

    boolean hasOpenAlarm() {
        return alarmId != null;
    }

    /**
     * Judges one reading.
     *
     * @param judged false outside the rule's hours (lesson-only rules): every level lets go
     */
    void onReading(double value, long at, boolean judged, List<AlarmTransition> out) {
        if (at <= lastAt) {
            return;
        }
        unchanged = previousAt >= 0 && value == previous ? unchanged + 1 : 1;
        Severity best = null;
        double bestValue = Double.NaN;
        String bestDetail = "";
        for (int i = 0; i < since.length; i++) {
            RuleLevel level = rule.levels().get(i);
            double seen = value;
            boolean holds;
            Condition c = level.condition();
            if (c instanceof Condition.Above a) {
                holds = value > a.limit() - (active[i] ? a.hysteresis() : 0);
            } else if (c instanceof Condition.Below b) {
                holds = value < b.limit() + (active[i] ? b.hysteresis() : 0);
            } else if (c instanceof Condition.Outside o) {
                double h = active[i] ? o.hysteresis() : 0;
                holds = value < o.low() + h || value > o.high() - h;
            } else if (c instanceof Condition.MeanAbove m) {
                means[i].add(value, at);
                seen = means[i].mean(at);
                holds = !Double.isNaN(seen) && seen > m.limit() - (active[i] ? m.hysteresis() : 0);
            } else if (c instanceof Condition.RisesFaster r) {
                seen = previousAt >= 0 ? (value - previous) * 60_000.0 / (at - previousAt) : Double.NaN;
                holds = !Double.isNaN(seen) && seen > r.perMinute();
            } else if (c instanceof Condition.Unchanged u) {
                seen = unchanged;
                holds = unchanged >= u.readings();
            } else {
                holds = false; // Silent: a reading ends a silence
            }
            progress(i, judged && holds, at, level.forMillis());
            if (active[i] && (best == null || level.severity().compareTo(best) > 0)) {
                best = level.severity();
                bestValue = seen;
                bestDetail = describe(level.condition(), seen);
            }
        }
        previous = value;
        previousAt = at;
        lastAt = at;
        settle(best, at, best != null ? bestValue : value, best != null ? bestDetail : judged ? "back within limits" : "outside lesson hours", out);
    }

    /** Judges the levels that watch for silence: the series has sent nothing since {@code lastAt}. */
    void onClock(long now, List<AlarmTransition> out) {
        if (lastAt < 0 || !rule.watchesSilence()) {
            return;
        }
        Severity best = null;
        long changedAt = -1;
        String bestDetail = "";
        for (int i = 0; i < since.length; i++) {
            RuleLevel level = rule.levels().get(i);
            if (level.condition() instanceof Condition.Silent s && !active[i]) {
                long silentFrom = lastAt + s.millis();
                long activeFrom = silentFrom + level.forMillis();
                if (now >= activeFrom) {
                    since[i] = silentFrom;
                    active[i] = true;
                    // the moment the silence became an alarm, not the moment it was noticed,
                    // so that the id is the same whenever (and however often) the clock is judged
                    changedAt = Math.max(changedAt, activeFrom);
                }
            }
            if (active[i] && (best == null || level.severity().compareTo(best) > 0)) {
                best = level.severity();
                bestDetail = level.condition() instanceof Condition.Silent s
                        ? "no reading for " + minutes(s.millis()) : describe(level.condition(), Double.NaN);
            }
        }
        if (changedAt >= 0) {
            settle(best, changedAt, Double.NaN, bestDetail, out);
        }
    }

    /** Whether {@link #onClock} at {@code now} would change anything: a silence level about to become active. */
    boolean silenceDue(long now) {
        if (lastAt < 0 || !rule.watchesSilence()) {
            return false;
        }
        for (int i = 0; i < since.length; i++) {
            RuleLevel level = rule.levels().get(i);
            if (level.condition() instanceof Condition.Silent s && !active[i]
                    && now >= lastAt + s.millis() + level.forMillis()) {
                return true;
            }
        }
        return false;
    }

    /** Clears the open alarm because its rule no longer applies (removed or changed by configuration). */
    void retire(long at, String why, List<AlarmTransition> out) {
        if (alarmId != null) {
            out.add(transition(Kind.CLEARED, Math.max(at, raisedAt), Double.NaN, why));
            alarmId = null;
            severity = null;
        }
    }

    private void progress(int i, boolean holds, long at, long forMillis) {
        if (holds) {
            if (since[i] < 0) {
                since[i] = at;
            }
            if (!active[i] && at - since[i] >= forMillis) {
                active[i] = true;
            }
        } else {
            since[i] = -1;
            active[i] = false;
        }
    }

    private void settle(Severity best, long at, double value, String detail, List<AlarmTransition> out) {
        if (best == null) {
            if (alarmId != null) {
                out.add(transition(Kind.CLEARED, at, value, detail));
                alarmId = null;
                severity = null;
            }
        } else if (alarmId == null) {
            raisedAt = at;
            alarmId = AlarmId.of(school, room + "/" + device, rule.id(), at);
            severity = best;
            out.add(transition(Kind.RAISED, at, value, detail));
        } else if (best != severity) {
            severity = best;
            out.add(transition(Kind.SEVERITY_CHANGED, at, value, detail));
        }
    }

    private AlarmTransition transition(Kind kind, long at, double value, String detail) {
        return new AlarmTransition(alarmId, school, room, device, rule.id(), kind, severity, raisedAt, at, value, detail);
    }

    private String describe(Condition condition, double seen) {
        String unit = rule.quantity().unit();
        if (condition instanceof Condition.Above a) {
            return number(seen) + " " + unit + " above " + number(a.limit());
        } else if (condition instanceof Condition.Below b) {
            return number(seen) + " " + unit + " below " + number(b.limit());
        } else if (condition instanceof Condition.Outside o) {
            return number(seen) + " " + unit + " outside " + number(o.low()) + "-" + number(o.high());
        } else if (condition instanceof Condition.MeanAbove m) {
            return minutes(m.windowMillis()) + " mean " + number(seen) + " " + unit + " above " + number(m.limit());
        } else if (condition instanceof Condition.RisesFaster r) {
            return "rising " + number(seen) + " " + unit + "/min, faster than " + number(r.perMinute());
        } else if (condition instanceof Condition.Unchanged) {
            return "the same value in " + (int) seen + " readings";
        } else {
            return "no reading for " + minutes(((Condition.Silent) condition).millis());
        }
    }

    private static String number(double v) {
        return Math.rint(v) == v && Math.abs(v) < 1e9 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String minutes(long millis) {
        return millis % 3_600_000 == 0 ? millis / 3_600_000 + " h" : millis % 60_000 == 0 ? millis / 60_000 + " min"
                : millis / 1000 + " s";
    }

    // ---- kept on disk --------------------------------------------------------------------------

    /** Everything the track knows, as plain values, so that a restarted gateway goes on where it stopped. */
    public record State(String school, String room, String device, String rule, long[] since, boolean[] active,
                 WindowedMean.State[] means, double previous, long previousAt, int unchanged, long lastAt,
                 String alarmId, long raisedAt, String severity) {
    }

    State state() {
        WindowedMean.State[] meanStates = new WindowedMean.State[means.length];
        for (int i = 0; i < means.length; i++) {
            meanStates[i] = means[i] == null ? null : means[i].state();
        }
        return new State(school, room, device, rule.id(), since.clone(), active.clone(), meanStates, previous,
                previousAt, unchanged, lastAt, alarmId, raisedAt, severity == null ? null : severity.id());
    }

    /**
     * Goes on from a saved state. When the rule's levels changed meanwhile, the levels start afresh
     * but the open alarm is kept, so the next reading clears or re-grades that same alarm.
     */
    void restore(State s) {
        alarmId = s.alarmId();
        raisedAt = s.raisedAt();
        severity = s.severity() == null ? null : Severity.byId(s.severity()).orElse(null);
        if (alarmId != null && severity == null) {
            alarmId = null;
        }
        previous = s.previous();
        previousAt = s.previousAt();
        unchanged = s.unchanged();
        lastAt = s.lastAt();
        if (s.since() != null && s.since().length == since.length && s.active() != null
                && s.active().length == active.length && s.means() != null && s.means().length == means.length) {
            System.arraycopy(s.since(), 0, since, 0, since.length);
            System.arraycopy(s.active(), 0, active, 0, active.length);
            for (int i = 0; i < means.length; i++) {
                if (means[i] != null) {
                    means[i].restore(s.means()[i]);
                }
            }
        }
    }
}
