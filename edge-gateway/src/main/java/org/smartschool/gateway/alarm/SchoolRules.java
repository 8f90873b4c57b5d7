package org.smartschool.gateway.alarm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.bridge.alarm.AlarmTransition;
import org.smartschool.bridge.alarm.AlarmTransitions;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.Reading;
import org.smartschool.gateway.outbox.IntakeFrame;
import org.smartschool.gateway.outbox.Outbox;
import org.smartschool.gateway.rules.LessonHours;
import org.smartschool.gateway.rules.RuleBook;
import org.smartschool.gateway.rules.RuleEngine;
import org.smartschool.gateway.telemetry.RateLimitedLog;

/**
 * The school's rules at the door of the outbox: every reading and event that enters it is judged
 * (as an {@link Outbox.Judge}, under the outbox's lock, in the order the outbox keeps the records),
 * and each alarm transition goes into the same transaction as an alarm event
 * ({@link AlarmTransitions}) right after the frame that caused it, with the rule state it changed.
 *
 * <p>So what the outbox holds and what the rules remember never disagree: an append that fails
 * (disk full, no room, interrupted) leaves the engine as it was ({@link RuleEngine#rollback()}),
 * the broker delivers the message again, and it raises the same alarm under the same id; a
 * restarted gateway goes on from the state its last commit wrote.
 *
 * <p>The engine is touched only under the outbox's lock (appends, {@link #clock}, {@link #replace});
 * the counters are read from anywhere.
 */
public final class SchoolRules implements Outbox.Judge {
    private static final Logger LOG = LoggerFactory.getLogger(SchoolRules.class);

    private final Outbox outbox;
    private final RuleEngine engine;
    private final RateLimitedLog rateLimited = new RateLimitedLog(LOG, 60_000);
    /** Rows of rule state no longer needed (rules gone since the last run), deleted with the next commit. */
    private List<String> stale;
    private volatile int activeAlarms;
    private volatile int tracks;
    private final LongAdder transitions = new LongAdder();
    private final LongAdder failures = new LongAdder();

    private SchoolRules(Outbox outbox, RuleEngine engine, List<String> stale) {
        this.outbox = outbox;
        this.engine = engine;
        this.stale = stale;
        this.activeAlarms = engine.openAlarmCount();
        this.tracks = engine.trackCount();
    }

    /**
     * Rules for the records of this outbox, going on from the state it holds. Call before anything
     * appends to it.
     */
    public static SchoolRules open(Outbox outbox, RuleBook book, LessonHours lessons) {
        RuleEngine engine = new RuleEngine(book, lessons);
        Map<String, byte[]> rows = new HashMap<>(outbox.ruleState());
        // the attendance register keeps its rows in the same table: not the rules' to read or delete
        rows.keySet().removeIf(k -> k.startsWith(org.smartschool.gateway.attendance.AttendanceRegister.STATE_PREFIX));
        List<String> stale = engine.restoreEncoded(rows);
        SchoolRules rules = new SchoolRules(outbox, engine, stale);
        if (rules.tracks > 0) {
            LOG.info("[outbox: {}] school rules go on from {} rule tracks, {} alarms open", outbox.path(), rules.tracks,
                    rules.activeAlarms);
        }
        return rules;
    }

    @Override
    public Outbox.Verdict judge(List<IntakeFrame> frames) {
        return judged(frames, null);
    }

    /**
     * Judges the silence of the series watched for it (a fridge that stopped reporting), at
     * {@code now}; its transitions are appended like any other. Not waiting for room: when there is
     * none, or the disk is full, the next tick judges again and finds the same alarm (its id is the
     * instant the silence became an alarm, not the tick).
     *
     * @return whether the judgement was stored
     * @throws org.smartschool.gateway.outbox.OutboxException when the outbox cannot write
     */
    public boolean clock(long now) throws InterruptedException {
        return outbox.appendFrames(List.of(), false, frames -> judged(frames, e -> e.onClock(now))) != null;
    }

    /**
     * New rules without a restart: alarms of rules that went are cleared, series of rules that stay
     * keep their state. Applied only together with the transitions it causes.
     *
     * @return false when the outbox has no room for the transitions now (nothing changed)
     * @throws org.smartschool.gateway.outbox.OutboxException when the outbox cannot write (nothing changed)
     */
    public boolean replace(RuleBook book, LessonHours lessons, long now) throws InterruptedException {
        return outbox.appendFrames(List.of(), false, frames -> judged(frames, e -> e.replaceRules(book, lessons, now))) != null;
    }

