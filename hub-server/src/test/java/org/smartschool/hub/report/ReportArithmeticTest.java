package org.smartschool.hub.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.smartschool.bridge.alarm.Severity;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.gateway.config.RulesSettings;
import org.smartschool.gateway.rules.LessonHours;
import org.smartschool.hub.alarm.Acknowledgement;
import org.smartschool.hub.alarm.AlarmRecord;
import org.smartschool.hub.attendance.AttendanceCounts;
import org.smartschool.hub.store.DeviceLastSeen;
import org.smartschool.hub.store.DeviceStep;

/**
 * The report's arithmetic on a constructed November 2026 (Asia/Ho_Chi_Minh, the default lessons Monday to Friday
 * 07:00-11:25 and 13:30-17:00): step means judged against the default rules over lesson time only, attendance
 * rates, nearest-rank response times, online time from state changes. Exact values, no store.
 */
class ReportArithmeticTest {
    private static final String SCHOOL = "thcs-nguyen-du";
    private static final long MIN = 60_000;
    private static final ReportMonth NOVEMBER = new ReportMonth(YearMonth.of(2026, 11), LessonHours.VIETNAM);
    private static final long FROM = NOVEMBER.fromMillis();
    private static final long TO = NOVEMBER.toMillis();
    private static final LessonTime LESSONS = new LessonTime(LessonHours.vietnameseDefault());

    /** Local time in Vietnam on a day of November 2026 (the 2nd is a Monday). */
    private static long at(int day, int hour, int minute) {
        return LocalDateTime.of(2026, 11, day, hour, minute).atZone(LessonHours.VIETNAM).toInstant().toEpochMilli();
    }

    /** Verifies that the month runs midnight to midnight in Vietnam, and a month text is parsed or refused with one line. */
    @Test
    void theMonthRunsFromLocalMidnightToLocalMidnight() {
        assertThat(FROM).isEqualTo(java.time.Instant.parse("2026-10-31T17:00:00Z").toEpochMilli());
        assertThat(TO).isEqualTo(java.time.Instant.parse("2026-11-30T17:00:00Z").toEpochMilli());
        assertThat(ReportMonth.parse("2026-11")).isEqualTo(YearMonth.of(2026, 11));
        assertThatThrownBy(() -> ReportMonth.parse("2026-13")).hasMessage("month must be YYYY-MM with a month 01-12");
        assertThatThrownBy(() -> ReportMonth.parse("11/2026")).hasMessage("month must be YYYY-MM");
        assertThat(NOVEMBER.isFuture(java.time.Instant.parse("2026-10-31T16:59:59Z").toEpochMilli())).isTrue();
        assertThat(NOVEMBER.isFuture(FROM)).isFalse();
    }

    /** Verifies that steps are asked of the store aligned to local time: a day from 00:00 in Vietnam, 17:00 UTC. */
    @Test
    void stepsAreAlignedToTheSchoolsLocalClock() {
        assertThat(MonthlyReports.localOffset(LessonHours.VIETNAM, FROM, ComplianceLimit.DAY)).isEqualTo(17 * 3_600_000L);
        assertThat(MonthlyReports.localOffset(LessonHours.VIETNAM, FROM, ComplianceLimit.HOUR)).isZero();
        assertThat(MonthlyReports.localOffset(java.time.ZoneId.of("Asia/Kolkata"), FROM, ComplianceLimit.HOUR))
                .as("+05:30: hours from the local hour").isEqualTo(30 * MIN);
    }

    /** Verifies that lesson time counts weekdays' sessions only: 21 school days of 7 h 55 min, none at lunch or on Saturday. */
    @Test
    void lessonTimeIsTheWeekdaysSessions() {
        assertThat(LESSONS.overlapMillis(FROM, TO)).isEqualTo(21 * 475 * MIN);
        assertThat(LESSONS.overlapMillis(at(2, 11, 0), at(2, 14, 0))).as("11:00-11:25 and 13:30-14:00").isEqualTo(55 * MIN);
        assertThat(LESSONS.overlapMillis(at(7, 0, 0), at(9, 0, 0))).as("Saturday and Sunday").isZero();
        assertThat(LESSONS.overlapMillis(at(2, 6, 45), at(2, 7, 0))).as("before the first lesson").isZero();
    }

