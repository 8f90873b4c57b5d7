package org.smartschool.gateway.attendance;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongUnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.bridge.attendance.AttendanceCategory;
import org.smartschool.bridge.attendance.AttendanceMark;
import org.smartschool.bridge.attendance.AttendanceMarks;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.EventType;
import org.smartschool.gateway.outbox.IntakeFrame;
import org.smartschool.gateway.outbox.Outbox;
import org.smartschool.gateway.telemetry.RateLimitedLog;

/**
 * Attendance at the door of the outbox: every card tap that enters it (MQTT, CoAP or wired reader) is
 * decided by the {@link AttendanceRegister} under the outbox's lock, as an {@link Outbox.Judge}; the
 * tap is stored with its card's hash instead of its UID ({@code card_hash}, and {@code attendance}: the
 * outcome), followed by the {@code attendance} event it caused, with the decision's state row, in one
 * transaction. The cut-off's absences are decided by {@link #clock}.
 *
 * <p>The reader's answer is known once the append committed: the intake that appended takes it with
 * {@link #takeAnswers()} on the same thread.
 */
public final class DoorAttendance implements Outbox.Judge, DoorAnswers {
    private static final Logger LOG = LoggerFactory.getLogger(DoorAttendance.class);
    /** Attributes of a card tap that hold the card itself: never stored at the gateway. */
    static final List<String> CARD_ATTRIBUTES = List.of("uid", "card_number");
    public static final String CARD_HASH = "card_hash";
    public static final String OUTCOME = "attendance";

    private final Outbox outbox;
    private final AttendanceRegister register;
    /** A tap's receive time (the system clock's) as the time it is judged at: the identity but in the hub's demo. */
    private final LongUnaryOperator tapTime;
    private final RateLimitedLog rateLimited = new RateLimitedLog(LOG, 60_000);
    private final ThreadLocal<List<DoorAnswer>> answered = new ThreadLocal<>();
    private final Map<TapOutcome, LongAdder> outcomes = new EnumMap<>(TapOutcome.class);
    private final LongAdder taps = new LongAdder();
    private final LongAdder unexcused = new LongAdder();
    private final LongAdder excused = new LongAdder();
    private final LongAdder failures = new LongAdder();
    /** Rows of other versions, deleted with the next commit. */
    private List<String> stale;

    private DoorAttendance(Outbox outbox, AttendanceRegister register, List<String> stale, LongUnaryOperator tapTime) {
        this.outbox = outbox;
        this.register = register;
        this.tapTime = tapTime;
        this.stale = stale;
        for (TapOutcome o : TapOutcome.values()) {
            outcomes.put(o, new LongAdder());
        }
    }

    /**
     * Attendance for the taps entering this outbox, going on from the decisions it holds.
     *
     * @param plan the plan in force at start (the stored desired configuration's), or null for off
     * @param gatewayId the device id of the clock's decisions (absences)
     */
    public static DoorAttendance open(Outbox outbox, String school, String gatewayId, AttendancePlan plan) {
        return open(outbox, school, gatewayId, plan, LongUnaryOperator.identity());
    }

    /**
     * Like {@link #open(Outbox, String, String, AttendancePlan)}, with every tap judged (and stored) at
     * {@code tapTime} of its receive time instead of the receive time itself: the hub's demo runs a school
     * morning on a simulated clock faster than real time, and a tap must fall on the clock the cut-offs are
     * judged by ({@link #clock}). Real gateways use the identity.
     */
    public static DoorAttendance open(Outbox outbox, String school, String gatewayId, AttendancePlan plan,
                                      LongUnaryOperator tapTime) {
        AttendanceRegister register = new AttendanceRegister(school, gatewayId);
        List<String> stale = register.restore(outbox.ruleState());
        DoorAttendance door = new DoorAttendance(outbox, register, stale, java.util.Objects.requireNonNull(tapTime, "tapTime"));
        register.start(plan);
        if (register.decisionCount() > 0) {
            LOG.info("[outbox: {}] attendance goes on from {} decisions", outbox.path(), register.decisionCount());
        }
        return door;
    }

