package org.smartschool.gateway.support;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.smartschool.bridge.attendance.CardHash;
import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.gateway.attendance.AttendancePlan;
import org.smartschool.gateway.desired.DesiredConfigParser;

/**
 * The school of the attendance tests, as the hub would send it (the contract's {@code attendance} section):
 * class 6a (homeroom r101) and 6b (r102) in the morning, a chemistry lab section taken per period in lab1.
 */
public final class AttendanceFixture {
    public static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    public static final String SCHOOL = "school-att";
    public static final ZoneId ZONE = ZoneId.of("Asia/Ho_Chi_Minh");
    /** A Thursday inside the term. */
    public static final LocalDate DAY = LocalDate.of(2026, 12, 3);

    /** Learner ids (12 digits) and their cards' UIDs. */
    public static final String ON_TIME = "079212345601";
    public static final String LATE = "079212345602";
    public static final String WANDERER = "079212345603";
    public static final String ABSENT_THEN_LATE = "079212345604";
    public static final String EXCUSED = "079212345605";
    public static final String LOST_CARD = "079212345606";
    public static final String CHEMIST = "079212345607";
    public static final String SKIPS_LAB = "079212345608";
    public static final List<String> ALL = List.of(ON_TIME, LATE, WANDERER, ABSENT_THEN_LATE, EXCUSED, LOST_CARD,
            CHEMIST, SKIPS_LAB);
    public static final String REVOKED_UID = "04A22B66";
    public static final String UNKNOWN_UID = "04:99:99:99";

    private AttendanceFixture() {
    }

    /** The card UID of a fixture learner: 04A22B + the id's last two digits. */
    public static String uid(String learner) {
        return "04A22B" + learner.substring(10);
    }

    /** Epoch ms of {@code hh:mm} on {@link #DAY} in the school's zone. */
    public static long at(String hhmm) {
        return DAY.atTime(LocalTime.parse(hhmm)).atZone(ZONE).toInstant().toEpochMilli();
    }

    public static String attendanceJson() {
        return attendanceJson("Asia/Ho_Chi_Minh", "07:00", "11:25", "09:00");
    }

    /**
     * @param zone the school's time zone
     * @param morningStart the morning session's start, HH:mm
     * @param labStart the lab period's start (Thursday, in the morning session), HH:mm
     */
    public static String attendanceJson(String zone, String morningStart, String morningEnd, String labStart) {
        List<String> learners = new ArrayList<>();
        for (String id : ALL) {
            boolean sixB = id.equals(CHEMIST) || id.equals(SKIPS_LAB);
            String sections = sixB ? ", \"sections\": [\"10a1-chem\"]" : "";
            learners.add("{\"id\": \"" + id + "\", \"class\": \"" + (sixB ? "6b" : "6a") + "\"" + sections
                    + ", \"cards\": [\"" + CardHash.of(KEY, uid(id)) + "\"]}");
        }
        return """
                {"timeZone": "%s",
                 "cardKey": {"id": "k-2026-09", "secret": "base64:%s"},
                 "policy": {"graceMinutes": 10, "cutoffMinutes": 20, "debounceSeconds": 60, "earlyMinutes": 30},
                 "term": {"from": "2026-09-05", "to": "2027-01-16"},
                 "days": ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"],
                 "noSchool": ["2027-01-01"],
                 "sessions": [{"id": "morning", "start": "%s", "end": "%s"},
                              {"id": "afternoon", "start": "13:30", "end": "17:00"}],
                 "classes": [{"id": "6a", "level": "session", "room": "r101", "sessions": ["morning"]},
                             {"id": "6b", "level": "session", "room": "r102", "sessions": ["morning"]},
                             {"id": "10a1-chem", "level": "period"}],
                 "periods": [{"class": "10a1-chem", "day": "%s", "session": "morning", "id": "p3", "start": "%s",
                              "minutes": 45, "room": "lab1"}],
                 "learners": [%s],
                 "revokedCards": ["%s"],
                 "excuses": [{"learner": "%s", "date": "%s", "session": "morning", "period": null}]}
                """.formatted(zone, Base64.getEncoder().encodeToString(KEY), morningStart, morningEnd,
                labDay(zone), labStart, String.join(",\n", learners), CardHash.of(KEY, REVOKED_UID), EXCUSED,
                today(zone));
    }