    /**
     * Verifies the compliance of a constructed month: a room's CO2 as the mean of its two sensors' step means, the
     * step 11:15-11:30 counted for its 10 lesson minutes, readings at lunch, before lessons and on Saturday not counted;
     * a lab's fridge judged by lab-fridge (2-8 C) and its thermometer by temperature (18-32 C); noise by hourly means
     * (LAeq limit 55 dBA), PM2.5 by a daily mean (15 ug/m3).
     */
    @Test
    void complianceIsTheShareOfMeasuredLessonTimeWithinEachRulesLimit() {
        RulesSettings rules = RulesSettings.defaults().withRoomKinds(Map.of("r101", "classroom", "lab1", "lab"));
        List<DeviceLastSeen> devices = List.of(seen("r101", "co2-1"), seen("r101", "co2-2"), seen("r101", "noise-1"),
                seen("r101", "pm-1"), seen("lab1", "th-1"), seen("lab1", "fridge-1"));
        long q = ComplianceLimit.QUARTER_HOUR;
        List<DeviceStep> co2 = List.of(
                step("r101", "co2-1", at(2, 6, 45), 1500),   // before lessons
                step("r101", "co2-1", at(2, 7, 0), 800),
                step("r101", "co2-1", at(2, 7, 15), 800),
                step("r101", "co2-1", at(2, 7, 30), 800),
                step("r101", "co2-2", at(2, 7, 30), 1300),   // room mean 1050: out
                step("r101", "co2-1", at(2, 7, 45), 1200),
                step("r101", "co2-1", at(2, 11, 15), 900),   // 10 lesson minutes
                step("r101", "co2-1", at(2, 12, 0), 1500),   // lunch
                step("r101", "co2-1", at(7, 10, 0), 1500));  // Saturday
        List<DeviceStep> temperature = List.of(
                step("lab1", "fridge-1", at(3, 9, 0), 5), step("lab1", "fridge-1", at(3, 9, 15), 5),
                step("lab1", "th-1", at(3, 9, 0), 35), step("lab1", "th-1", at(3, 9, 15), 35));
        List<DeviceStep> noise = List.of(step("r101", "noise-1", at(4, 13, 0), 50), step("r101", "noise-1", at(4, 16, 0), 60));
        // a day step from local midnight (the store is asked so): Monday's lessons
        List<DeviceStep> pm25 = List.of(step("r101", "pm-1", at(2, 0, 0), 21));
        List<String> asked = new ArrayList<>();
        List<ComplianceRow> rows = EnvironmentCompliance.compute(rules.toRuleBook(), LESSONS, FROM, TO, devices,
                (quantity, stepMillis) -> {
                    asked.add(quantity.id() + "/" + stepMillis / MIN);
                    return switch (quantity) {
                        case CO2 -> stepMillis == q ? co2 : List.of();
                        case TEMPERATURE -> stepMillis == q ? temperature : List.of();
                        case NOISE -> stepMillis == ComplianceLimit.HOUR ? noise : List.of();
                        case PM25 -> stepMillis == ComplianceLimit.DAY ? pm25 : List.of();
                        default -> List.of();
                    };
                });

        long lesson = 21 * 475 * MIN;
        assertThat(rows).as("by quantity, room and rule").containsExactly(
                new ComplianceRow("r101", Quantity.CO2, "co2", "≤ 1000 ppm", lesson, 70 * MIN, 40 * MIN),
                new ComplianceRow("lab1", Quantity.TEMPERATURE, "lab-fridge", "2–8 Cel", lesson, 30 * MIN, 30 * MIN),
                new ComplianceRow("lab1", Quantity.TEMPERATURE, "temperature", "18–32 Cel", lesson, 30 * MIN, 0),
                new ComplianceRow("r101", Quantity.NOISE, "noise", "≤ 55 dBA", lesson, 90 * MIN, 30 * MIN),
                new ComplianceRow("r101", Quantity.PM25, "pm25", "≤ 15 ug/m3", lesson, 475 * MIN, 0));
        assertThat(rows.get(0).withinShare()).isEqualTo(40.0 / 70);
        assertThat(EnvironmentCompliance.overallShare(rows)).isEqualTo(100.0 / 695);
        assertThat(asked).as("one store query per quantity and step length")
                .contains("co2/15", "temperature/15", "noise/60", "pm25/1440").doesNotHaveDuplicates();
        assertThat(EnvironmentCompliance.bySchool(rows)).contains(
                new ComplianceRow("*", Quantity.TEMPERATURE, "temperature", "18–32 Cel", lesson, 30 * MIN, 0));
    }