    /**
     * Puts another plan in force (null: attendance off), without a restart; stored with the switch-on
     * time when it switches attendance on.
     *
     * @return false when the outbox has no room now (nothing changed)
     */
    public boolean replace(AttendancePlan plan, long now) throws InterruptedException {
        return outbox.appendFrames(List.of(), false, frames -> judged(frames, r -> {
            r.replace(plan, now);
            return List.of();
        })) != null;
    }

    /**
     * Judges the cut-offs passed by {@code now}; the absences are appended like any other events.
     *
     * @return whether the judgement was stored (false: no room now; the next tick judges again)
     */
    public boolean clock(long now) throws InterruptedException {
        return outbox.appendFrames(List.of(), false, frames -> judged(frames, r -> r.clock(now))) != null;
    }

    @Override
    public Outbox.Verdict judge(List<IntakeFrame> frames) {
        return judged(frames, null);
    }

    @Override
    public List<DoorAnswer> takeAnswers() {
        List<DoorAnswer> out = answered.get();
        answered.remove();
        return out == null ? List.of() : out;
    }

    /** Whether a plan is in force. */
    public boolean on() {
        return register.on();
    }

    /** The plan in force, or null. */
    public AttendancePlan plan() {
        return register.plan();
    }

    public AttendanceCounters counters() {
        return new AttendanceCounters(taps.sum(), outcomes.get(TapOutcome.PRESENT).sum(), outcomes.get(TapOutcome.LATE).sum(),
                unexcused.sum(), excused.sum(), outcomes.get(TapOutcome.UNKNOWN_CARD).sum(),
                outcomes.get(TapOutcome.REVOKED_CARD).sum(), outcomes.get(TapOutcome.WRONG_ROOM).sum(),
                outcomes.get(TapOutcome.DUPLICATE).sum(), outcomes.get(TapOutcome.NO_SESSION).sum());
    }

    /** Judgements that failed (a bug; logged): their taps went in without the card, undecided. */
    public long failures() {
        return failures.sum();
    }

    private Outbox.Verdict judged(List<IntakeFrame> frames, java.util.function.Function<AttendanceRegister, List<AttendanceMark>> more) {
        register.mark();
        List<IntakeFrame> out = frames;
        List<DoorAnswer> answers = new ArrayList<>(0);
        List<TapOutcome> decided = new ArrayList<>(0);
        List<AttendanceMark> absences = new ArrayList<>(0);
        Map<String, byte[]> state;
        try {
            for (int i = 0; i < frames.size(); i++) {
                IntakeFrame frame = frames.get(i);
                if (frame.events().stream().noneMatch(e -> e.type() == EventType.CARD_TAP)) {
                    if (out != frames) {
                        out.add(frame);
                    }
                    continue;
                }
                if (out == frames) {
                    out = new ArrayList<>(frames.subList(0, i));
                }
                List<DeviceEvent> events = new ArrayList<>(frame.events().size());
                List<DeviceEvent> marks = new ArrayList<>(1);
                for (DeviceEvent event : frame.events()) {
                    if (event.type() != EventType.CARD_TAP) {
                        events.add(event);
                        continue;
                    }
                    long at = tapTime.applyAsLong(event.timestamp());
                    AttendanceRegister.TapResult result = register.tap(event.room(), event.device(),
                            event.attributes().get("uid"), at);
                    DeviceEvent stored = withoutCard(event, result, at);
                    events.add(stored);
                    if (result != null) {
                        decided.add(result.outcome());
                        answers.add(new DoorAnswer(stored.id(), event.room(), event.device(), result.outcome(), result.green()));
                        result.marks().forEach(m -> marks.add(AttendanceMarks.asEvent(m)));
                    }
                }
                out.add(new IntakeFrame(frame.digest(), frame.mayBeRedelivery(), frame.receivedAt(), frame.readings(), events));
                if (!marks.isEmpty()) {
                    out.add(IntakeFrame.of(List.of(), marks)); // right after the tap that caused it
                }
            }
            if (more != null) {
                absences = more.apply(register);
                if (!absences.isEmpty()) {
                    out = out == frames ? new ArrayList<>(frames) : out;
                    List<DeviceEvent> events = new ArrayList<>(absences.size());
                    absences.forEach(m -> events.add(AttendanceMarks.asEvent(m)));
                    out.add(IntakeFrame.of(List.of(), events));
                }
            }
            state = register.changedState();
            if (!stale.isEmpty()) {
                state = new HashMap<>(state);
                for (String key : stale) {
                    state.putIfAbsent(key, null);
                }
            }
        } catch (RuntimeException e) {
            // a bug must not cost the school its records, nor store a card: the taps go in undecided, without it
            register.rollback();
            failures.increment();
            rateLimited.warn("judge", "[outbox: {}] attendance failed on {} frames, taps stored undecided: {}",
                    outbox.path(), frames.size(), e.getClass().getSimpleName());
            return new Verdict(stripped(frames), Map.of(), List.of(), List.of(), List.of(), false);
        }
        return new Verdict(out, state, answers, decided, absences, true);
    }

