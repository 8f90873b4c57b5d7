package org.smartschool.hub.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.alarm.AlarmId;
import org.smartschool.bridge.alarm.AlarmTransition;
import org.smartschool.bridge.alarm.AlarmTransition.Kind;
import org.smartschool.bridge.alarm.Severity;
import org.smartschool.bridge.attendance.AttendanceCategory;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.gateway.config.RulesSettings;
import org.smartschool.gateway.rules.LessonHours;
import org.smartschool.hub.alarm.Acknowledgement;
import org.smartschool.hub.attendance.AttendanceEvent;
import org.smartschool.hub.attendance.AttendanceLedger;
import org.smartschool.hub.config.RegistryConfig;
import org.smartschool.hub.config.StateConfig;
import org.smartschool.hub.fleet.FleetEvent;
import org.smartschool.hub.fleet.FleetEventType;
import org.smartschool.hub.state.StateStores;
import org.smartschool.hub.store.HubStore;
import org.smartschool.hub.store.TimeSeriesStore;

/**
 * A whole monthly report from real stores, run against each time-series store (SQLite, InfluxDB) by a subclass, with
 * the state database (attendance ledger, alarms, fleet events) on SQLite: raw readings with known spans within and
 * outside the limits, during and outside lesson hours, aggregated by the store; attendance decisions; alarms with
 * known raise, acknowledge and clear times; a gateway offline for six hours and a sensor silent for a day.
 *
 * <p>The month is last month in Vietnam (InfluxDB's raw retention keeps 90 days), the data on its first Monday (M),
 * the Tuesday and Wednesday after and the Saturday; each test writes under a school of its own.
 */
public abstract class MonthlyReportStoreContract {
    protected static final long MIN = 60_000;
    private static final long HOUR = 3_600_000;
    private static final String GATEWAY = "gw-report";
    private static final long GRACE = 10 * MIN;

    @TempDir
    Path dir;
    protected String school;
    private StateStores state;
    private HubStore store;
    private int batches;
    private final YearMonth month = YearMonth.now(LessonHours.VIETNAM).minusMonths(1);
    private final LocalDate monday = month.atDay(1).with(TemporalAdjusters.nextOrSame(DayOfWeek.MONDAY));

    /** The time-series store under test, opened for this test. */
    protected abstract TimeSeriesStore openTimeSeries();

    @BeforeEach
    void open() {
        school = "report-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        state = StateStores.open(StateConfig.sqlite(dir.resolve("hub-state.db")), RegistryConfig.DEFAULT,
                dir.resolve("hub-store.db"), Clock.systemUTC());
        store = new HubStore(openTimeSeries(), state.hubState());
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    /** Local time in Vietnam, {@code days} after the month's first Monday. */
    protected long at(int days, int hour, int minute) {
        return ZonedDateTime.of(monday.plusDays(days).atTime(hour, minute), LessonHours.VIETNAM).toInstant().toEpochMilli();
    }