    /**
     * Verifies that the term's holidays and the days after it are not lesson time: with Tuesday 3 November a holiday
     * and the term ending Friday 27 November, November has 19 school days; a CO2 step out of the limit on the holiday
     * or on Monday 30 November counts neither as measured nor as out, and the holiday's lesson minutes are not in the
     * lesson time (the same steps without the term count 75 measured minutes).
     */
    @Test
    void holidaysAndDaysOutsideTheTermAreNotLessonTime() {
        org.smartschool.hub.roster.Term term = new org.smartschool.hub.roster.Term("HK1", "2026-2027", LocalDate.of(2026, 9, 5),
                LocalDate.of(2026, 11, 27), org.smartschool.hub.roster.Term.DEFAULT_DAYS, java.util.Set.of(LocalDate.of(2026, 11, 3)));
        LessonTime lessons = new LessonTime(LessonHours.vietnameseDefault(), term::isSchoolDay);
        assertThat(lessons.overlapMillis(FROM, TO)).isEqualTo(19 * 475 * MIN);
        assertThat(lessons.overlapMillis(at(3, 0, 0), at(4, 0, 0))).as("the holiday").isZero();
        assertThat(lessons.overlapMillis(at(30, 0, 0), TO)).as("after the term").isZero();
        assertThat(lessons.overlapMillis(at(2, 11, 0), at(2, 14, 0))).as("a school day: 11:00-11:25 and 13:30-14:00")
                .isEqualTo(55 * MIN);

        RulesSettings rules = RulesSettings.defaults().withRoomKinds(Map.of("r101", "classroom"));
        List<DeviceLastSeen> devices = List.of(seen("r101", "co2-1"));
        List<DeviceStep> co2 = List.of(
                step("r101", "co2-1", at(2, 7, 0), 800),     // within
                step("r101", "co2-1", at(2, 7, 15), 1200),   // out
                step("r101", "co2-1", at(3, 7, 0), 1500),    // the holiday
                step("r101", "co2-1", at(3, 9, 0), 1500),    // the holiday
                step("r101", "co2-1", at(30, 7, 0), 1500));  // after the term
        EnvironmentCompliance.StepMeans means = (quantity, stepMillis) ->
                quantity == Quantity.CO2 && stepMillis == ComplianceLimit.QUARTER_HOUR ? co2 : List.of();

        assertThat(EnvironmentCompliance.compute(rules.toRuleBook(), lessons, FROM, TO, devices, means)).containsExactly(
                new ComplianceRow("r101", Quantity.CO2, "co2", "≤ 1000 ppm", 19 * 475 * MIN, 30 * MIN, 15 * MIN));
        assertThat(EnvironmentCompliance.compute(rules.toRuleBook(), LESSONS, FROM, TO, devices, means))
                .as("without the term").containsExactly(
                        new ComplianceRow("r101", Quantity.CO2, "co2", "≤ 1000 ppm", 21 * 475 * MIN, 75 * MIN, 15 * MIN));
    }

    /** Verifies the roll-up's concurrency: one read thread for its caller and one free, at most 4; 1 on SQLite. */
    @Test
    void theRollUpLeavesAReadThreadFreeAndRunsOneByOneOnSqlite() {
        assertThat(MonthlyReports.districtParallelism(4, "influx")).isEqualTo(2 + 1);
        assertThat(MonthlyReports.districtParallelism(2, "influx")).isEqualTo(1);
        assertThat(MonthlyReports.districtParallelism(1, "influx")).isEqualTo(1);
        assertThat(MonthlyReports.districtParallelism(32, "influx")).isEqualTo(4);
        assertThat(MonthlyReports.districtParallelism(32, "sqlite")).isEqualTo(1);
    }

    /** Verifies the attendance rates per class and for the school, summed over days, sessions and periods. */
    @Test
    void attendanceRatesArePresentOrLateAmongAllSlots() {
        LocalDate d1 = LocalDate.of(2026, 11, 2);
        LocalDate d2 = LocalDate.of(2026, 11, 3);
        AttendanceSummary s = AttendanceSummary.of(List.of(
                new AttendanceCounts(SCHOOL, d1, "6a", "morning", null, 1, 1, 0, 1),
                new AttendanceCounts(SCHOOL, d2, "6a", "morning", null, 2, 0, 1, 0),
                new AttendanceCounts(SCHOOL, d1, "7b", "morning", null, 2, 0, 0, 0),
                new AttendanceCounts(SCHOOL, d1, "10a1-chem", "morning", "p3", 0, 0, 0, 2)));
        assertThat(s.classes()).containsExactly(new AttendanceRow("10a1-chem", 0, 0, 0, 2), new AttendanceRow("6a", 3, 1, 1, 1),
                new AttendanceRow("7b", 2, 0, 0, 0));
        assertThat(s.school()).isEqualTo(new AttendanceRow("*", 5, 1, 1, 3));
        assertThat(s.classes().get(1).attendanceRate()).isEqualTo(4.0 / 6);
        assertThat(s.school().attendanceRate()).isEqualTo(0.6);
        assertThat(s.school().absentRate()).isEqualTo(0.3);
        assertThat(AttendanceSummary.of(List.of()).school().attendanceRate()).isNaN();
    }

