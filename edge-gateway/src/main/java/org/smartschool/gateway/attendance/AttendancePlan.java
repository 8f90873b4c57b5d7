package org.smartschool.gateway.attendance;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The desired configuration's {@code attendance} section (docs/protocol.md 3.2), validated: the school's
 * roster and timetable as the gateway needs them to decide attendance at the doors, offline.
 * Built by {@code desired.AttendanceSectionParser}, which names the key path of anything wrong.
 *
 * <p>Holds learners' ids and card hashes (never card UIDs): {@link #toString()} shows counts only.
 */
public final class AttendancePlan {
    /** A class keeps its homeroom for whole sessions, or is taken per period (labs). */
    public enum Level { SESSION, PERIOD }

    /** The school's card key: secret, never in a log line or a message. */
    public record CardKey(String id, byte[] secret) {
        public CardKey {
            secret = secret.clone();
        }

        @Override
        public byte[] secret() {
            return secret.clone();
        }

        @Override
        public String toString() {
            return "CardKey[" + id + "]";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof CardKey k && k.id.equals(id) && java.util.Arrays.equals(k.secret, secret);
        }

        @Override
        public int hashCode() {
            return id.hashCode();
        }
    }

    /** Minutes and seconds of the school's attendance policy. */
    public record Policy(int graceMinutes, int cutoffMinutes, int debounceSeconds, int earlyMinutes) {
        public static final Policy DEFAULTS = new Policy(10, 20, 60, 30);
    }

    public record Session(String id, LocalTime start, LocalTime end) {
    }

    public record SchoolClass(String id, Level level, String room, List<String> sessions) {
        public SchoolClass {
            sessions = List.copyOf(sessions);
        }
    }

    public record Period(String classId, DayOfWeek day, String session, String id, LocalTime start, int minutes,
                         String room) {
    }

    /** A learner: the 12-digit national personal ID is personal data; {@link #toString()} leaves it out. */
    public record Learner(String id, String classId, List<String> sections, List<String> cards) {
        public Learner {
            sections = List.copyOf(sections);
            cards = List.copyOf(cards);
        }

        @Override
        public String toString() {
            return "Learner[class=" + classId + ", " + cards.size() + " cards]";
        }
    }

    /** An excuse the school management system sent: a whole session when {@code period} is null. */
    public record Excuse(String learner, LocalDate date, String session, String period) {
        @Override
        public String toString() {
            return "Excuse[" + date + " " + session + (period == null ? "" : " " + period) + "]";
        }
    }

    private final ZoneId zone;
    private final CardKey cardKey;
    private final Policy policy;
    private final LocalDate termFrom;
    private final LocalDate termTo;
    private final Set<DayOfWeek> days;
    private final Set<LocalDate> noSchool;
    private final Map<String, Session> sessions;
    private final Map<String, SchoolClass> classes;
    private final List<Period> periods;
    private final Map<String, Learner> learners;
    private final Map<String, String> learnerByCard;
    private final Set<String> revokedCards;
    private final Set<String> excuses;
    /** class id -> learner ids (homeroom and sections), in roster order. */
    private final Map<String, List<String>> members;
    /**
     * The last day asked for: every tap of a day asks for its slots, and making them takes two time-zone
     * conversions per class session (a school's 30 classes: 120 per tap, a tenth of the door's work).
     */
    private volatile DaySlots lastDay;

    /** A day's slots, all of them and by class id. */
    private record DaySlots(LocalDate date, List<Slot> all, Map<String, List<Slot>> byClass) {
    }

    /**
     * @param termFrom first school day of the term, or null for no bound
     * @param termTo last school day of the term, or null for no bound
     */
    public AttendancePlan(ZoneId zone, CardKey cardKey, Policy policy, LocalDate termFrom, LocalDate termTo,
                          Set<DayOfWeek> days, Set<LocalDate> noSchool, List<Session> sessions,
                          List<SchoolClass> classes, List<Period> periods, List<Learner> learners,
                          Set<String> revokedCards, List<Excuse> excuses) {
        this.zone = Objects.requireNonNull(zone);
        this.cardKey = Objects.requireNonNull(cardKey);
        this.policy = Objects.requireNonNull(policy);
        this.termFrom = termFrom;
        this.termTo = termTo;
        this.days = Set.copyOf(days);
        this.noSchool = Set.copyOf(noSchool);
        Map<String, Session> s = new LinkedHashMap<>();
        sessions.forEach(x -> s.put(x.id(), x));
        this.sessions = s;
        Map<String, SchoolClass> c = new LinkedHashMap<>();
        classes.forEach(x -> c.put(x.id(), x));
        this.classes = c;
        this.periods = List.copyOf(periods);
        Map<String, Learner> l = new LinkedHashMap<>();
        Map<String, String> byCard = new HashMap<>();
        Map<String, List<String>> m = new HashMap<>();
        for (Learner learner : learners) {
            l.put(learner.id(), learner);
            learner.cards().forEach(card -> byCard.put(card, learner.id()));
            m.computeIfAbsent(learner.classId(), k -> new ArrayList<>()).add(learner.id());
            for (String section : learner.sections()) {
                m.computeIfAbsent(section, k -> new ArrayList<>()).add(learner.id());
            }
        }
        this.learners = l;
        this.learnerByCard = byCard;
        this.members = m;
        this.revokedCards = Set.copyOf(revokedCards);
        Set<String> e = new java.util.HashSet<>();
        excuses.forEach(x -> e.add(excuseKey(x.learner(), x.date(), x.session(), x.period())));
        this.excuses = e;
    }