    /** Alarms open now (rule alarms and detector alarms). */
    public int activeAlarms() {
        return activeAlarms;
    }

    /** Rule tracks (rule x sensor series) held: the size of the rules' state. */
    public int trackCount() {
        return tracks;
    }

    /** Alarm transitions stored since start. */
    public long transitions() {
        return transitions.sum();
    }

    /** Appends whose records went in unjudged because judging them failed (a bug; logged). */
    public long failures() {
        return failures.sum();
    }

    private Outbox.Verdict judged(List<IntakeFrame> frames, Function<RuleEngine, List<AlarmTransition>> more) {
        engine.mark();
        List<IntakeFrame> out = frames;
        List<AlarmTransition> all = new ArrayList<>(0);
        Map<String, byte[]> state;
        try {
            for (int i = 0; i < frames.size(); i++) {
                IntakeFrame frame = frames.get(i);
                List<AlarmTransition> caused = judge(frame);
                if (!caused.isEmpty() && out == frames) {
                    out = new ArrayList<>(frames.subList(0, i));
                }
                if (out != frames) {
                    out.add(frame);
                    if (!caused.isEmpty()) {
                        out.add(alarms(caused)); // right after the records that caused them
                        all.addAll(caused);
                    }
                }
            }
            if (more != null) {
                List<AlarmTransition> caused = more.apply(engine);
                if (!caused.isEmpty()) {
                    out = out == frames ? new ArrayList<>(frames) : out;
                    out.add(alarms(caused));
                    all.addAll(caused);
                }
            }
            state = engine.changedStateSinceMark();
            if (!stale.isEmpty()) {
                state = new HashMap<>(state);
                for (String key : stale) {
                    state.putIfAbsent(key, null);
                }
            }
        } catch (RuntimeException e) {
            // a bug in a rule must not cost the school its records: they go in unjudged
            engine.rollback();
            failures.increment();
            rateLimited.warn("judge", "[outbox: {}] the school rules failed on {} frames, stored unjudged: {}",
                    outbox.path(), frames.size(), e.toString());
            return new Verdict(frames, Map.of(), all, false);
        }
        return new Verdict(out, state, all, true);
    }

    private List<AlarmTransition> judge(IntakeFrame frame) {
        List<AlarmTransition> caused = null;
        for (Reading reading : frame.readings()) {
            caused = add(caused, engine.onReading(reading));
        }
        for (DeviceEvent event : frame.events()) {
            // a detector repeating its state raises nothing: the engine counts changes of state only
            caused = add(caused, engine.onEvent(event));
        }
        return caused == null ? List.of() : caused;
    }

    private static List<AlarmTransition> add(List<AlarmTransition> to, List<AlarmTransition> more) {
        if (more.isEmpty()) {
            return to;
        }
        List<AlarmTransition> out = to == null ? new ArrayList<>(more.size()) : to;
        out.addAll(more);
        return out;
    }

    private static IntakeFrame alarms(List<AlarmTransition> transitions) {
        List<DeviceEvent> events = new ArrayList<>(transitions.size());
        for (AlarmTransition t : transitions) {
            events.add(AlarmTransitions.asEvent(t));
        }
        return IntakeFrame.of(List.of(), events);
    }

    /** One judgement, waiting for the outbox to say whether it was stored. */
    private final class Verdict implements Outbox.Verdict {
        private final List<IntakeFrame> frames;
        private final Map<String, byte[]> state;
        private final List<AlarmTransition> caused;
        private final boolean judged;

        Verdict(List<IntakeFrame> frames, Map<String, byte[]> state, List<AlarmTransition> caused, boolean judged) {
            this.frames = frames;
            this.state = state;
            this.caused = caused;
            this.judged = judged;
        }

        @Override
        public List<IntakeFrame> frames() {
            return frames;
        }

        @Override
        public Map<String, byte[]> state() {
            return state;
        }

        @Override
        public void settled(boolean committed) {
            if (!judged) {
                return; // rolled back already
            }
            if (!committed) {
                engine.rollback(); // the broker or device sends it again, and it is judged again
                return;
            }
            engine.commit();
            if (!stale.isEmpty()) {
                stale = List.of();
            }
            int open = activeAlarms;
            for (AlarmTransition t : caused) {
                if (t.kind() == AlarmTransition.Kind.RAISED) {
                    open++;
                } else if (t.kind() == AlarmTransition.Kind.CLEARED) {
                    open--;
                }
            }
            activeAlarms = open;
            tracks = engine.trackCount();
            transitions.add(caused.size());
        }
    }
}