    /** Verifies every figure of a constructed month from the stores: compliance, attendance, alarms and availability. */
    @Test
    void aMonthlyReportFromTheStoresHasTheConstructedFigures() throws Exception {
        writeReadings();
        AttendanceLedger ledger = state.attendanceLedger(s -> false, () -> { });
        ledger.record(List.of(
                decision("e1", "079201000001", "6a", 0, AttendanceCategory.PRESENT),
                decision("e2", "079201000002", "6a", 0, AttendanceCategory.LATE),
                decision("e3", "079201000003", "6a", 0, AttendanceCategory.UNEXCUSED_ABSENCE),
                decision("e4", "079201000001", "6a", 1, AttendanceCategory.PRESENT),
                decision("e5", "079201000002", "6a", 1, AttendanceCategory.PRESENT),
                decision("e6", "079201000003", "6a", 1, AttendanceCategory.EXCUSED_ABSENCE),
                decision("e7", "079201000004", "7b", 0, AttendanceCategory.PRESENT),
                decision("e8", "079201000005", "7b", 0, AttendanceCategory.PRESENT)));
        alarm("r101", "co2-1", "co2", Severity.WARNING, at(0, 7, 45), 4L, 30L);
        alarm("r101", "co2-1", "co2", Severity.WARNING, at(1, 8, 0), 10L, 60L);
        alarm("lab1", "th-1", "temperature", Severity.WARNING, at(1, 9, 5), 2L, null);
        alarm("lab1", "fridge-1", "lab-fridge", Severity.MAJOR, at(2, 10, 0), null, 90L);
        alarm("r101", "co2-1", "co2", Severity.CRITICAL, at(-7, 9, 0), 1L, 5L); // the month before: not counted
        state.fleetEvents().record(new FleetEvent(at(0, 8, 0), GATEWAY, school, FleetEventType.GATEWAY_OFFLINE, "network", null,
                null, "lost"));
        state.fleetEvents().record(new FleetEvent(at(0, 14, 0), GATEWAY, school, FleetEventType.GATEWAY_ONLINE, "back"));
        state.fleetEvents().record(new FleetEvent(at(1, 0, 0), GATEWAY, school, FleetEventType.SENSOR_SILENT, null, "r101",
                "noise-1", "silent"));
        state.fleetEvents().record(new FleetEvent(at(2, 0, 0), GATEWAY, school, FleetEventType.SENSOR_BACK, null, "r101",
                "noise-1", "back"));

        MonthlyReport report = reports().school(school, month);

        ReportMonth m = new ReportMonth(month, LessonHours.VIETNAM);
        long lesson = new LessonTime(LessonHours.vietnameseDefault()).overlapMillis(m.fromMillis(), m.toMillis());
        assertThat(report.schoolName()).isEqualTo("THCS Nguyễn Du");
        assertThat(report.periodMillis()).isEqualTo(m.toMillis() - m.fromMillis());
        assertThat(report.compliance()).containsExactly(
                new org.smartschool.hub.report.ComplianceRow("r101", Quantity.CO2, "co2", "≤ 1000 ppm", lesson, 70 * MIN, 40 * MIN),
                new org.smartschool.hub.report.ComplianceRow("lab1", Quantity.TEMPERATURE, "lab-fridge", "2–8 Cel", lesson, 30 * MIN,
                        30 * MIN),
                new org.smartschool.hub.report.ComplianceRow("lab1", Quantity.TEMPERATURE, "temperature", "18–32 Cel", lesson,
                        30 * MIN, 0),
                new org.smartschool.hub.report.ComplianceRow("r101", Quantity.NOISE, "noise", "≤ 55 dBA", lesson, 90 * MIN, 30 * MIN),
                new org.smartschool.hub.report.ComplianceRow("r101", Quantity.PM25, "pm25", "≤ 15 ug/m3", lesson, 475 * MIN, 0));
        assertThat(report.attendance().classes()).containsExactly(new AttendanceRow("6a", 3, 1, 1, 1),
                new AttendanceRow("7b", 2, 0, 0, 0));
        assertThat(report.attendance().school().attendanceRate()).isEqualTo(0.75);
        assertThat(report.alarms().byRule()).containsExactly(new AlarmStatistics.RuleCount("co2", Severity.WARNING, 2),
                new AlarmStatistics.RuleCount("lab-fridge", Severity.MAJOR, 1),
                new AlarmStatistics.RuleCount("temperature", Severity.WARNING, 1));
        assertThat(report.alarms().toAcknowledge()).isEqualTo(new Durations(3, 4 * MIN, 10 * MIN));
        assertThat(report.alarms().toClear()).isEqualTo(new Durations(3, 60 * MIN, 90 * MIN));

        long month = report.periodMillis();
        assertThat(report.availability()).filteredOn(r -> r.kind().equals(AvailabilityRow.GATEWAY))
                .containsExactly(new AvailabilityRow(AvailabilityRow.GATEWAY, GATEWAY, month, month - 6 * HOUR));
        // silent from Tuesday 00:00 to Wednesday 00:00, then online until its last reading (Wednesday 16:50) and the grace
        long noise = (at(1, 0, 0) - m.fromMillis()) + (at(2, 16, 50) + GRACE - at(2, 0, 0));
        assertThat(report.availability()).filteredOn(r -> r.id().equals("r101/noise-1"))
                .containsExactly(new AvailabilityRow(AvailabilityRow.DEVICE, "r101/noise-1", month, noise));
        assertThat(report.availability()).extracting(AvailabilityRow::id).containsExactly(GATEWAY, "lab1/fridge-1", "lab1/th-1",
                "r101/co2-1", "r101/co2-2", "r101/noise-1", "r101/pm-1");
        assertThat(report.headline().complianceShare()).isEqualTo(100.0 / 695);
    }

