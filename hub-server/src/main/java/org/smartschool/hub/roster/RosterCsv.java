package org.smartschool.hub.roster;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The hub's own roster format (docs/roster.md): a set of CSV files, UTF-8 with a header line.
 *
 * <pre>
 * classes.csv    class,name,level,room,sessions          required
 * learners.csv   learner_id,name,class,sections          required
 * term.csv       term,school_year,from,to,days           required, one line
 * cards.csv      learner_id,uid,status                   optional (status active | revoked)
 * sessions.csv   session,start,end                       optional (default morning 07:00-11:25, afternoon 13:30-17:00)
 * periods.csv    class,day,session,period,start,minutes,room   optional (minutes default 45)
 * no_school.csv  date,note                               optional
 * </pre>
 *
 * Lists in a cell ({@code sessions}, {@code sections}, {@code days}) are separated by {@code ;}.
 */
public final class RosterCsv {
    public static final String CLASSES = "classes.csv";
    public static final String LEARNERS = "learners.csv";
    public static final String TERM = "term.csv";
    public static final String CARDS = "cards.csv";
    public static final String SESSIONS = "sessions.csv";
    public static final String PERIODS = "periods.csv";
    public static final String NO_SCHOOL = "no_school.csv";
    static final Set<String> FILES = Set.of(CLASSES, LEARNERS, TERM, CARDS, SESSIONS, PERIODS, NO_SCHOOL);

    private RosterCsv() {
    }

    /**
     * Reads a set of files (by file name).
     *
     * @param registryRooms the school's rooms in the registry (rooms named must be among them); null: not checked
     * @throws RosterImportException with every problem found (up to {@link RosterProblems#LIMIT})
     */
    public static Roster read(Map<String, byte[]> files, Set<String> registryRooms) {
        RosterProblems problems = new RosterProblems();
        for (String name : new TreeSet<>(files.keySet())) {
            if (!FILES.contains(name)) {
                problems.add(org.smartschool.bridge.text.SafeText.clean(name, 80), 0, "",
                        "unknown file; expected " + String.join(", ", new TreeSet<>(FILES)));
            }
        }
        for (String required : List.of(CLASSES, LEARNERS, TERM)) {
            if (!files.containsKey(required)) {
                problems.add(required, 0, "", "missing: the roster needs " + CLASSES + ", " + LEARNERS + " and " + TERM);
            }
        }
        RosterBuilder builder = new RosterBuilder(registryRooms, problems);
        sessions(files, builder, problems);
        CsvTable classes = table(files, CLASSES, List.of("class", "level"), Set.of("class", "name", "level", "room", "sessions"), problems);
        if (classes != null) {
            for (CsvTable.Row row : classes.rows()) {
                Cells c = new Cells(row, problems);
                String id = c.id("class", false);
                String levelText = c.text("level");
                ClassLevel level = levelText.isEmpty() ? ClassLevel.SESSION : ClassLevel.byId(levelText).orElse(null);
                if (level == null) {
                    c.problem("level", "'" + org.smartschool.bridge.text.SafeText.clean(levelText, 20) + "' is not session or period");
                }
                String room = c.id("room", level != ClassLevel.SESSION);
                List<String> sessions = c.ids("sessions");
                if (sessions != null && sessions.isEmpty() && level == ClassLevel.SESSION) {
                    sessions = List.of("morning");
                }
                if (level == ClassLevel.PERIOD && sessions != null && !sessions.isEmpty()) {
                    c.problem("sessions", "a period-level class takes attendance per period: leave sessions empty");
                    sessions = null;
                }
                if (id != null && level != null && (room != null || level == ClassLevel.PERIOD) && sessions != null) {
                    builder.schoolClass(new RosterBuilder.Located<>(new SchoolClass(id, c.text("name"), level, room, sessions),
                            row.where(), Map.of()));
                }
            }
        }
        periods(files, builder, problems);
        CsvTable learners = table(files, LEARNERS, List.of("learner_id", "class"), Set.of("learner_id", "name", "class", "sections"),
                problems);
        if (learners != null) {
            for (CsvTable.Row row : learners.rows()) {
                Cells c = new Cells(row, problems);
                String id = c.learnerId("learner_id");
                String homeroom = c.id("class", false);
                List<String> sections = c.ids("sections");
                if (id != null && homeroom != null && sections != null) {
                    builder.learner(new RosterBuilder.Located<>(new Learner(id, c.text("name"), homeroom, sections), row.where(),
                            Map.of()));
                }
            }
        }
        CsvTable cards = table(files, CARDS, List.of("learner_id", "uid"), Set.of("learner_id", "uid", "status"), problems);
        if (cards != null) {
            for (CsvTable.Row row : cards.rows()) {
                Cells c = new Cells(row, problems);
                String learner = c.learnerId("learner_id");
                String uid = uid(c, "uid");
                String status = c.text("status");
                if (!status.isEmpty() && !status.equals("active") && !status.equals("revoked")) {
                    c.problem("status", "'" + org.smartschool.bridge.text.SafeText.clean(status, 20) + "' is not active or revoked");
                    continue;
                }
                if (learner != null && uid != null) {
                    builder.card(new RosterBuilder.Located<>(new Card(uid, learner, status.equals("revoked")), row.where(),
                            Map.of("learner", new RosterBuilder.Ref(row.where(), "learner_id"))));
                }
            }
        }
        CsvTable term = table(files, TERM, List.of("from", "to"), Set.of("term", "school_year", "from", "to", "days"), problems);
        if (term != null) {
            if (term.rows().size() != 1) {
                problems.add(TERM, 0, "", "one line after the header: the term the roster is for (" + term.rows().size() + " found)");
            } else {
                Cells c = new Cells(term.rows().get(0), problems);
                LocalDate from = c.date("from");
                LocalDate to = c.date("to");
                Set<DayOfWeek> days = c.days("days", Term.DEFAULT_DAYS);
                if (from != null && to != null && to.isBefore(from)) {
                    c.problem("to", "before from");
                } else if (from != null && to != null && days != null) {
                    builder.term(new Term(c.text("term"), c.text("school_year"), from, to, days, noSchool(files, from, to, problems)));
                }
            }
        }
        return builder.build(TERM);
    }