    public ZoneId zone() {
        return zone;
    }

    public CardKey cardKey() {
        return cardKey;
    }

    public Policy policy() {
        return policy;
    }

    public Map<String, Learner> learners() {
        return learners;
    }

    public Map<String, SchoolClass> classes() {
        return classes;
    }

    public Map<String, Session> sessions() {
        return sessions;
    }

    public List<Period> periods() {
        return periods;
    }

    /** The learner a card hash belongs to, or null. */
    String learnerOfCard(String cardHash) {
        return learnerByCard.get(cardHash);
    }

    boolean revoked(String cardHash) {
        return revokedCards.contains(cardHash);
    }

    /** Learners of a class (homeroom or section), in roster order. */
    List<String> members(String classId) {
        return members.getOrDefault(classId, List.of());
    }

    /** Whether {@code learner} is excused for the slot: for its whole session, or for its period. */
    boolean excused(String learner, Slot slot) {
        return excuses.contains(excuseKey(learner, slot.date(), slot.session(), null))
                || slot.period() != null && excuses.contains(excuseKey(learner, slot.date(), slot.session(), slot.period()));
    }

    private static String excuseKey(String learner, LocalDate date, String session, String period) {
        return learner + '|' + date + '|' + session + '|' + (period == null ? "" : period);
    }

    /** A school day: inside the term, on one of the school's days, not a day off. */
    public boolean schoolDay(LocalDate date) {
        return (termFrom == null || !date.isBefore(termFrom)) && (termTo == null || !date.isAfter(termTo))
                && days.contains(date.getDayOfWeek()) && !noSchool.contains(date);
    }

    /** Every session of a class and every period of a section on {@code date} (none when it is no school day). */
    public List<Slot> slotsOn(LocalDate date) {
        return day(date).all();
    }

    /** The slots of one class (its sessions, or a section's periods) on {@code date}, in the order of {@link #slotsOn}. */
    public List<Slot> slotsOf(String classId, LocalDate date) {
        return day(date).byClass().getOrDefault(classId, List.of());
    }

    private DaySlots day(LocalDate date) {
        DaySlots last = lastDay;
        if (last != null && last.date().equals(date)) {
            return last;
        }
        List<Slot> all = List.copyOf(makeSlots(date));
        Map<String, List<Slot>> byClass = new HashMap<>();
        for (Slot slot : all) {
            byClass.computeIfAbsent(slot.classId(), k -> new ArrayList<>()).add(slot);
        }
        byClass.replaceAll((k, v) -> List.copyOf(v));
        DaySlots made = new DaySlots(date, all, Map.copyOf(byClass));
        lastDay = made;
        return made;
    }

    private List<Slot> makeSlots(LocalDate date) {
        if (!schoolDay(date)) {
            return List.of();
        }
        List<Slot> out = new ArrayList<>();
        for (SchoolClass c : classes.values()) {
            if (c.level() != Level.SESSION) {
                continue;
            }
            for (String sessionId : c.sessions()) {
                Session s = sessions.get(sessionId);
                out.add(slot(date, c.id(), s.id(), null, c.room(), s.start(), s.end()));
            }
        }
        for (Period p : periods) {
            if (p.day() == date.getDayOfWeek()) {
                out.add(slot(date, p.classId(), p.session(), p.id(), p.room(), p.start(), p.start().plusMinutes(p.minutes())));
            }
        }
        return out;
    }

    private Slot slot(LocalDate date, String classId, String session, String period, String room, LocalTime start,
                      LocalTime end) {
        long startMs = date.atTime(start).atZone(zone).toInstant().toEpochMilli();
        long endMs = date.atTime(end).atZone(zone).toInstant().toEpochMilli();
        return new Slot(date, classId, session, period, room, startMs, endMs,
                startMs - policy.earlyMinutes() * 60_000L, startMs + policy.graceMinutes() * 60_000L,
                startMs + policy.cutoffMinutes() * 60_000L);
    }

    @Override
    public String toString() {
        return "AttendancePlan[" + zone + ", key " + cardKey.id() + ", " + learners.size() + " learners, "
                + classes.size() + " classes, " + sessions.size() + " sessions, " + periods.size() + " periods, "
                + revokedCards.size() + " revoked cards, " + excuses.size() + " excuses]";
    }
}
