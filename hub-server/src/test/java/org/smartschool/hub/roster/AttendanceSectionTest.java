package org.smartschool.hub.roster;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.smartschool.bridge.attendance.CardHash;
import org.smartschool.hub.config.RosterConfig;

/** The gateway's attendance section built from a roster: the contract's shape, hashes only, no names. */
class AttendanceSectionTest {
    private static final LocalDate TODAY = LocalDate.of(2026, 12, 3);

    /**
     * Verifies that the section carries the timetable, learners with hashed cards under the key, revoked hashes
     * and this week's excuses, and that no name and no raw UID is anywhere in it.
     */
    @Test
    @SuppressWarnings("unchecked")
    void carriesHashesNotUidsAndNoNames() throws Exception {
        Roster roster = RosterCsv.read(RosterExamples.csv(), null);
        CardKey key = CardKey.generate(new SecureRandom(), 1_796_600_000_000L);
        Learner learner = roster.learners().get(0);
        List<Excuse> excuses = List.of(new Excuse(learner.id(), TODAY, "morning", null),
                new Excuse(learner.id(), TODAY.minusDays(5), "morning", null), // past: left out
                new Excuse("079999999999", TODAY, "morning", null)); // not on the roster: left out

        Map<String, Object> section = AttendanceSection.of(roster, key, excuses, RosterConfig.DEFAULT, TODAY);
        String json = new ObjectMapper().writeValueAsString(section);

        assertThat(section.keySet()).containsExactly("timeZone", "cardKey", "policy", "term", "days", "noSchool", "sessions",
                "classes", "periods", "learners", "revokedCards", "excuses");
        assertThat(section.get("cardKey")).isEqualTo(Map.of("id", key.id(), "secret", "base64:"
                + Base64.getEncoder().encodeToString(key.secret())));
        assertThat(Base64.getDecoder().decode(((Map<String, String>) section.get("cardKey")).get("secret").substring(7))).hasSize(32);
        assertThat(section.get("policy")).isEqualTo(Map.of("graceMinutes", 10, "cutoffMinutes", 20, "debounceSeconds", 60,
                "earlyMinutes", 30));
        assertThat(section.get("term")).isEqualTo(Map.of("from", "2026-09-05", "to", "2027-01-16"));
        assertThat(section.get("days")).isEqualTo(List.of("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY"));
        assertThat(section.get("sessions")).isEqualTo(List.of(Map.of("id", "morning", "start", "07:00", "end", "11:25"),
                Map.of("id", "afternoon", "start", "13:30", "end", "17:00")));
        List<Map<String, Object>> learners = (List<Map<String, Object>>) section.get("learners");
        assertThat(learners).hasSize(272);
        Map<String, Object> first = learners.stream().filter(l -> l.get("id").equals(learner.id())).findFirst().orElseThrow();
        List<String> expectedHashes = roster.cards().stream().filter(c -> c.learner().equals(learner.id()) && !c.revoked())
                .map(c -> CardHash.of(key.secret(), c.uid())).sorted().toList();
        assertThat(first.get("cards")).isEqualTo(expectedHashes);
        assertThat(first.get("class")).isEqualTo(learner.homeroom());
        assertThat((List<String>) section.get("revokedCards")).containsExactlyInAnyOrderElementsOf(roster.cards().stream()
                .filter(Card::revoked).map(c -> CardHash.of(key.secret(), c.uid())).toList());
        assertThat((List<Map<String, Object>>) section.get("excuses")).hasSize(1).first()
                .satisfies(e -> assertThat(e).containsEntry("learner", learner.id()).containsEntry("date", "2026-12-03")
                        .containsEntry("period", null));
        for (Card card : roster.cards()) {
            assertThat(json).doesNotContain(card.uid());
        }
        for (Learner l : roster.learners()) {
            assertThat(json).doesNotContain(l.name());
        }
    }

    /** Verifies that the same roster gives an equal section (no new version), another key a different one. */
    @Test
    void isDeterministic() {
        Roster roster = RosterCsv.read(RosterExamples.csv(), null);
        CardKey key = CardKey.generate(new SecureRandom(), 1L);
        CardKey other = CardKey.generate(new SecureRandom(), 2L);

        assertThat(AttendanceSection.of(roster, key, List.of(), RosterConfig.DEFAULT, TODAY))
                .isEqualTo(AttendanceSection.of(RosterCsv.read(RosterExamples.csv(), null), key, List.of(), RosterConfig.DEFAULT, TODAY))
                .isNotEqualTo(AttendanceSection.of(roster, other, List.of(), RosterConfig.DEFAULT, TODAY));
    }

    /** Verifies that the lesson hours are the term's days and the sessions' windows. */
    @Test
    void lessonHoursComeFromTheTimetable() {
        Roster roster = RosterCsv.read(RosterExamples.csv(), null);

        assertThat(AttendanceSection.lessonHours(roster.timetable(), RosterConfig.DEFAULT)).isEqualTo(Map.of(
                "timeZone", "Asia/Ho_Chi_Minh",
                "days", List.of("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY"),
                "windows", List.of("07:00-11:25", "13:30-17:00")));
    }
}