    /** A card UID (3-10 bytes of hex, separators allowed); never quoted. */
    static String uid(Cells c, String column) {
        String v = c.text(column);
        if (v.isEmpty()) {
            c.problem(column, "required: the card's UID (hex)");
            return null;
        }
        try {
            return org.smartschool.bridge.attendance.CardHash.normalise(v);
        } catch (IllegalArgumentException e) {
            c.problem(column, "not a card UID: 3-10 bytes of hex (" + v.length() + " characters)");
            return null;
        }
    }

    static CsvTable table(Map<String, byte[]> files, String name, List<String> required, Set<String> allowed,
                          RosterProblems problems) {
        byte[] bytes = files.get(name);
        return bytes == null ? null : CsvTable.parse(name, bytes, required, allowed, problems);
    }

    /** sessions.csv, shared with the OneRoster set; without it the builder takes the defaults. */
    static void sessions(Map<String, byte[]> files, RosterBuilder builder, RosterProblems problems) {
        CsvTable sessions = table(files, SESSIONS, List.of("session", "start", "end"), Set.of("session", "start", "end"), problems);
        if (sessions == null) {
            return;
        }
        for (CsvTable.Row row : sessions.rows()) {
            Cells c = new Cells(row, problems);
            String id = c.id("session", false);
            LocalTime start = c.time("start", false);
            LocalTime end = c.time("end", false);
            if (start != null && end != null && !end.isAfter(start)) {
                c.problem("end", "not after start");
            } else if (id != null && start != null && end != null) {
                builder.session(new RosterBuilder.Located<>(new Session(id, start, end), row.where(), Map.of()));
            }
        }
    }

    /** periods.csv, shared with the OneRoster set. */
    static void periods(Map<String, byte[]> files, RosterBuilder builder, RosterProblems problems) {
        CsvTable periods = table(files, PERIODS, List.of("class", "day", "session", "period", "start", "room"),
                Set.of("class", "day", "session", "period", "start", "minutes", "room"), problems);
        if (periods == null) {
            return;
        }
        for (CsvTable.Row row : periods.rows()) {
            Cells c = new Cells(row, problems);
            String classId = c.id("class", false);
            DayOfWeek day = c.day("day");
            String session = c.id("session", false);
            String id = c.id("period", false);
            LocalTime start = c.time("start", false);
            Integer minutes = c.integer("minutes", Period.DEFAULT_MINUTES, 1, 240);
            String room = c.id("room", false);
            if (classId != null && day != null && session != null && id != null && start != null && minutes != null && room != null) {
                builder.period(new RosterBuilder.Located<>(new Period(classId, day, session, id, start, minutes, room), row.where(),
                        Map.of()));
            }
        }
    }

    /** no_school.csv: dates inside the term without school. */
    static Set<LocalDate> noSchool(Map<String, byte[]> files, LocalDate from, LocalDate to, RosterProblems problems) {
        Map<LocalDate, Where> days = new TreeMap<>();
        CsvTable table = table(files, NO_SCHOOL, List.of("date"), Set.of("date", "note"), problems);
        if (table != null) {
            for (CsvTable.Row row : table.rows()) {
                Cells c = new Cells(row, problems);
                LocalDate d = c.date("date");
                if (d != null && (d.isBefore(from) || d.isAfter(to))) {
                    c.problem("date", d + " is outside the term (" + from + " to " + to + ")");
                } else if (d != null) {
                    days.put(d, row.where());
                }
            }
        }
        return days.keySet();
    }
}