    /** Verifies alarm counts by rule and severity and the nearest-rank median and p90 of the response times. */
    @Test
    void alarmResponseTimesAreNearestRankMediansAndP90s() {
        List<AlarmRecord> alarms = List.of(
                alarm("a1", "co2", Severity.WARNING, at(2, 7, 45), 4L, 30L),
                alarm("a2", "co2", Severity.WARNING, at(3, 8, 0), 10L, 60L),
                alarm("a3", "temperature", Severity.WARNING, at(3, 9, 5), 2L, null),
                alarm("a4", "lab-fridge", Severity.MAJOR, at(4, 10, 0), null, 90L));
        AlarmStatistics s = AlarmStatistics.of(alarms);
        assertThat(s.byRule()).containsExactly(new AlarmStatistics.RuleCount("co2", Severity.WARNING, 2),
                new AlarmStatistics.RuleCount("lab-fridge", Severity.MAJOR, 1),
                new AlarmStatistics.RuleCount("temperature", Severity.WARNING, 1));
        assertThat(s.total()).isEqualTo(4);
        assertThat(s.toAcknowledge()).isEqualTo(new Durations(3, 4 * MIN, 10 * MIN));
        assertThat(s.toClear()).isEqualTo(new Durations(3, 60 * MIN, 90 * MIN));
        assertThat(Durations.of(List.of(5L, 1L, 3L, 2L))).as("even count: the lower middle").isEqualTo(new Durations(4, 2, 5));
        assertThat(Durations.of(List.of())).isEqualTo(Durations.NONE);
    }

    /** Verifies online time from state changes, the state before the month, and a last contact with no change recorded. */
    @Test
    void availabilityFollowsTheStateChangesAndTheLastContact() {
        long month = TO - FROM;
        long grace = 10 * MIN;
        // online before the month (its last change), offline 08:00-14:00 on the 10th
        assertThat(Availability.onlineMillis(true, List.of(new Availability.Change(at(10, 8, 0), false),
                new Availability.Change(at(10, 14, 0), true)), TO + 1, grace, FROM, TO)).isEqualTo(month - 6 * 3_600_000L);
        // no change before: the first change within says what it was (silent on the 5th, back on the 6th)
        assertThat(Availability.onlineMillis(null, List.of(new Availability.Change(at(5, 0, 0), false),
                new Availability.Change(at(6, 0, 0), true)), TO + 1, grace, FROM, TO)).isEqualTo(month - 24 * 3_600_000L);
        // no change at all: heard from last on the 20th, online until then and the grace
        assertThat(Availability.onlineMillis(null, List.of(), at(20, 0, 0), grace, FROM, TO)).isEqualTo(at(20, 0, 10) - FROM);
        // last heard before the month: offline all month
        assertThat(Availability.onlineMillis(null, List.of(), FROM - 1, grace, FROM, TO)).isZero();
        // offline before the month and never back
        assertThat(Availability.onlineMillis(false, List.of(), FROM - 1, grace, FROM, TO)).isZero();
    }

    private static DeviceLastSeen seen(String room, String device) {
        return new DeviceLastSeen(SCHOOL, room, device, TO + 1);
    }

    private static DeviceStep step(String room, String device, long at, double mean) {
        return new DeviceStep(room, device, at, mean);
    }

    private static AlarmRecord alarm(String id, String rule, Severity severity, long raisedAt, Long ackMinutes,
                                     Long clearMinutes) {
        return new AlarmRecord(id, SCHOOL, "r101", "co2-1", rule, severity, raisedAt, raisedAt,
                clearMinutes == null ? null : raisedAt + clearMinutes * MIN,
                ackMinutes == null ? null : new Acknowledgement("thu.nguyen", "", raisedAt + ackMinutes * MIN), null, "", 1);
    }
}
