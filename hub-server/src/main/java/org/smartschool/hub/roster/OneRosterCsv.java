package org.smartschool.hub.roster;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.smartschool.bridge.model.Ids;
import org.smartschool.bridge.text.SafeText;

/**
 * A OneRoster 1.2 CSV bulk set (docs/roster.md, "OneRoster 1.2"): {@code users.csv}, {@code classes.csv},
 * {@code enrollments.csv}, {@code academicSessions.csv}, mapped onto the roster:
 *
 * <ul>
 * <li>learners: the users with an active {@code student} enrollment; learner id = {@code identifier} (the
 *     12-digit personal ID); name = {@code familyName middleName givenName} (Vietnamese order); cards from
 *     {@code userIds} entries {@code {card:UID}}, revoked ones {@code {revokedCard:UID}};</li>
 * <li>classes: id = {@code classCode} (or {@code sourcedId} when that is empty); {@code classType} homeroom:
 *     session level, room = {@code location}, sessions = {@code metadata.sessions} (default morning);
 *     scheduled: period level, periods from the optional {@code periods.csv};</li>
 * <li>enrollments: a student's homeroom class is their {@code class}, scheduled ones their sections;</li>
 * <li>term: the {@code term} or {@code semester} the classes name in {@code termSourcedIds} that contains
 *     today (else the next to start, else the last); days of the week from {@code metadata.days}.</li>
 * </ul>
 *
 * Rows with {@code status} {@code tobedeleted} are left out. The hub's {@code sessions.csv},
 * {@code periods.csv} and {@code no_school.csv} may come with the set; other files of it are ignored.
 */
public final class OneRosterCsv {
    public static final String USERS = "users.csv";
    public static final String CLASSES = "classes.csv";
    public static final String ENROLLMENTS = "enrollments.csv";
    public static final String ACADEMIC_SESSIONS = "academicSessions.csv";
    private static final Pattern USER_ID = Pattern.compile("\\{\\s*([^:{}]+?)\\s*:\\s*([^{}]*?)\\s*}");

    private OneRosterCsv() {
    }

    private record OrClass(String id, boolean homeroom, List<String> terms, Where where) {
    }

    private record Student(String id, String name, List<String[]> cards, Where where) {
    }

    /**
     * @param today the school's date, to pick the current term when the classes name several
     * @throws RosterImportException with every problem found
     */
    public static Roster read(Map<String, byte[]> files, Set<String> registryRooms, LocalDate today) {
        RosterProblems problems = new RosterProblems();
        for (String required : List.of(USERS, CLASSES, ENROLLMENTS, ACADEMIC_SESSIONS)) {
            if (!files.containsKey(required)) {
                problems.add(required, 0, "", "missing: a OneRoster set needs " + USERS + ", " + CLASSES + ", " + ENROLLMENTS
                        + " and " + ACADEMIC_SESSIONS);
            }
        }
        RosterBuilder builder = new RosterBuilder(registryRooms, problems);
        RosterCsv.sessions(files, builder, problems);
        RosterCsv.periods(files, builder, problems);

        Map<String, OrClass> classes = new HashMap<>();
        CsvTable classTable = RosterCsv.table(files, CLASSES, List.of("sourcedId", "classType"), null, problems);
        if (classTable != null) {
            for (CsvTable.Row row : classTable.rows()) {
                if (deleted(row)) {
                    continue;
                }
                Cells c = new Cells(row, problems);
                String sourced = row.get("sourcedId");
                String id = row.get("classCode").isEmpty() ? c.id("sourcedId", false) : c.id("classCode", false);
                String type = row.get("classType");
                boolean homeroom = type.equals("homeroom");
                if (!homeroom && !type.equals("scheduled")) {
                    c.problem("classType", "'" + SafeText.clean(type, 20) + "' is not homeroom or scheduled");
                    continue;
                }
                String room = homeroom ? c.id("location", false) : null;
                List<String> sessions = homeroom ? c.ids("metadata.sessions") : List.of();
                if (sessions != null && sessions.isEmpty() && homeroom) {
                    sessions = List.of("morning");
                }
                List<String> terms = List.of(row.get("termSourcedIds").split("\\s*,\\s*"));
                if (id != null && sessions != null && (room != null || !homeroom)) {
                    builder.schoolClass(new RosterBuilder.Located<>(new SchoolClass(id, row.get("title"),
                            homeroom ? ClassLevel.SESSION : ClassLevel.PERIOD, room, sessions), row.where(),
                            Map.of("room", new RosterBuilder.Ref(row.where(), "location"),
                                    "sessions", new RosterBuilder.Ref(row.where(), "metadata.sessions"))));
                    classes.put(sourced, new OrClass(id, homeroom, terms.stream().filter(t -> !t.isEmpty()).toList(), row.where()));
                }
            }
        }

        Map<String, CsvTable.Row> users = new HashMap<>();
        CsvTable userTable = RosterCsv.table(files, USERS, List.of("sourcedId", "identifier"), null, problems);
        if (userTable != null) {
            for (CsvTable.Row row : userTable.rows()) {
                boolean student = row.get("role").isEmpty() || row.get("role").equals("student");
                if (!deleted(row) && student && !row.get("enabledUser").equalsIgnoreCase("false")) {
                    users.put(row.get("sourcedId"), row);
                }
            }
        }

        // user sourcedId -> homeroom (class id, where) and sections
        Map<String, RosterBuilder.Ref> homeroomRef = new HashMap<>();
        Map<String, String> homeroom = new HashMap<>();
        Map<String, Set<String>> sections = new LinkedHashMap<>();
        CsvTable enrollments = RosterCsv.table(files, ENROLLMENTS, List.of("classSourcedId", "userSourcedId", "role"), null, problems);
        if (enrollments != null) {
            for (CsvTable.Row row : enrollments.rows()) {
                if (deleted(row) || !row.get("role").equals("student")) {
                    continue;
                }
                Cells c = new Cells(row, problems);
                OrClass cls = classes.get(row.get("classSourcedId"));
                String user = row.get("userSourcedId");
                if (cls == null) {
                    c.problem("classSourcedId", "no active class with this sourcedId in " + CLASSES);
                    continue;
                }
                if (!users.containsKey(user)) {
                    c.problem("userSourcedId", "no active student with this sourcedId in " + USERS);
                    continue;
                }
                if (cls.homeroom()) {
                    RosterBuilder.Ref before = homeroomRef.putIfAbsent(user, new RosterBuilder.Ref(row.where(), "classSourcedId"));
                    if (before != null) {
                        c.problem("classSourcedId", "a second homeroom class for the student (also line " + before.where().line() + ")");
                        continue;
                    }
                    homeroom.put(user, cls.id());
                } else {
                    sections.computeIfAbsent(user, u -> new LinkedHashSet<>()).add(cls.id());
                }
            }
        }
        for (Map.Entry<String, CsvTable.Row> e : users.entrySet()) {
            CsvTable.Row row = e.getValue();
            boolean enrolled = homeroom.containsKey(e.getKey()) || sections.containsKey(e.getKey());
            if (!enrolled) {
                continue; // a teacher, or a student of no class here: not on the roster
            }
            Cells c = new Cells(row, problems);
            if (!homeroom.containsKey(e.getKey())) {
                c.problem("sourcedId", "the student has no homeroom enrollment (a class with classType homeroom)");
                continue;
            }
            String id = c.learnerId("identifier");
            if (id == null) {
                continue;
            }
            String name = String.join(" ", List.of(row.get("familyName"), row.get("middleName"), row.get("givenName")).stream()
                    .filter(s -> !s.isEmpty()).toList());
            builder.learner(new RosterBuilder.Located<>(new Learner(id, name, homeroom.get(e.getKey()),
                    List.copyOf(sections.getOrDefault(e.getKey(), Set.of()))), row.where(),
                    Map.of("class", homeroomRef.get(e.getKey()))));
            Matcher m = USER_ID.matcher(row.get("userIds"));
            while (m.find()) {
                String type = m.group(1).toLowerCase(Locale.ROOT);
                if (!type.equals("card") && !type.equals("revokedcard")) {
                    continue;
                }
                try {
                    builder.card(new RosterBuilder.Located<>(new Card(m.group(2), id, type.equals("revokedcard")), row.where(),
                            Map.of("uid", new RosterBuilder.Ref(row.where(), "userIds"))));
                } catch (IllegalArgumentException bad) {
                    c.problem("userIds", "a {" + m.group(1) + ":...} entry is not a card UID: 3-10 bytes of hex");
                }
            }
        }
        term(files, classes, today, builder, problems);
        return builder.build(ACADEMIC_SESSIONS);
    }

