package org.smartschool.gateway.attendance;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.smartschool.bridge.attendance.AttendanceCategory;
import org.smartschool.bridge.attendance.AttendanceMark;
import org.smartschool.bridge.attendance.CardHash;

/**
 * Decides attendance: a tap at a door becomes present, late, or a refusal; at each slot's cut-off the
 * learners without a decision become absent; a tap after an absence turns it into late. Plain domain
 * logic: no outbox, no threads, no clock of its own (times come in as arguments).
 *
 * <p>Transactions: {@link #mark()} starts one, decisions then go into a pending layer that
 * {@link #commit()} makes final and {@link #rollback()} forgets ({@link DoorAttendance} commits
 * exactly when the outbox committed the records). {@link #changedState()} gives the rows to store
 * with them; {@link #restore} starts from stored rows. Not thread-safe: one caller at a time (the
 * outbox's lock).
 */
public final class AttendanceRegister {
    /** Prefix of every state row this register writes (the outbox's {@code rule_state} is shared with the rules). */
    public static final String STATE_PREFIX = "att:";
    private static final String DECISION = STATE_PREFIX + "d:";
    private static final String SINCE = STATE_PREFIX + "since";

    private final String school;
    private final String gatewayDevice;
    private volatile AttendancePlan plan;
    /** When attendance was switched on: slots that started before are not judged for absences. */
    private long since;
    private final Map<String, Decision> decisions = new HashMap<>();
    private final Map<String, LastTap> lastTaps = new HashMap<>();
    /** Slots whose cut-off has been judged (in memory: after a restart they are judged again, finding their decisions). */
    private final Set<String> closed = new HashSet<>();
    private LocalDate today;

    // the transaction under way
    private boolean marked;
    private final Map<String, Decision> pending = new LinkedHashMap<>();
    private final Set<String> deleted = new HashSet<>();
    private final Map<String, LastTap> pendingTaps = new HashMap<>();
    private final Set<String> pendingClosed = new HashSet<>();
    private Long pendingSince;
    private LocalDate pendingToday;
    private boolean planChanging;
    private AttendancePlan pendingPlan;

    private record LastTap(long at, boolean green) {
    }

    /** What a tap came to: the outcome, the card's hash (null when attendance is off or the UID is not one) and the events. */
    public record TapResult(TapOutcome outcome, String cardHash, List<AttendanceMark> marks, boolean green) {
        public TapResult {
            marks = List.copyOf(marks);
        }

        static TapResult refused(TapOutcome outcome, String cardHash) {
            return new TapResult(outcome, cardHash, List.of(), false);
        }
    }

    /**
     * @param gatewayDevice the device id decisions of the clock carry (the gateway's id)
     */
    public AttendanceRegister(String school, String gatewayDevice) {
        this.school = school;
        this.gatewayDevice = gatewayDevice;
    }

    /** Whether a plan is in force. */
    public boolean on() {
        return plan != null;
    }

    public AttendancePlan plan() {
        return plan;
    }

    /**
     * Puts {@code next} in force (null: attendance off). Decisions already made stay; the slots of the day
     * are judged again at the next clock (the roster may have grown). Switching on stores when, so that
     * slots that started before are not judged for absences.
     */
    public void replace(AttendancePlan next, long now) {
        requireMarked();
        if (next != null && currentPlan() == null && currentSince() == 0) {
            pendingSince = now;
        } else if (next == null && currentSince() != 0) {
            pendingSince = 0L;
        }
        pendingPlan = next;
        planChanging = true;
    }

    /**
     * The plan in force at start (the stored desired configuration's; it was switched on, and its switch-on
     * time stored, when it arrived).
     */
    public void start(AttendancePlan atStart) {
        plan = atStart;
    }

    /** Starts from stored rows (those under {@link #STATE_PREFIX}); rows it cannot read are returned, to be deleted. */
    public List<String> restore(Map<String, byte[]> rows) {
        List<String> unreadable = new ArrayList<>();
        rows.forEach((key, value) -> {
            if (!key.startsWith(STATE_PREFIX)) {
                return;
            }
            try {
                if (key.equals(SINCE)) {
                    since = Long.parseLong(new String(value, StandardCharsets.UTF_8));
                } else if (key.startsWith(DECISION)) {
                    decisions.put(key.substring(DECISION.length()), Decision.decode(value));
                } else {
                    unreadable.add(key);
                }
            } catch (RuntimeException e) {
                unreadable.add(key);
            }
        });
        return unreadable;
    }

