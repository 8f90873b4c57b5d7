package org.smartschool.hub.roster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smartschool.hub.roster.RosterCsvTest.catchImport;
import static org.smartschool.hub.roster.RosterCsvTest.text;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/** A OneRoster 1.2 CSV bulk set mapped onto the roster: the shipped example for school-02, and its refusals. */
class OneRosterCsvTest {
    private static final Set<String> ROOMS = Set.of("r101", "r102", "r103", "r104", "r105", "r106", "r107", "r108", "lab", "tin-hoc-1");
    private static final LocalDate IN_TERM_1 = LocalDate.of(2026, 12, 3);

    /**
     * Verifies that students become learners (identifier as learner id, Vietnamese name order, cards from userIds),
     * homeroom classes session-level with their location, scheduled ones period-level sections, and that the
     * teacher and the user to be deleted are left out.
     */
    @Test
    void mapsTheExampleSet() {
        Roster roster = OneRosterCsv.read(RosterExamples.oneRoster(), ROOMS, IN_TERM_1);

        assertThat(roster.learners()).hasSize(240);
        assertThat(roster.learners()).noneMatch(l -> l.id().equals("079212000999"));
        Learner first = roster.learners().stream().filter(l -> l.id().equals("079314263241")).findFirst().orElseThrow();
        assertThat(first.name()).isEqualTo("Phan Ngọc Yến");
        assertThat(first.homeroom()).isEqualTo("6a1");
        assertThat(first.sections()).containsExactly("tin-6a1");
        assertThat(roster.cards()).filteredOn(c -> c.learner().equals("079314263241")).extracting(Card::uid).containsExactly("04E43421");
        assertThat(roster.cards()).filteredOn(Card::revoked).isNotEmpty();
        SchoolClass sixA1 = roster.timetable().classes().stream().filter(c -> c.id().equals("6a1")).findFirst().orElseThrow();
        assertThat(sixA1.level()).isEqualTo(ClassLevel.SESSION);
        assertThat(sixA1.room()).isEqualTo("r101");
        assertThat(sixA1.name()).isEqualTo("Lớp 6A1");
        assertThat(roster.timetable().classes().stream().filter(c -> c.id().equals("9a2")).findFirst().orElseThrow().sessions())
                .containsExactly("morning", "afternoon");
        assertThat(roster.timetable().classes().stream().filter(c -> c.id().equals("hoa-8a1")).findFirst().orElseThrow().level())
                .isEqualTo(ClassLevel.PERIOD);
        assertThat(roster.timetable().periods()).hasSize(5);
        Term term = roster.timetable().term();
        assertThat(term.name()).isEqualTo("Học kỳ I");
        assertThat(term.schoolYear()).isEqualTo("2026-2027");
        assertThat(term.from()).isEqualTo(LocalDate.of(2026, 9, 5));
        assertThat(term.to()).isEqualTo(LocalDate.of(2027, 1, 16));
        assertThat(term.days()).isEqualTo(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.SATURDAY));
        assertThat(term.noSchool()).contains(LocalDate.of(2027, 1, 1));
    }

    /** Verifies that the term is the one of the classes' terms that holds today: the second after the first ended. */
    @Test
    void picksTheTermThatHoldsToday() {
        Map<String, byte[]> files = new TreeMap<>(RosterExamples.oneRoster());
        files.remove("no_school.csv"); // its dates are in the first term

        Roster roster = OneRosterCsv.read(files, ROOMS, LocalDate.of(2027, 3, 1));

        assertThat(roster.timetable().term().name()).isEqualTo("Học kỳ II");
        assertThat(roster.timetable().term().from()).isEqualTo(LocalDate.of(2027, 1, 18));
    }

    /** Verifies that bad rows are named by file, line and column, without the identifier or the UID. */
    @Test
    void refusesBadRowsNamingFileLineAndColumn() {
        Map<String, byte[]> files = new TreeMap<>(RosterExamples.oneRoster());
        String users = new String(files.get("users.csv"), java.nio.charset.StandardCharsets.UTF_8);
        String[] lines = users.split("\n");
        // line 2: identifier of 10 digits; line 3: a card UID that is not hex
        lines[1] = lines[1].replace(",079314263241,,,,,06,", ",0793142632,,,,,06,");
        lines[2] = lines[2].replaceFirst("\\{card:[0-9A-F]+}", "{card:NOT-HEX}");
        files.put("users.csv", text(String.join("\n", lines) + "\n"));
        files.put("enrollments.csv", text(new String(files.get("enrollments.csv"), java.nio.charset.StandardCharsets.UTF_8)
                + "enr-x,active,2026-08-25T02:00:00.000Z,cls-unknown,org-school-02,usr-0003,student,false,2026-09-05,\n"));
        files.remove("academicSessions.csv");

        RosterImportException e = catchImport(() -> OneRosterCsv.read(files, ROOMS, IN_TERM_1));

        assertThat(e.problems()).extracting(RosterProblem::toString).containsExactlyInAnyOrder(
                "academicSessions.csv: missing: a OneRoster set needs users.csv, classes.csv, enrollments.csv and academicSessions.csv",
                "users.csv, line 2, column identifier: not a 12-digit personal ID (10 characters)",
                "users.csv, line 3, column userIds: a {card:...} entry is not a card UID: 3-10 bytes of hex",
                "enrollments.csv, line 333, column classSourcedId: no active class with this sourcedId in classes.csv",
                "academicSessions.csv: no term: the roster needs the term's dates");
        assertThat(e.problems()).allSatisfy(p -> assertThat(p.toString()).doesNotContain("0793142632").doesNotContain("NOT-HEX"));
    }
}
