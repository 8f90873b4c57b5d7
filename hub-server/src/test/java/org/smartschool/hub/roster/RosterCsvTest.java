package org.smartschool.hub.roster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/** The hub's roster CSV format: the example set, and refusals that name file, line and column but never the personal value. */
class RosterCsvTest {
    private static final Set<String> SCHOOL_01_ROOMS = Set.of("r101", "r102", "r103", "r104", "r105", "r106", "r107", "r108", "lab",
            "tin-hoc-1", "thu-vien");

    /** Verifies that the shipped example for school-01 reads into the timetable and learners its files hold. */
    @Test
    void readsTheExampleSet() {
        Roster roster = RosterCsv.read(RosterExamples.csv(), SCHOOL_01_ROOMS);

        assertThat(roster.learners()).hasSize(272);
        assertThat(roster.learners()).allSatisfy(l -> assertThat(l.id()).matches("[0-9]{12}"));
        assertThat(roster.timetable().classes()).extracting(SchoolClass::id)
                .containsExactly("6a1", "6a2", "7a1", "7a2", "8a1", "8a2", "9a1", "9a2", "tin-6a1", "hoa-8a1", "hoa-9a1");
        SchoolClass nineA1 = roster.timetable().classes().get(6);
        assertThat(nineA1.level()).isEqualTo(ClassLevel.SESSION);
        assertThat(nineA1.room()).isEqualTo("r107");
        assertThat(nineA1.sessions()).containsExactly("morning", "afternoon");
        assertThat(roster.timetable().classes().get(9).level()).isEqualTo(ClassLevel.PERIOD);
        assertThat(roster.timetable().sessions()).containsExactly(new Session("morning", LocalTime.of(7, 0), LocalTime.of(11, 25)),
                new Session("afternoon", LocalTime.of(13, 30), LocalTime.of(17, 0)));
        assertThat(roster.timetable().periods()).contains(new Period("hoa-8a1", DayOfWeek.TUESDAY, "morning", "p3", LocalTime.of(9, 0),
                45, "lab"));
        Term term = roster.timetable().term();
        assertThat(term.from()).isEqualTo(LocalDate.of(2026, 9, 5));
        assertThat(term.to()).isEqualTo(LocalDate.of(2027, 1, 16));
        assertThat(term.days()).isEqualTo(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.SATURDAY));
        assertThat(term.noSchool()).containsExactly(LocalDate.of(2026, 11, 20), LocalDate.of(2027, 1, 1));
        assertThat(term.isSchoolDay(LocalDate.of(2026, 12, 3))).isTrue();
        assertThat(term.isSchoolDay(LocalDate.of(2027, 1, 1))).isFalse();
        assertThat(roster.learners().stream().filter(l -> l.homeroom().equals("8a1")))
                .allSatisfy(l -> assertThat(l.sections()).containsExactly("hoa-8a1"));
        assertThat(roster.cards().stream().filter(Card::revoked).count()).isPositive();
        assertThat(roster.cards().stream().filter(c -> !c.revoked()).count()).isGreaterThanOrEqualTo(272);
    }

    /**
     * Verifies that a set with several bad cells is refused with one problem per cell, each naming file, line
     * and column, and that no message quotes a learner id or a UID.
     */
    @Test
    void refusesBadCellsNamingFileLineAndColumnWithoutThePersonalValues() {
        Map<String, byte[]> files = new TreeMap<>(RosterExamples.csv());
        String secretId = "07921404688"; // 11 digits
        String secretUid = "04ZZ12";
        files.put("learners.csv", text("learner_id,name,class,sections\n"
                + "079214046885,Huỳnh Bảo Nam,6a1,tin-6a1\n"
                + secretId + ",Ngô Thu Lan,6a1,\n"
                + "079314097995,Lê Văn Tú,6z9,\n"
                + "079214046885,Huỳnh Bảo Nam,6a1,\n"));
        files.put("cards.csv", text("learner_id,uid,status\n079214046885," + secretUid + ",active\n079214046885,04A1B2C3,lost\n"
                + "079999999999,04A1B2C4,active\n"));
        files.put("periods.csv", text("class,day,session,period,start,minutes,room\nhoa-8a1,TUESDAY,morning,p3,9h00,45,lab\n"
                + "hoa-8a1,FRIDAY,morning,p4,10:00,45,phong-x\n" + "hoa-8a1,FUNDAY,morning,p5,10:50,45,lab\n"
                + "hoa-8a1,MONDAY,morning,p5,11:00,45,lab\n"));

        RosterImportException e = catchImport(() -> RosterCsv.read(files, SCHOOL_01_ROOMS));

        assertThat(e.problems()).extracting(RosterProblem::toString).containsExactlyInAnyOrder(
                "learners.csv, line 3, column learner_id: not a 12-digit personal ID (11 characters)",
                "learners.csv, line 4, column class: no class '6z9'",
                "learners.csv, line 5, column learner_id: listed twice: the same value as learners.csv line 2",
                "cards.csv, line 2, column uid: not a card UID: 3-10 bytes of hex (6 characters)",
                "cards.csv, line 3, column status: 'lost' is not active or revoked",
                "cards.csv, line 4, column learner_id: not a learner of the roster",
                "periods.csv, line 2, column start: '9h00' is not HH:mm",
                "periods.csv, line 3, column room: no room 'phong-x' at this school in the registry",
                "periods.csv, line 4, column day: 'FUNDAY' is not a day (MONDAY ... SUNDAY)",
                "periods.csv, line 5, column start: the period (11:00, 45 minutes) is not inside session 'morning' (07:00-11:25)");
        assertThat(e.problems()).allSatisfy(p -> assertThat(p.toString()).doesNotContain(secretId).doesNotContain(secretUid)
                .doesNotContain("079214046885").doesNotContain("079999999999"));
    }

    /** Verifies that missing files, missing and unknown columns and an unknown file are each named. */
    @Test
    void namesMissingFilesAndColumns() {
        Map<String, byte[]> files = new TreeMap<>();
        files.put("classes.csv", text("class,levle,room\n6a1,session,r101\n"));
        files.put("learners.csv", text("name,class\nAn,6a1\n"));
        files.put("timetable.csv", text("x\n"));

        RosterImportException e = catchImport(() -> RosterCsv.read(files, null));

        assertThat(e.problems()).extracting(RosterProblem::toString).contains(
                "timetable.csv: unknown file; expected cards.csv, classes.csv, learners.csv, no_school.csv, periods.csv, sessions.csv, term.csv",
                "term.csv: missing: the roster needs classes.csv, learners.csv and term.csv",
                "classes.csv, line 1, column level: missing column",
                "learners.csv, line 1, column learner_id: missing column");
        assertThat(e.problems()).anySatisfy(p -> assertThat(p.toString()).startsWith("classes.csv, line 1, column levle: unknown column"));
    }

    /** Verifies that quoted cells (a comma inside a name), a BOM and CRLF line ends are read as CSV. */
    @Test
    void readsQuotedCellsBomAndCrlf() {
        Map<String, byte[]> files = new TreeMap<>();
        files.put("classes.csv", text("\uFEFFclass,name,level,room,sessions\r\n6a1,\"Lớp 6A1, cơ sở 2\",session,r101,morning\r\n"));
        files.put("learners.csv", text("learner_id,name,class,sections\r\n079214046885,\"Huỳnh, Bảo Nam\",6a1,\r\n"));
        files.put("term.csv", text("term,school_year,from,to,days\r\nHK1,2026-2027,2026-09-05,2027-01-16,MON-FRI\r\n"));

        Roster roster = RosterCsv.read(files, null);

        assertThat(roster.timetable().classes().get(0).name()).isEqualTo("Lớp 6A1, cơ sở 2");
        assertThat(roster.learners().get(0).name()).isEqualTo("Huỳnh, Bảo Nam");
        assertThat(roster.timetable().term().days()).isEqualTo(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY));
        assertThat(roster.timetable().sessions()).isEqualTo(Session.DEFAULTS);
    }

    /** Verifies that more problems than the limit are cut at the limit and marked truncated. */
    @Test
    void keepsTheFirstHundredProblems() {
        Map<String, byte[]> files = new TreeMap<>(RosterExamples.csv());
        StringBuilder learners = new StringBuilder("learner_id,name,class,sections\n");
        for (int i = 0; i < 150; i++) {
            learners.append("12345,X,6a1,\n");
        }
        files.put("learners.csv", text(learners.toString()));

        RosterImportException e = catchImport(() -> RosterCsv.read(files, null));

        assertThat(e.problems()).hasSize(RosterProblems.LIMIT);
        assertThat(e.truncated()).isTrue();
        assertThat(e.problems().get(99).line()).isEqualTo(101);
    }

    static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static RosterImportException catchImport(Runnable read) {
        try {
            read.run();
        } catch (RosterImportException e) {
            return e;
        }
        throw new AssertionError("the import was not refused");
    }
}