    /** Decisions held (today's, and older days' until the clock prunes them). */
    public int decisionCount() {
        return decisions.size();
    }

    public void mark() {
        rollback();
        marked = true;
    }

    public void commit() {
        for (Map.Entry<String, Decision> e : pending.entrySet()) {
            decisions.put(e.getKey(), e.getValue());
        }
        deleted.forEach(decisions::remove);
        lastTaps.putAll(pendingTaps);
        closed.addAll(pendingClosed);
        if (pendingSince != null) {
            since = pendingSince;
        }
        if (pendingToday != null) {
            today = pendingToday;
        }
        if (planChanging) {
            plan = pendingPlan;
            closed.clear();
        }
        clearPending();
    }

    public void rollback() {
        clearPending();
    }

    private void clearPending() {
        pending.clear();
        deleted.clear();
        pendingTaps.clear();
        pendingClosed.clear();
        pendingSince = null;
        pendingToday = null;
        planChanging = false;
        pendingPlan = null;
        marked = false;
    }

    /** The rows to store for the transaction under way: key -> value, null to delete. */
    public Map<String, byte[]> changedState() {
        Map<String, byte[]> out = new HashMap<>();
        pending.forEach((k, d) -> out.put(DECISION + k, d.encode()));
        deleted.forEach(k -> out.put(DECISION + k, null));
        if (pendingSince != null) {
            out.put(SINCE, pendingSince == 0 ? null : Long.toString(pendingSince).getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    /**
     * Decides one tap.
     *
     * @param uid the card UID as the reader sent it; hashed at once, never kept
     * @param at when the tap was received, UTC epoch milliseconds
     * @return null when attendance is off
     */
    public TapResult tap(String room, String device, String uid, long at) {
        requireMarked();
        AttendancePlan p = currentPlan();
        if (p == null) {
            return null;
        }
        String hash;
        try {
            hash = CardHash.of(p.cardKey().secret(), uid);
        } catch (IllegalArgumentException e) {
            return TapResult.refused(TapOutcome.UNKNOWN_CARD, null);
        }
        if (p.revoked(hash)) {
            return TapResult.refused(TapOutcome.REVOKED_CARD, hash);
        }
        String learner = p.learnerOfCard(hash);
        if (learner == null) {
            return TapResult.refused(TapOutcome.UNKNOWN_CARD, hash);
        }
        LastTap last = pendingTaps.containsKey(learner) ? pendingTaps.get(learner) : lastTaps.get(learner);
        if (last != null && at >= last.at() && at - last.at() < p.policy().debounceSeconds() * 1000L) {
            // the same card again at once: answered as the first tap was, decided nothing
            return new TapResult(TapOutcome.DUPLICATE, hash, List.of(), last.green());
        }
        TapResult result = decide(p, learner, hash, room, device, at);
        pendingTaps.put(learner, new LastTap(at, result.green()));
        return result;
    }

    private TapResult decide(AttendancePlan p, String learner, String hash, String room, String device, long at) {
        LocalDate date = Instant.ofEpochMilli(at).atZone(p.zone()).toLocalDate();
        List<Slot> now = new ArrayList<>();
        AttendancePlan.Learner l = p.learners().get(learner);
        addOpen(now, p.slotsOf(l.classId(), date), at);
        for (String section : l.sections()) {
            addOpen(now, p.slotsOf(section, date), at);
        }
        if (now.isEmpty()) {
            return TapResult.refused(TapOutcome.NO_SESSION, hash);
        }
        Slot chosen = null;
        for (Slot slot : now) {
            if (slot.room().equals(room) && (chosen == null || chosen.period() == null && slot.period() != null)) {
                chosen = slot; // a lab period inside the homeroom session: the period is what the door is for
            }
        }
        if (chosen == null) {
            return TapResult.refused(TapOutcome.WRONG_ROOM, hash);
        }
        Decision before = decision(chosen.key() + "|" + learner);
        if (before != null && !before.isAbsence()) {
            return greenDuplicate(hash);
        }
        AttendanceCategory category = before == null && at <= chosen.graceUntil() ? AttendanceCategory.PRESENT
                : AttendanceCategory.LATE;
        AttendanceMark mark = record(p, chosen, learner, category, AttendanceMark.Cause.TAP, at, room, device);
        return new TapResult(category == AttendanceCategory.PRESENT ? TapOutcome.PRESENT : TapOutcome.LATE, hash,
                List.of(mark), true);
    }

    /** Adds the slots a tap at {@code at} falls in (from their earliest tap to their end). */
    private static void addOpen(List<Slot> out, List<Slot> slots, long at) {
        for (Slot slot : slots) {
            if (at >= slot.earliest() && at <= slot.end()) {
                out.add(slot);
            }
        }
    }

    private static TapResult greenDuplicate(String hash) {
        return new TapResult(TapOutcome.DUPLICATE, hash, List.of(), true);
    }

    /**
     * Judges the cut-offs passed by {@code now}: every learner of a slot without a decision is absent
     * (excused when the school management system sent an excuse). Also forgets the decisions of earlier days.
     */
    public List<AttendanceMark> clock(long now) {
        requireMarked();
        AttendancePlan p = currentPlan();
        if (p == null) {
            return List.of();
        }
        LocalDate date = Instant.ofEpochMilli(now).atZone(p.zone()).toLocalDate();
        if (!date.equals(today)) {
            String prefix = date + "|";
            for (String key : decisions.keySet()) {
                if (!key.startsWith(prefix)) {
                    deleted.add(key); // yesterday's decisions: in the outbox (or with the hub) already
                }
            }
            pendingToday = date;
            if (today != null) {
                closed.clear();
            }
        }
        long switchedOn = currentSince();
        List<AttendanceMark> out = new ArrayList<>();
        for (Slot slot : p.slotsOn(date)) {
            String slotKey = slot.key();
            if (now < slot.cutoffAt() || closed.contains(slotKey) || pendingClosed.contains(slotKey)) {
                continue;
            }
            pendingClosed.add(slotKey);
            if (switchedOn != 0 && slot.start() < switchedOn) {
                continue; // attendance was off when it started: the taps before are unknown
            }
            for (String learner : p.members(slot.classId())) {
                if (decision(slotKey + "|" + learner) != null) {
                    continue;
                }
                boolean excused = p.excused(learner, slot);
                out.add(record(p, slot, learner,
                        excused ? AttendanceCategory.EXCUSED_ABSENCE : AttendanceCategory.UNEXCUSED_ABSENCE,
                        excused ? AttendanceMark.Cause.EXCUSE : AttendanceMark.Cause.CUTOFF, slot.cutoffAt(),
                        slot.room(), gatewayDevice));
            }
        }
        return out;
    }

    private AttendanceMark record(AttendancePlan p, Slot slot, String learner, AttendanceCategory category,
                                  AttendanceMark.Cause cause, long at, String room, String device) {
        String eventId = eventId(p.cardKey().secret(), learner, slot, category);
        String key = slot.key() + "|" + learner;
        pending.put(key, new Decision(category, cause, eventId, at, room, device));
        deleted.remove(key);
        return new AttendanceMark(eventId, school, room, device, learner, slot.classId(), slot.date(), slot.session(),
                slot.period(), category, cause, at);
    }

    private Decision decision(String key) {
        if (deleted.contains(key)) {
            return null;
        }
        Decision d = pending.get(key);
        return d != null ? d : decisions.get(key);
    }

    private AttendancePlan currentPlan() {
        return planChanging ? pendingPlan : plan;
    }

    private long currentSince() {
        return pendingSince != null ? pendingSince : since;
    }

    private void requireMarked() {
        if (!marked) {
            throw new IllegalStateException("mark() first: decisions are made inside a transaction");
        }
    }

    /**
     * The idempotency key of a decision: {@code att-} and the HMAC-SHA256 of learner, slot and category
     * under the school's card key, base64url (47 characters): the same decision always has the same id,
     * and the id does not reveal the learner.
     */
    static String eventId(byte[] key, String learner, Slot slot, AttendanceCategory category) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = mac.doFinal((learner + "|" + slot.key() + "|" + category.id()).getBytes(StandardCharsets.UTF_8));
            return "att-" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
