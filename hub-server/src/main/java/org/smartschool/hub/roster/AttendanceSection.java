package org.smartschool.hub.roster;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.smartschool.bridge.attendance.CardHash;
import org.smartschool.hub.config.RosterConfig;

/**
 * The {@code attendance} section of a gateway's desired configuration (ATTENDANCE-CONTRACT 1, docs/protocol.md
 * 3.2) built from one school's roster: no names and no UIDs, only the card hashes under the school's key.
 * Pure and deterministic (sorted), so that an unchanged roster gives an equal map and no new version.
 */
public final class AttendanceSection {
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

    private AttendanceSection() {
    }

    /**
     * @param excuses the school's excuses; those before {@code today - 1} are left out (the gateway decides today's)
     */
    public static Map<String, Object> of(Roster roster, CardKey key, List<Excuse> excuses, RosterConfig config, LocalDate today) {
        Timetable t = roster.timetable();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("timeZone", config.timeZone());
        out.put("cardKey", Map.of("id", key.id(), "secret", key.encodedSecret()));
        out.put("policy", Map.of("graceMinutes", config.graceMinutes(), "cutoffMinutes", config.cutoffMinutes(),
                "debounceSeconds", config.debounceSeconds(), "earlyMinutes", config.earlyMinutes()));
        out.put("term", Map.of("from", t.term().from().toString(), "to", t.term().to().toString()));
        out.put("days", new TreeSet<>(t.term().days()).stream().map(DayOfWeek::name).toList());
        out.put("noSchool", t.term().noSchool().stream().map(LocalDate::toString).toList());
        out.put("sessions", t.sessions().stream().sorted(Comparator.comparing(Session::start))
                .map(s -> Map.of("id", s.id(), "start", HH_MM.format(s.start()), "end", HH_MM.format(s.end()))).toList());
        out.put("classes", t.classes().stream().sorted(Comparator.comparing(SchoolClass::id)).map(c -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", c.id());
            m.put("level", c.level().id());
            if (c.level() == ClassLevel.SESSION) {
                m.put("room", c.room());
                m.put("sessions", c.sessions());
            }
            return m;
        }).toList());
        out.put("periods", t.periods().stream()
                .sorted(Comparator.comparing(Period::classId).thenComparing(Period::day).thenComparing(Period::start)
                        .thenComparing(Period::id))
                .map(p -> Map.<String, Object>of("class", p.classId(), "day", p.day().name(), "session", p.session(), "id", p.id(),
                        "start", HH_MM.format(p.start()), "minutes", p.minutes(), "room", p.room())).toList());
        byte[] secret = key.secret();
        Map<String, List<String>> cardsByLearner = new HashMap<>();
        List<String> revoked = new ArrayList<>();
        for (Card card : roster.cards()) {
            String hash = CardHash.of(secret, card.uid());
            if (card.revoked()) {
                revoked.add(hash);
            } else {
                cardsByLearner.computeIfAbsent(card.learner(), l -> new ArrayList<>()).add(hash);
            }
        }
        out.put("learners", roster.learners().stream().sorted(Comparator.comparing(Learner::id)).map(l -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", l.id());
            m.put("class", l.homeroom());
            if (!l.sections().isEmpty()) {
                m.put("sections", l.sections());
            }
            m.put("cards", cardsByLearner.getOrDefault(l.id(), List.of()).stream().sorted().toList());
            return m;
        }).toList());
        out.put("revokedCards", revoked.stream().sorted().toList());
        java.util.Set<String> onRoster = new java.util.HashSet<>();
        roster.learners().forEach(l -> onRoster.add(l.id()));
        out.put("excuses", excuses.stream()
                .filter(e -> !e.date().isBefore(today.minusDays(1)) && onRoster.contains(e.learner()))
                .sorted(Comparator.comparing(Excuse::date).thenComparing(Excuse::learner).thenComparing(Excuse::session)
                        .thenComparing(e -> e.period() == null ? "" : e.period()))
                .map(e -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("learner", e.learner());
                    m.put("date", e.date().toString());
                    m.put("session", e.session());
                    m.put("period", e.period()); // null: the whole session
                    return m;
                }).toList());
        return out;
    }

    /**
     * {@code rules.lessonHours} from the timetable (docs/protocol.md 3.2): the term's days and the sessions'
     * windows, so that rules with {@code lessonsOnly} judge during the school's own sessions.
     */
    public static Map<String, Object> lessonHours(Timetable timetable, RosterConfig config) {
        return Map.of("timeZone", config.timeZone(),
                "days", new TreeSet<>(timetable.term().days()).stream().map(DayOfWeek::name).toList(),
                "windows", timetable.sessions().stream().sorted(Comparator.comparing(Session::start))
                        .map(s -> HH_MM.format(s.start()) + "-" + HH_MM.format(s.end())).toList());
    }
}
