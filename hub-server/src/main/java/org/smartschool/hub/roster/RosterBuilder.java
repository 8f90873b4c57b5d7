package org.smartschool.hub.roster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Puts an import's records together and checks the references between them, naming for each problem the
 * file, line and column the record came from. Used by both readers.
 */
final class RosterBuilder {
    /** Where a field of a record came from: the file's line and the column's name there. */
    record Ref(Where where, String column) {
    }

    /** A record with where it came from, and where each of its fields that refer to others came from. */
    record Located<T>(T value, Where where, Map<String, Ref> refs) {
        Ref ref(String field) {
            return refs.getOrDefault(field, new Ref(where, field));
        }
    }

    private final List<Located<Session>> sessions = new ArrayList<>();
    private final List<Located<SchoolClass>> classes = new ArrayList<>();
    private final List<Located<Period>> periods = new ArrayList<>();
    private final List<Located<Learner>> learners = new ArrayList<>();
    private final List<Located<Card>> cards = new ArrayList<>();
    private Term term;
    private final Set<String> registryRooms;
    private final RosterProblems problems;

    /** @param registryRooms the school's rooms in the registry; null when the registry does not know the school */
    RosterBuilder(Set<String> registryRooms, RosterProblems problems) {
        this.registryRooms = registryRooms;
        this.problems = problems;
    }

    void session(Located<Session> s) {
        sessions.add(s);
    }

    void schoolClass(Located<SchoolClass> c) {
        classes.add(c);
    }

    void period(Located<Period> p) {
        periods.add(p);
    }

    void learner(Located<Learner> l) {
        learners.add(l);
    }

    void card(Located<Card> c) {
        cards.add(c);
    }

    void term(Term term) {
        this.term = term;
    }

    boolean hasSessions() {
        return !sessions.isEmpty();
    }

    /** The roster, or a {@link RosterImportException} with every problem found so far and here. */
    Roster build(String termFile) {
        if (sessions.isEmpty()) {
            Session.DEFAULTS.forEach(s -> sessions.add(new Located<>(s, new Where("(default sessions)", 0), Map.of())));
        }
        Map<String, Session> sessionById = unique(sessions, Session::id, "session", "session id");
        Map<String, SchoolClass> classById = unique(classes, SchoolClass::id, "class", "class id");
        for (Located<SchoolClass> c : classes) {
            for (String s : c.value().sessions()) {
                if (!sessionById.containsKey(s)) {
                    Ref r = c.ref("sessions");
                    problems.add(r.where(), r.column(), "no session '" + s + "' (sessions: " + sessionById.keySet() + ")");
                }
            }
            checkRoom(c.value().room(), c.ref("room"));
        }
        Map<String, Where> periodKeys = new HashMap<>();
        for (Located<Period> p : periods) {
            Period v = p.value();
            SchoolClass c = classById.get(v.classId());
            Ref classRef = p.ref("class");
            if (c == null) {
                problems.add(classRef.where(), classRef.column(), "no class '" + v.classId() + "'");
            } else if (c.level() != ClassLevel.PERIOD) {
                problems.add(classRef.where(), classRef.column(), "class '" + v.classId() + "' takes attendance per session; periods are for period-level classes");
            }
            Session session = sessionById.get(v.session());
            if (session == null) {
                Ref r = p.ref("session");
                problems.add(r.where(), r.column(), "no session '" + v.session() + "'");
            } else if (v.start().isBefore(session.start()) || v.end().isAfter(session.end()) || v.end().isBefore(v.start())) {
                Ref r = p.ref("start");
                problems.add(r.where(), r.column(), "the period (" + v.start() + ", " + v.minutes() + " minutes) is not inside session '"
                        + session.id() + "' (" + session.start() + "-" + session.end() + ")");
            }
            checkRoom(v.room(), p.ref("room"));
            Where before = periodKeys.putIfAbsent(v.classId() + "|" + v.day() + "|" + v.id(), p.where());
            if (before != null) {
                problems.add(p.where(), "period", "period '" + v.id() + "' of class '" + v.classId() + "' on " + v.day()
                        + " listed twice (also line " + before.line() + ")");
            }
        }
        Map<String, Learner> learnerById = unique(learners, Learner::id, "learner_id", null);
        for (Located<Learner> l : learners) {
            SchoolClass home = classById.get(l.value().homeroom());
            Ref homeRef = l.ref("class");
            if (home == null) {
                problems.add(homeRef.where(), homeRef.column(), "no class '" + l.value().homeroom() + "'");
            } else if (home.level() != ClassLevel.SESSION) {
                problems.add(homeRef.where(), homeRef.column(), "class '" + home.id() + "' is period-level; a homeroom class is session-level");
            }
            for (String s : l.value().sections()) {
                SchoolClass section = classById.get(s);
                Ref r = l.ref("sections");
                if (section == null) {
                    problems.add(r.where(), r.column(), "no class '" + s + "'");
                } else if (section.level() != ClassLevel.PERIOD) {
                    problems.add(r.where(), r.column(), "class '" + s + "' is session-level; sections are period-level classes");
                }
            }
        }
        unique(cards, Card::uid, "uid", null);
        for (Located<Card> c : cards) {
            if (!learnerById.containsKey(c.value().learner())) {
                Ref r = c.ref("learner");
                problems.add(r.where(), r.column(), "not a learner of the roster");
            }
        }
        if (term == null) {
            problems.add(termFile, 0, "", "no term: the roster needs the term's dates");
        }
        problems.throwIfAny();
        return new Roster(new Timetable(sessions.stream().map(Located::value).toList(),
                classes.stream().map(Located::value).toList(), periods.stream().map(Located::value).toList(), term),
                learners.stream().map(Located::value).toList(), cards.stream().map(Located::value).toList());
    }

    private void checkRoom(String room, Ref ref) {
        if (room != null && registryRooms != null && !registryRooms.contains(room)) {
            problems.add(ref.where(), ref.column(), "no room '" + room + "' at this school in the registry");
        }
    }

    /**
     * The records by key; a key seen twice is a problem at the second.
     *
     * @param shownKind how to name a duplicate key in the message; null: personal data, the key is not shown
     */
    private <T> Map<String, T> unique(List<Located<T>> records, java.util.function.Function<T, String> key, String column,
                                      String shownKind) {
        Map<String, T> byKey = new HashMap<>();
        Map<String, Where> first = new HashMap<>();
        for (Located<T> r : records) {
            String k = key.apply(r.value());
            Where before = first.putIfAbsent(k, r.where());
            if (before != null) {
                String what = shownKind == null ? "the same value as" : shownKind + " '" + k + "' also on";
                problems.add(r.where(), column, "listed twice: " + what + " " + before.file() + " line " + before.line());
            } else {
                byKey.put(k, r.value());
            }
        }
        return byKey;
    }
}