    private static void term(Map<String, byte[]> files, Map<String, OrClass> classes, LocalDate today, RosterBuilder builder,
                             RosterProblems problems) {
        CsvTable sessions = RosterCsv.table(files, ACADEMIC_SESSIONS, List.of("sourcedId", "type", "startDate", "endDate"), null,
                problems);
        if (sessions == null) {
            return;
        }
        Set<String> named = new LinkedHashSet<>();
        classes.values().forEach(c -> named.addAll(c.terms()));
        record Candidate(CsvTable.Row row, LocalDate from, LocalDate to) {
        }
        List<Candidate> candidates = new ArrayList<>();
        Map<String, String> years = new HashMap<>();
        for (CsvTable.Row row : sessions.rows()) {
            if (deleted(row)) {
                continue;
            }
            String type = row.get("type");
            if (type.equals("schoolYear")) {
                years.put(row.get("sourcedId"), row.get("title"));
            }
            if (!type.equals("term") && !type.equals("semester")) {
                continue;
            }
            if (!named.isEmpty() && !named.contains(row.get("sourcedId"))) {
                continue;
            }
            Cells c = new Cells(row, problems);
            LocalDate from = c.date("startDate");
            LocalDate to = c.date("endDate");
            if (from != null && to != null && to.isBefore(from)) {
                c.problem("endDate", "before startDate");
            } else if (from != null && to != null) {
                candidates.add(new Candidate(row, from, to));
            }
        }
        if (candidates.isEmpty()) {
            problems.add(ACADEMIC_SESSIONS, 0, "type", "no term or semester" + (named.isEmpty() ? "" : " that the classes name in termSourcedIds"));
            return;
        }
        Candidate chosen = candidates.stream().filter(t -> !today.isBefore(t.from()) && !today.isAfter(t.to())).findFirst()
                .or(() -> candidates.stream().filter(t -> t.from().isAfter(today)).min(Comparator.comparing(Candidate::from)))
                .orElseGet(() -> candidates.stream().max(Comparator.comparing(Candidate::to)).orElseThrow());
        Cells c = new Cells(chosen.row(), problems);
        Set<DayOfWeek> days = c.days("metadata.days", Term.DEFAULT_DAYS);
        String year = chosen.row().get("schoolYear");
        String parentYear = years.get(chosen.row().get("parentSourcedId"));
        if (days != null) {
            builder.term(new Term(chosen.row().get("title"), parentYear != null ? parentYear : year, chosen.from(), chosen.to(), days,
                    RosterCsv.noSchool(files, chosen.from(), chosen.to(), problems)));
        }
    }

    private static boolean deleted(CsvTable.Row row) {
        return row.get("status").equals("tobedeleted");
    }

    static boolean isId(String v) {
        return Ids.isValid(v);
    }
}