    protected MonthlyReports reports() {
        return reports(List.of(school), RULES, SchoolTerms.NONE, 1);
    }

    private static final SchoolRulesSource RULES =
            s -> RulesSettings.defaults().withRoomKinds(Map.of("r101", "classroom", "lab1", "lab"));

    private MonthlyReports reports(List<String> ids, SchoolRulesSource rules, SchoolTerms terms, int parallelism) {
        ReportSchools schools = new ReportSchools() {
            @Override
            public List<String> schools() {
                return ids;
            }

            @Override
            public boolean knows(String s) {
                return ids.contains(s);
            }

            @Override
            public String name(String s) {
                return "THCS Nguyễn Du";
            }

            @Override
            public Set<String> gateways(String s) {
                return Set.of(GATEWAY);
            }
        };
        return new MonthlyReports(store, state.attendanceLedger(s -> false, () -> { }), state.alarms(), state.fleetEvents(),
                schools, rules, Clock.systemUTC(), GRACE, GRACE, terms, parallelism);
    }

    /**
     * Verifies that the school's holiday (the roster's {@code noSchool}: the month's first Monday, when all the CO2
     * and PM2.5 readings are) is not lesson time: those rows measure nothing and the lesson time has 475 minutes less;
     * Tuesday's and Wednesday's rows are unchanged.
     */
    @Test
    void aHolidayOfTheSchoolsTermIsNotLessonTime() {
        writeReadings();
        org.smartschool.hub.roster.Term term = new org.smartschool.hub.roster.Term("HK1", "", month.atDay(1),
                month.atEndOfMonth(), org.smartschool.hub.roster.Term.DEFAULT_DAYS, Set.of(monday));
        SchoolTerms terms = s -> s.equals(school) ? java.util.Optional.of(term) : java.util.Optional.empty();

        MonthlyReport report = reports(List.of(school), RULES, terms, 1).school(school, month);

        ReportMonth m = new ReportMonth(month, LessonHours.VIETNAM);
        long lesson = new LessonTime(LessonHours.vietnameseDefault()).overlapMillis(m.fromMillis(), m.toMillis()) - 475 * MIN;
        assertThat(report.lessonMillis()).isEqualTo(lesson);
        assertThat(report.compliance()).containsExactly(
                new ComplianceRow("r101", Quantity.CO2, "co2", "≤ 1000 ppm", lesson, 0, 0),
                new ComplianceRow("lab1", Quantity.TEMPERATURE, "lab-fridge", "2–8 Cel", lesson, 30 * MIN, 30 * MIN),
                new ComplianceRow("lab1", Quantity.TEMPERATURE, "temperature", "18–32 Cel", lesson, 30 * MIN, 0),
                new ComplianceRow("r101", Quantity.NOISE, "noise", "≤ 55 dBA", lesson, 90 * MIN, 30 * MIN),
                new ComplianceRow("r101", Quantity.PM25, "pm25", "≤ 15 ug/m3", lesson, 0, 0));
        assertThat(report.headline().complianceShare()).isEqualTo(60.0 / 150);
    }

