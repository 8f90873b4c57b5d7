package org.smartschool.hub.demo;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.smartschool.bridge.sim.ClassRoster;
import org.smartschool.bridge.sim.SchoolTimetable;

/**
 * A demo school's roster and timetable in the hub's CSV files (docs/roster.md), made from the simulation's
 * classes: one homeroom class per classroom and session ({@code r101-am}, {@code r101-pm}), its synthetic
 * learners (ids of the national ID's shape starting with the non-existent province code 000) and their cards,
 * so that the simulated door readers' taps are decided by the school's gateway. School days Monday to Friday,
 * as the simulation's; a term around today.
 */
final class DemoRoster {
    private DemoRoster() {
    }

    /** The files of one school, for {@code Rosters.importFiles} with format CSV. */
    static Map<String, byte[]> files(List<ClassRoster> rosters, LocalDate today) {
        return files(rosters, today, Map.of());
    }

    /**
     * Like {@link #files(List, LocalDate)}, with lost cards listed as revoked ({@code revoked}: learner id to
     * UID), so that a tap with one is refused ({@link MorningDoors}).
     */
    static Map<String, byte[]> files(List<ClassRoster> rosters, LocalDate today, Map<String, String> revoked) {
        StringBuilder classes = new StringBuilder("class,name,level,room,sessions\n");
        StringBuilder learners = new StringBuilder("learner_id,name,class,sections\n");
        StringBuilder cards = new StringBuilder("learner_id,uid,status\n");
        for (ClassRoster roster : rosters) {
            String session = roster.session() == SchoolTimetable.Session.MORNING ? "morning" : "afternoon";
            String classId = classId(roster);
            classes.append(classId).append(",Lớp ").append(roster.room().toUpperCase(Locale.ROOT)).append(' ')
                    .append(session.equals("morning") ? "sáng" : "chiều").append(",session,").append(roster.room())
                    .append(',').append(session).append('\n');
            int place = 0;
            for (ClassRoster.Learner learner : roster.learners()) {
                learners.append(learner.learnerId()).append(",Học sinh ").append(classId).append('-')
                        .append(String.format("%02d", ++place)).append(',').append(classId).append(",\n");
                cards.append(learner.learnerId()).append(',').append(learner.cardUid()).append(",active\n");
            }
        }
        revoked.forEach((learner, uid) -> cards.append(learner).append(',').append(uid).append(",revoked\n"));
        String term = "term,school_year,from,to,days\nDemo," + today.getYear() + "-" + (today.getYear() + 1) + ","
                + today.minusDays(60) + "," + today.plusDays(120) + ",MONDAY-FRIDAY\n";
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("classes.csv", classes.toString().getBytes(StandardCharsets.UTF_8));
        files.put("learners.csv", learners.toString().getBytes(StandardCharsets.UTF_8));
        files.put("cards.csv", cards.toString().getBytes(StandardCharsets.UTF_8));
        files.put("term.csv", term.getBytes(StandardCharsets.UTF_8));
        return files;
    }

    /** The class a roster is: its room and session, {@code r101-am}, {@code r101-pm}. */
    static String classId(ClassRoster roster) {
        return roster.room() + (roster.session() == SchoolTimetable.Session.MORNING ? "-am" : "-pm");
    }
}