    private static String labDay(String zone) {
        return zone.equals("Asia/Ho_Chi_Minh") ? "THURSDAY" : LocalDate.now(ZoneId.of(zone)).getDayOfWeek().name();
    }

    private static String today(String zone) {
        return zone.equals("Asia/Ho_Chi_Minh") ? DAY.toString() : LocalDate.now(ZoneId.of(zone)).toString();
    }

    /**
     * A fixed-offset zone in which it is about noon now: tests on the real clock get a school day whose
     * morning is under way whatever the hour they run.
     */
    public static String noonZone() {
        int utcSeconds = java.time.LocalTime.now(java.time.ZoneOffset.UTC).toSecondOfDay();
        int offset = 12 * 3600 - utcSeconds; // in (-12 h, +12 h]
        offset = Math.round(offset / 900f) * 900;
        return java.time.ZoneOffset.ofTotalSeconds(offset).getId();
    }

    /**
     * The fixture's section in a zone where it is about noon, the morning session starting in 2 minutes
     * (a tap now is present; its cut-off is 22 minutes from now), the lab in an hour.
     */
    public static String startingNow() {
        String zone = noonZone();
        LocalTime now = LocalTime.now(ZoneId.of(zone)).withSecond(0).withNano(0);
        java.time.format.DateTimeFormatter hhmm = java.time.format.DateTimeFormatter.ofPattern("HH:mm");
        return attendanceJson(zone, now.plusMinutes(2).format(hhmm), now.plusMinutes(90).format(hhmm),
                now.plusMinutes(60).format(hhmm));
    }

    /** Classes (and doors r0, r1, ...) of {@link #many}. */
    public static final int MANY_CLASSES = 30;

    /** The card UID of learner {@code i} of {@link #many}. */
    public static String manyUid(int i) {
        return String.format("04%06X", i);
    }

    /** The learner id of learner {@code i} of {@link #many}. */
    public static String manyId(int i) {
        return String.format("0792%08d", i);
    }

    /**
     * A bigger school: {@code learners} learners in {@link #MANY_CLASSES} session-level classes (class
     * {@code c<k>}, homeroom {@code r<k>}, the morning 07:00-11:25), every day a school day.
     */
    public static String many(int learners) {
        List<String> classes = new ArrayList<>();
        for (int c = 0; c < MANY_CLASSES; c++) {
            classes.add("{\"id\": \"c" + c + "\", \"room\": \"r" + c + "\", \"sessions\": [\"morning\"]}");
        }
        List<String> roster = new ArrayList<>();
        for (int i = 0; i < learners; i++) {
            roster.add("{\"id\": \"" + manyId(i) + "\", \"class\": \"c" + (i % MANY_CLASSES)
                    + "\", \"cards\": [\"" + CardHash.of(KEY, manyUid(i)) + "\"]}");
        }
        return "{\"cardKey\": {\"id\": \"k\", \"secret\": \"base64:" + Base64.getEncoder().encodeToString(KEY)
                + "\"}, \"days\": [\"MONDAY\", \"TUESDAY\", \"WEDNESDAY\", \"THURSDAY\", \"FRIDAY\", \"SATURDAY\", \"SUNDAY\"],"
                + " \"classes\": [" + String.join(",", classes) + "], \"learners\": [" + String.join(",", roster) + "]}";
    }

    /** A whole desired configuration with the section. */
    public static String desiredConfig(long version, String attendance) {
        return "{\"version\": " + version + ", \"attendance\": " + attendance + "}";
    }

    /** The fixture's plan, parsed as the gateway parses the hub's. */
    public static AttendancePlan plan() {
        return plan(attendanceJson());
    }

    public static AttendancePlan plan(String attendanceJson) {
        return new DesiredConfigParser(SCHOOL, CodecRegistry.standard())
                .parse(desiredConfig(1, attendanceJson).getBytes(StandardCharsets.UTF_8)).attendance().orElseThrow();
    }
}