    /** The frames with every card tap's card attributes removed. */
    private static List<IntakeFrame> stripped(List<IntakeFrame> frames) {
        List<IntakeFrame> out = new ArrayList<>(frames.size());
        for (IntakeFrame frame : frames) {
            if (frame.events().stream().noneMatch(e -> e.type() == EventType.CARD_TAP)) {
                out.add(frame);
                continue;
            }
            List<DeviceEvent> events = new ArrayList<>(frame.events().size());
            frame.events().forEach(e -> events.add(e.type() == EventType.CARD_TAP ? withoutCard(e, null) : e));
            out.add(new IntakeFrame(frame.digest(), frame.mayBeRedelivery(), frame.receivedAt(), frame.readings(), events));
        }
        return out;
    }

    /** The tap as stored: the card's hash instead of its UID (nothing when attendance is off), and the outcome. */
    static DeviceEvent withoutCard(DeviceEvent tap, AttendanceRegister.TapResult result) {
        return withoutCard(tap, result, tap.timestamp());
    }

    /** The tap as stored, at {@code at}: the time it was judged at. */
    static DeviceEvent withoutCard(DeviceEvent tap, AttendanceRegister.TapResult result, long at) {
        Map<String, String> attributes = new LinkedHashMap<>(tap.attributes());
        CARD_ATTRIBUTES.forEach(attributes::remove);
        if (result != null) {
            if (result.cardHash() != null) {
                attributes.put(CARD_HASH, result.cardHash());
            }
            attributes.put(OUTCOME, result.outcome().id());
        }
        // the codec's id leaves the UID out: two cards at one reader in one millisecond (a reader flushing its
        // backlog) would be one tap; the card's keyed hash tells them apart
        String id = result == null || result.cardHash() == null ? tap.id() : DeviceEvent.derivedId(tap.id(), result.cardHash());
        return new DeviceEvent(id, tap.school(), tap.room(), tap.device(), tap.type(), at, attributes);
    }

    /** One judgement, waiting for the outbox to say whether it was stored. */
    private final class Verdict implements Outbox.Verdict {
        private final List<IntakeFrame> frames;
        private final Map<String, byte[]> state;
        private final List<DoorAnswer> answers;
        private final List<TapOutcome> decided;
        private final List<AttendanceMark> absences;
        private final boolean judged;

        Verdict(List<IntakeFrame> frames, Map<String, byte[]> state, List<DoorAnswer> answers, List<TapOutcome> decided,
                List<AttendanceMark> absences, boolean judged) {
            this.frames = frames;
            this.state = state;
            this.answers = answers;
            this.decided = decided;
            this.absences = absences;
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
                return;
            }
            if (!committed) {
                register.rollback(); // the device sends it again, and it is decided again
                return;
            }
            register.commit();
            if (!stale.isEmpty()) {
                stale = List.of();
            }
            taps.add(decided.size());
            decided.forEach(o -> outcomes.get(o).increment());
            for (AttendanceMark m : absences) {
                (m.category() == AttendanceCategory.EXCUSED_ABSENCE ? excused : unexcused).increment();
            }
            if (!answers.isEmpty()) {
                answered.set(answers);
            }
        }
    }
}
