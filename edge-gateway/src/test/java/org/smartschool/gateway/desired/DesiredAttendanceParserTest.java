package org.smartschool.gateway.desired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.gateway.attendance.AttendancePlan;
import org.smartschool.gateway.support.AttendanceFixture;
import org.smartschool.gateway.support.Poll;
import org.smartschool.gateway.uplink.DesiredConfigStore;

/** The desired configuration's {@code attendance} section: read whole, or refused naming the key, never a learner or the key. */
class DesiredAttendanceParserTest {
    private static final DesiredConfigParser PARSER = new DesiredConfigParser("school-1", CodecRegistry.standard());
    private static final String SECRET = java.util.Base64.getEncoder().encodeToString(AttendanceFixture.KEY);

    @TempDir
    Path dir;

    private static DesiredConfig parse(String attendance) {
        return PARSER.parse(AttendanceFixture.desiredConfig(9, attendance).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsTheContractsSection() {
        AttendancePlan plan = parse(AttendanceFixture.attendanceJson()).attendance().orElseThrow();
        assertThat(plan.zone().getId()).isEqualTo("Asia/Ho_Chi_Minh");
        assertThat(plan.cardKey().id()).isEqualTo("k-2026-09");
        assertThat(plan.cardKey().secret()).isEqualTo(AttendanceFixture.KEY);
        assertThat(plan.policy()).isEqualTo(new AttendancePlan.Policy(10, 20, 60, 30));
        assertThat(plan.learners()).hasSize(8);
        assertThat(plan.classes().get("10a1-chem").level()).isEqualTo(AttendancePlan.Level.PERIOD);
        assertThat(plan.classes().get("6a").room()).isEqualTo("r101");
        assertThat(plan.periods()).singleElement().satisfies(p -> {
            assertThat(p.day()).isEqualTo(DayOfWeek.THURSDAY);
            assertThat(p.start()).isEqualTo(LocalTime.of(9, 0));
            assertThat(p.minutes()).isEqualTo(45);
            assertThat(p.room()).isEqualTo("lab1");
        });
        assertThat(plan.schoolDay(AttendanceFixture.DAY)).isTrue();
        assertThat(plan.schoolDay(java.time.LocalDate.of(2027, 1, 1))).as("noSchool").isFalse();
        assertThat(plan.schoolDay(java.time.LocalDate.of(2027, 1, 18))).as("after the term").isFalse();
        assertThat(plan.toString()).doesNotContain(AttendanceFixture.ON_TIME).doesNotContain(SECRET);
        assertThat(parse(AttendanceFixture.attendanceJson()).summary()).contains("attendance: 8 learners");
    }

    @Test
    void noSectionMeansAttendanceOff() {
        assertThat(PARSER.parse("{\"version\":3}".getBytes(StandardCharsets.UTF_8)).attendance()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"start\": \"09:00\"|\"start\": \"9h\"|attendance.periods[0].start: not HH:mm",
        "\"timeZone\": \"Asia/Ho_Chi_Minh\"|\"timeZone\": \"Mars/Olympus\"|attendance.timeZone: unknown time zone 'Mars/Olympus'",
        "\"graceMinutes\": 10|\"graceMinutes\": 30|attendance.policy.cutoffMinutes: must be at least graceMinutes (30)",
        "\"day\": \"THURSDAY\"|\"day\": \"THU\"|attendance.periods[0].day: not a day of the week (MONDAY ... SUNDAY)",
        "\"room\": \"r101\"|\"room\": \"r 101\"|attendance.classes[0].room: invalid room id 'r 101'",
        "\"sessions\": [\"morning\"]}|\"sessions\": [\"evening\"]}|attendance.classes[0].sessions[0]: no session 'evening' in attendance.sessions",
        "\"debounceSeconds\": 60|\"debounceSecond\": 60|attendance.policy.debounceSecond: unknown key; known keys are [cutoffMinutes, debounceSeconds, earlyMinutes, graceMinutes]",
    })
    void aBadSectionIsRefusedNamingTheKey(String from, String to, String message) {
        String json = AttendanceFixture.attendanceJson();
        assertThat(json).contains(from);
        assertThatThrownBy(() -> parse(json.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to))))
                .isInstanceOf(DesiredConfigException.class).hasMessage(message);
    }

    @Test
    void aBadLearnerIsNamedByIndexNeverById() { // the exact messages below hold no id
        String json = AttendanceFixture.attendanceJson();
        String badId = json.replace("\"id\": \"" + AttendanceFixture.LATE + "\"", "\"id\": \"07921234560X\"");
        assertThatThrownBy(() -> parse(badId)).hasMessage("attendance.learners[1].id: not a 12-digit national personal ID");
        String twice = json.replace("\"id\": \"" + AttendanceFixture.LATE + "\"", "\"id\": \"" + AttendanceFixture.ON_TIME + "\"");
        assertThatThrownBy(() -> parse(twice)).hasMessage("attendance.learners[1].id: the same learner is listed twice");
        String noClass = json.replace("\"class\": \"6b\"", "\"class\": \"9z\"");
        assertThatThrownBy(() -> parse(noClass)).hasMessage("attendance.learners[6].class: no class '9z' in attendance.classes");
        String excuse = json.replace("\"learner\": \"" + AttendanceFixture.EXCUSED + "\"", "\"learner\": \"079299999999\"");
        assertThatThrownBy(() -> parse(excuse)).hasMessage("attendance.excuses[0].learner: not a learner of attendance.learners");
    }

    @Test
    void theCardKeyNeverAppearsInARefusal() {
        String json = AttendanceFixture.attendanceJson();
        String shortKey = json.replace(SECRET, "c2hvcnQta2V5");
        assertThatThrownBy(() -> parse(shortKey)).hasMessage("attendance.cardKey.secret: must be 16-64 bytes, got 9");
        String plain = json.replace("base64:" + SECRET, SECRET);
        assertThatThrownBy(() -> parse(plain)).hasMessage("attendance.cardKey.secret: must start with 'base64:' or 'hex:'");
        String badHash = json.replaceFirst("\"cards\": \\[\"[^\"]+\"", "\"cards\": [\"04A22B01\"");
        assertThatThrownBy(() -> parse(badHash)).hasMessage("attendance.learners[0].cards[0]: not a card hash (43 characters of base64url)");
    }

    @Test
    void aBadAttendanceVersionLeavesThePreviousInForce() throws Exception {
        List<DesiredConfig> applied = new CopyOnWriteArrayList<>();
        try (RemoteConfiguration remote = new RemoteConfiguration(DesiredConfigStore.nextTo(dir.resolve("outbox.db")), PARSER, "gw-1")) {
            remote.applyWith(applied::add);
            remote.receive(AttendanceFixture.desiredConfig(5, AttendanceFixture.attendanceJson()).getBytes(StandardCharsets.UTF_8));
            Poll.until(Duration.ofSeconds(10), "version 5", () -> remote.version().orElse(-1) == 5);
            remote.receive(AttendanceFixture.desiredConfig(6, AttendanceFixture.attendanceJson().replace("\"09:00\"", "\"25:00\""))
                    .getBytes(StandardCharsets.UTF_8));
            Poll.until(Duration.ofSeconds(10), "version 6 refused", () -> remote.refusal() != null);
            assertThat(remote.refusal()).isEqualTo("version 6: attendance.periods[0].start: not HH:mm");
            assertThat(remote.version()).hasValue(5);
            assertThat(applied).hasSize(1);
            assertThat(applied.get(0).attendance()).isPresent();
        }
    }
}