    /**
     * Verifies the concurrent district roll-up: four schools with different months (all the readings, none, the
     * readings and alarms, alarms only) give, by school id, exactly the headlines of their own reports; two schools
     * are made at once (each school's rules wait until two have been asked, so one after another would time out)
     * and never more than two; a school whose report fails fails the roll-up, naming it, and is counted.
     */
    @Test
    void theDistrictRollUpIsMadeConcurrentlyAndEqualsEachSchoolsHeadline() throws Exception {
        String base = school;
        List<String> ids = List.of(base + "-a", base + "-b", base + "-c", base + "-d");
        school = ids.get(0);
        writeReadings();
        school = ids.get(2);
        writeReadings();
        alarm("r101", "co2-1", "co2", Severity.WARNING, at(0, 7, 45), 4L, 30L);
        school = ids.get(3);
        alarm("r101", "co2-1", "co2", Severity.MAJOR, at(1, 8, 0), 10L, null);
        alarm("lab1", "th-1", "temperature", Severity.WARNING, at(1, 9, 5), 2L, 6L);
        school = base;

        java.util.concurrent.CountDownLatch twoAsked = new java.util.concurrent.CountDownLatch(2);
        java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger mostInFlight = new java.util.concurrent.atomic.AtomicInteger();
        SchoolRulesSource waiting = s -> {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                twoAsked.countDown();
                if (!twoAsked.await(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    throw new IllegalStateException("no second school was made at the same time as " + s);
                }
                Thread.sleep(50); // so that a third school, were it let in, would overlap
                return RULES.rulesOf(s);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                inFlight.decrementAndGet();
            }
        };

        DistrictReport district = reports(ids, waiting, SchoolTerms.NONE, 2).district(month);

        MonthlyReports oneByOne = reports(ids, RULES, SchoolTerms.NONE, 1);
        List<MonthlyReport.Headline> expected = new ArrayList<>();
        for (String id : ids) {
            expected.add(oneByOne.school(id, month).headline());
        }
        assertThat(district.schools()).containsExactlyElementsOf(expected);
        assertThat(district.schools()).extracting(MonthlyReport.Headline::school).containsExactlyElementsOf(ids);
        assertThat(district.schools().get(0).complianceShare()).isEqualTo(100.0 / 695);
        assertThat(district.schools().get(1).alarms()).isZero();
        assertThat(district.schools().get(2).alarms()).isEqualTo(1);
        assertThat(district.schools().get(3).alarms()).isEqualTo(2);
        assertThat(mostInFlight.get()).as("bounded by the parallelism").isEqualTo(2);

        SchoolRulesSource failing = s -> {
            if (s.equals(ids.get(2))) {
                throw new IllegalStateException("the state database is gone");
            }
            return RULES.rulesOf(s);
        };
        MonthlyReports broken = reports(ids, failing, SchoolTerms.NONE, 2);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> broken.district(month))
                .isInstanceOf(DistrictReportException.class)
                .hasMessage("the district roll-up of " + month + " failed at school '" + ids.get(2)
                        + "': java.lang.IllegalStateException: the state database is gone");
        assertThat(broken.districtSchoolFailures()).isEqualTo(1);
    }

    /** Two readings a step mostly, so that the step's mean is the store's work. */
    protected void writeReadings() {
        List<Reading> r = new ArrayList<>();
        // CO2 in r101, Monday: 07:00 and 07:15 within, 07:30 out (co2-2 lifts the room's mean to 1050), 07:45 out,
        // 11:15-11:30 within for its 10 lesson minutes; before lessons, at lunch and on Saturday: not counted
        r.add(reading("r101", "co2-1", Quantity.CO2, 1500, at(0, 6, 50)));
        r.add(reading("r101", "co2-1", Quantity.CO2, 700, at(0, 7, 1)));
        r.add(reading("r101", "co2-1", Quantity.CO2, 900, at(0, 7, 8)));
        r.add(reading("r101", "co2-1", Quantity.CO2, 750, at(0, 7, 16)));
        r.add(reading("r101", "co2-1", Quantity.CO2, 850, at(0, 7, 20)));
        r.add(reading("r101", "co2-1", Quantity.CO2, 800, at(0, 7, 31)));
        r.add(reading("r101", "co2-2", Quantity.CO2, 1200, at(0, 7, 33)));
        r.add(reading("r101", "co2-2", Quantity.CO2, 1400, at(0, 7, 40)));
        r.add(reading("r101", "co2-1", Quantity.CO2, 1100, at(0, 7, 46)));
        r.add(reading("r101", "co2-1", Quantity.CO2, 1300, at(0, 7, 50)));
        r.add(reading("r101", "co2-1", Quantity.CO2, 900, at(0, 11, 20)));
        r.add(reading("r101", "co2-1", Quantity.CO2, 1500, at(0, 12, 5)));
        r.add(reading("r101", "co2-1", Quantity.CO2, 1500, at(5, 10, 0)));
        // PM2.5: Monday's day step, from local midnight, has mean 20, above 15: Monday's 475 lesson minutes out. A day
        // step from 00:00 UTC (07:00 local) would leave 06:30 to Sunday's step and give Monday a mean of 10, within
        r.add(reading("r101", "pm-1", Quantity.PM25, 40, at(0, 6, 30)));
        r.add(reading("r101", "pm-1", Quantity.PM25, 10, at(0, 8, 0)));
        r.add(reading("r101", "pm-1", Quantity.PM25, 10, at(0, 9, 0)));
        // the lab on Tuesday 09:00-09:30: its fridge within 2-8, its thermometer above 32
        for (int minute : new int[] {5, 20}) {
            r.add(reading("lab1", "fridge-1", Quantity.TEMPERATURE, 5, at(1, 9, minute)));
            r.add(reading("lab1", "th-1", Quantity.TEMPERATURE, 35, at(1, 9, minute)));
        }
        // noise, hourly means on Wednesday: 13:00 (50, 30 lesson minutes) within, 16:00 (58 and 62: 60) out
        r.add(reading("r101", "noise-1", Quantity.NOISE, 48, at(2, 13, 10)));
        r.add(reading("r101", "noise-1", Quantity.NOISE, 52, at(2, 13, 40)));
        r.add(reading("r101", "noise-1", Quantity.NOISE, 58, at(2, 16, 10)));
        r.add(reading("r101", "noise-1", Quantity.NOISE, 62, at(2, 16, 50)));
        store.storeBatch(new Batch(GATEWAY + "-" + (++batches), GATEWAY, school, r, List.of()));
    }

    private Reading reading(String room, String device, Quantity quantity, double value, long at) {
        return Reading.of(new DeviceRef(school, room, device), quantity, value, at);
    }

    private AttendanceEvent decision(String id, String learner, String classId, int day, AttendanceCategory category) {
        return new AttendanceEvent(school + "-" + id, school, learner, classId, monday.plusDays(day), "morning", null, category,
                at(day, 7, 5));
    }

    private void alarm(String room, String device, String rule, Severity severity, long raisedAt, Long ackMinutes,
                       Long clearMinutes) throws Exception {
        String id = AlarmId.of(school, room + "/" + device, rule, raisedAt);
        state.alarms().apply(new AlarmTransition(id, school, room, device, rule, Kind.RAISED, severity, raisedAt, raisedAt, 1,
                "raised"));
        if (ackMinutes != null) {
            state.alarms().acknowledge(id, new Acknowledgement("thu.nguyen", "", raisedAt + ackMinutes * MIN));
        }
        if (clearMinutes != null) {
            state.alarms().apply(new AlarmTransition(id, school, room, device, rule, Kind.CLEARED, severity, raisedAt,
                    raisedAt + clearMinutes * MIN, 1, "cleared"));
        }
    }
}
