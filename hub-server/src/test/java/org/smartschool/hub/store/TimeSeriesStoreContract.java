package org.smartschool.hub.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.smartschool.bridge.attendance.AttendanceCategory;
import org.smartschool.bridge.attendance.AttendanceMark;
import org.smartschool.bridge.attendance.AttendanceMarks;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.hub.attendance.AttendanceCounts;

/**
 * What every {@link TimeSeriesStore} must do, run against each one (SQLite, InfluxDB) by a subclass
 * that opens a fresh store per test. Each test writes under a school of its own, so a store shared
 * by the tests of a class (one InfluxDB database) gives the same answers as a fresh one.
 *
 * <p>Times are recent (InfluxDB's raw retention policy refuses points older than 90 days) and the
 * base time is on a whole hour, so aggregation steps start where the test expects them.
 */
public abstract class TimeSeriesStoreContract {
    protected static final long MINUTE = 60_000;
    protected static final long HOUR = 3_600_000;
    protected static final String GATEWAY = "gw-contract";

    /** Six hours ago, on the hour. */
    protected final long t0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(6)).toEpochMilli();
    protected String school;
    private int batches;

    /** The store under test, opened for this test. */
    protected abstract TimeSeriesStore store();

    /** Everything the store holds, read around it ({@code StoreContents}): for privacy checks. */
    protected abstract String everythingStored();

    /** Verifies that personal attributes (card uid, card hash, learner id) and attendance events never reach the store, and other events keep the rest. */
    @Test
    void personalDataAndAttendanceEventsNeverReachTheStore() {
        DeviceEvent tap = event("r1", "door-1", EventType.CARD_TAP, t0 + 1_000,
                Map.of("uid", "04:A2:3B:1C:5D:80", "card_number", "0012345678", "card_hash", "hAsH-of-a-card-0123456789abcdefghijklmnopq",
                        "count", "1"));
        DeviceEvent attendance = AttendanceMarks.asEvent(new AttendanceMark("att-contract-1", school, "r7", "door-7",
                "079212345678", "6a", LocalDate.of(2026, 12, 3), "morning", null, AttendanceCategory.LATE,
                AttendanceMark.Cause.TAP, t0 + 2_000));
        store().write(batch(List.of(), List.of(tap, attendance)));

        assertThat(store().events(new EventQuery(school, "r1", t0, t0 + HOUR, 100)))
                .containsExactly(new StoredEvent(tap.id(), "door-1", EventType.CARD_TAP, t0 + 1_000));
        assertThat(store().events(new EventQuery(school, "r7", t0, t0 + HOUR, 100))).as("attendance: counted, not stored").isEmpty();
        assertThat(store().rooms()).filteredOn(r -> r.school().equals(school)).containsExactly(new RoomRef(school, "r1"));
        String everything = everythingStored();
        assertThat(everything).contains(tap.id())
                .doesNotContain("04:A2:3B:1C:5D:80").doesNotContain("0012345678").doesNotContain("hAsH-of-a-card")
                .doesNotContain("079212345678").doesNotContain("att-contract-1");
    }

    /** Verifies that attendance counts of a group are replaced when written again (a correction), kept apart per period, school and day. */
    @Test
    void attendanceCountsOfAGroupAreReplacedWhenWrittenAgain() {
        LocalDate day = LocalDate.now(java.time.ZoneOffset.UTC).minusDays(1);
        AttendanceCounts morning = new AttendanceCounts(school, day, "6a", "morning", null, 30, 2, 1, 3);
        AttendanceCounts lab = new AttendanceCounts(school, day, "10a1-chem", "morning", "p3", 14, 1, 0, 0);
        AttendanceCounts before = new AttendanceCounts(school, day.minusDays(1), "6a", "morning", null, 33, 1, 0, 2);
        AttendanceCounts otherSchool = new AttendanceCounts(school + "-x", day, "6a", "morning", null, 1, 1, 1, 1);
        store().writeAttendance(List.of(morning, lab, before, otherSchool));
        AttendanceCounts corrected = new AttendanceCounts(school, day, "6a", "morning", null, 30, 3, 1, 2);
        store().writeAttendance(List.of(corrected));
        store().writeAttendance(List.of(corrected));

        assertThat(store().attendance(school, day, day)).containsExactly(lab, corrected);
        assertThat(store().attendance(school, day.minusDays(1), day)).containsExactly(before, lab, corrected);
        assertThat(everythingStored()).contains("10a1-chem").contains("p3");
    }

    /** Verifies that a batch written with attendance counts (a batch of decisions) stores both, and its counts replace a group's as on their own. */
    @Test
    void aBatchWithAttendanceCountsStoresBoth() {
        LocalDate day = LocalDate.now(java.time.ZoneOffset.UTC).minusDays(1);
        AttendanceCounts first = new AttendanceCounts(school, day, "6a", "morning", null, 1, 0, 0, 0);
        store().write(batch(List.of(reading("r1", "co2-1", Quantity.CO2, 455, t0 + 1)), List.of()), List.of(first));
        AttendanceCounts second = new AttendanceCounts(school, day, "6a", "morning", null, 1, 1, 0, 0);
        store().write(batch(List.of(), List.of()), List.of(second));

        assertThat(store().readings(window("r1", Quantity.CO2, t0, t0 + HOUR))).containsExactly(new StoredReading("co2-1", 455, t0 + 1));
        assertThat(store().attendance(school, day, day)).containsExactly(second);
    }

    @BeforeEach
    void nameTheSchool(TestInfo test) {
        String method = test.getTestMethod().orElseThrow().getName().toLowerCase(Locale.ROOT);
        school = "s-" + method.substring(0, Math.min(method.length(), 50));
    }

    /**
     * Verifies that a school's step means (the monthly report's query) are each device's mean per step of one quantity,
     * for every room of that school only, ordered by room, device and step, from the window's start on.
     */
    @Test
    void schoolSeriesHasEachDevicesStepMeansOfOneSchoolOnly() {
        store().write(batch(List.of(
                reading("r2", "d1", Quantity.CO2, 600, t0 + 1 * MINUTE),
                reading("r2", "d1", Quantity.CO2, 800, t0 + 14 * MINUTE),
                reading("r2", "d1", Quantity.CO2, 900, t0 + 16 * MINUTE),
                reading("r1", "d2", Quantity.CO2, 1000, t0 + 2 * MINUTE),
                reading("r1", "d1", Quantity.CO2, 400, t0 + 3 * MINUTE),
                reading("r1", "d1", Quantity.TEMPERATURE, 25, t0 + 3 * MINUTE),
                reading("r1", "d1", Quantity.CO2, 5000, t0 - 1)), List.of()));
        String mine = school;
        school = mine + "-other";
        store().write(batch(List.of(reading("r1", "d1", Quantity.CO2, 9999, t0 + 3 * MINUTE)), List.of()));
        school = mine;

        assertThat(store().schoolSeries(new SchoolSeriesQuery(school, Quantity.CO2, t0, t0 + HOUR, Duration.ofMinutes(15))))
                .containsExactly(new DeviceStep("r1", "d1", t0, 400), new DeviceStep("r1", "d2", t0, 1000),
                        new DeviceStep("r2", "d1", t0, 700), new DeviceStep("r2", "d1", t0 + 15 * MINUTE, 900));
        assertThat(store().schoolSeries(new SchoolSeriesQuery(school, Quantity.PM25, t0, t0 + HOUR, Duration.ofMinutes(15))))
                .isEmpty();
        // steps from an offset: 10-minute ones starting 5 minutes after the epoch's multiples
        assertThat(store().schoolSeries(new SchoolSeriesQuery(school, Quantity.CO2, t0, t0 + HOUR, Duration.ofMinutes(10),
                5 * MINUTE))).filteredOn(s -> s.room().equals("r2")).containsExactly(
                        new DeviceStep("r2", "d1", t0 - 5 * MINUTE, 600), new DeviceStep("r2", "d1", t0 + 5 * MINUTE, 800),
                        new DeviceStep("r2", "d1", t0 + 15 * MINUTE, 900));
    }

    protected Batch batch(List<Reading> readings, List<DeviceEvent> events) {
        return new Batch(GATEWAY + "-" + (++batches), GATEWAY, school, readings, events);
    }

    protected Reading reading(String room, String device, Quantity quantity, double value, long timestamp) {
        return Reading.of(new DeviceRef(school, room, device), quantity, value, timestamp);
    }

    protected DeviceEvent event(String room, String device, EventType type, long timestamp, Map<String, String> attributes) {
        return DeviceEvent.of(new DeviceRef(school, room, device), type, timestamp, attributes);
    }

    protected ReadingQuery window(String room, Quantity quantity, Optional<String> device, long from, long to, int limit) {
        return new ReadingQuery(school, room, quantity, device, from, to, limit);
    }

    protected ReadingQuery window(String room, Quantity quantity, long from, long to) {
        return window(room, quantity, Optional.empty(), from, to, 1000);
    }

    /** Verifies that readings come back with the very values and millisecond times that were written. */
    @Test
    void storedReadingsComeBackWithExactValuesAndTimes() {
        store().write(batch(List.of(
                reading("r1", "co2-1", Quantity.CO2, 412.75, t0 + 1),
                reading("r1", "co2-1", Quantity.CO2, 0.1, t0 + 10_001),
                reading("r1", "co2-1", Quantity.CO2, 123456.789, t0 + 20_999),
                reading("r1", "co2-1", Quantity.CO2, 1e-7, t0 + 30_000),
                reading("r1", "th-1", Quantity.TEMPERATURE, -3.25, t0 + 42)), List.of()));

        assertThat(store().readings(window("r1", Quantity.CO2, t0, t0 + HOUR))).containsExactly(
                new StoredReading("co2-1", 412.75, t0 + 1),
                new StoredReading("co2-1", 0.1, t0 + 10_001),
                new StoredReading("co2-1", 123456.789, t0 + 20_999),
                new StoredReading("co2-1", 1e-7, t0 + 30_000));
        assertThat(store().readings(window("r1", Quantity.TEMPERATURE, t0, t0 + HOUR)))
                .containsExactly(new StoredReading("th-1", -3.25, t0 + 42));
    }

    /** Verifies that a batch written twice leaves one copy of each reading and event, and a later value of the same reading overwrites it. */
    @Test
    void replayOverwritesTheSamePointsWithoutDuplicates() {
        Batch batch = batch(List.of(
                reading("r1", "co2-1", Quantity.CO2, 600, t0),
                reading("r1", "co2-1", Quantity.CO2, 610, t0 + 10_000)),
                List.of(event("r1", "door-1", EventType.CARD_TAP, t0 + 1234, Map.of("uid", "04:A2:3B:1C:5D:80"))));

        store().write(batch);
        store().write(batch);

        assertThat(store().readings(window("r1", Quantity.CO2, t0, t0 + HOUR))).containsExactly(
                new StoredReading("co2-1", 600, t0), new StoredReading("co2-1", 610, t0 + 10_000));
        assertThat(store().events(new EventQuery(school, "r1", t0, t0 + HOUR, 100))).containsExactly(
                new StoredEvent(batch.events().get(0).id(), "door-1", EventType.CARD_TAP, t0 + 1234));

        store().write(batch(List.of(reading("r1", "co2-1", Quantity.CO2, 605, t0)), List.of()));

        assertThat(store().readings(window("r1", Quantity.CO2, t0, t0 + HOUR))).containsExactly(
                new StoredReading("co2-1", 605, t0), new StoredReading("co2-1", 610, t0 + 10_000));
    }

    /** Verifies that several quantities of one device at one time are all kept, also when one of them is written again alone. */
    @Test
    void quantitiesOfOneDeviceAtOneTimeAreKeptTogether() {
        store().write(batch(List.of(
                reading("r1", "air-1", Quantity.CO2, 800, t0),
                reading("r1", "air-1", Quantity.TEMPERATURE, 27.5, t0),
                reading("r1", "air-1", Quantity.HUMIDITY, 71, t0)), List.of()));
        store().write(batch(List.of(reading("r1", "air-1", Quantity.HUMIDITY, 72, t0)), List.of()));

        assertThat(store().readings(window("r1", Quantity.CO2, t0, t0 + 1))).containsExactly(new StoredReading("air-1", 800, t0));
        assertThat(store().readings(window("r1", Quantity.TEMPERATURE, t0, t0 + 1)))
                .containsExactly(new StoredReading("air-1", 27.5, t0));
        assertThat(store().readings(window("r1", Quantity.HUMIDITY, t0, t0 + 1))).containsExactly(new StoredReading("air-1", 72, t0));
        assertThat(store().readings(window("r1", Quantity.NOISE, t0, t0 + 1))).isEmpty();
    }

    /**
     * Verifies that two sensors of one quantity in one device (two probes of a lab fridge, two SenML
     * records) stay two series: the second sensor carries its sub-device id ({@code fridge-1.probe-2}).
     */
    @Test
    void twoSensorsOfOneQuantityInOneDeviceStayDistinct() {
        store().write(batch(List.of(
                reading("lab-1", "fridge-1", Quantity.TEMPERATURE, 4.0, t0),
                reading("lab-1", "fridge-1.probe-2", Quantity.TEMPERATURE, 6.5, t0)), List.of()));

        assertThat(store().readings(window("lab-1", Quantity.TEMPERATURE, t0, t0 + 1))).containsExactly(
                new StoredReading("fridge-1", 4.0, t0), new StoredReading("fridge-1.probe-2", 6.5, t0));
        assertThat(store().readings(window("lab-1", Quantity.TEMPERATURE, Optional.of("fridge-1.probe-2"), t0, t0 + 1, 10)))
                .containsExactly(new StoredReading("fridge-1.probe-2", 6.5, t0));
        assertThat(store().readings(window("lab-1", Quantity.TEMPERATURE, Optional.of("fridge-1"), t0, t0 + 1, 10)))
                .containsExactly(new StoredReading("fridge-1", 4.0, t0));
    }

    /** Verifies the half-open window, the oldest-first order and the limit. */
    @Test
    void windowIncludesFromExcludesToAndKeepsTheOldest() {
        store().write(batch(List.of(
                reading("r1", "co2-1", Quantity.CO2, 1, t0 - 1),
                reading("r1", "co2-1", Quantity.CO2, 2, t0),
                reading("r1", "co2-2", Quantity.CO2, 3, t0),
                reading("r1", "co2-1", Quantity.CO2, 4, t0 + HOUR - 1),
                reading("r1", "co2-1", Quantity.CO2, 5, t0 + HOUR)), List.of()));

        assertThat(store().readings(window("r1", Quantity.CO2, t0, t0 + HOUR))).containsExactly(
                new StoredReading("co2-1", 2, t0), new StoredReading("co2-2", 3, t0),
                new StoredReading("co2-1", 4, t0 + HOUR - 1));
        assertThat(store().readings(window("r1", Quantity.CO2, Optional.empty(), t0, t0 + HOUR, 2))).containsExactly(
                new StoredReading("co2-1", 2, t0), new StoredReading("co2-2", 3, t0));
    }

    /** Verifies that a query returns only the room, quantity and device asked for. */
    @Test
    void queryReturnsOnlyTheAskedRoomQuantityAndDevice() {
        store().write(batch(List.of(
                reading("r1", "co2-1", Quantity.CO2, 700, t0),
                reading("r2", "co2-2", Quantity.CO2, 900, t0),
                reading("r1", "co2-1", Quantity.TEMPERATURE, 30, t0),
                reading("r1", "co2-3", Quantity.CO2, 750, t0 + 1)), List.of()));

        assertThat(store().readings(window("r1", Quantity.CO2, t0, t0 + HOUR))).containsExactly(
                new StoredReading("co2-1", 700, t0), new StoredReading("co2-3", 750, t0 + 1));
        assertThat(store().readings(window("r1", Quantity.CO2, Optional.of("co2-3"), t0, t0 + HOUR, 10)))
                .containsExactly(new StoredReading("co2-3", 750, t0 + 1));
        assertThat(store().readings(window("r3", Quantity.CO2, t0, t0 + HOUR))).isEmpty();
    }

    /** Verifies that each event is kept once, with its device, type and time, oldest first. */
    @Test
    void eventsAreKeptOnceInTimeOrder() {
        DeviceEvent open = event("r1", "door-1", EventType.DOOR_OPEN, t0 + 2_000, Map.of());
        DeviceEvent tap = event("r1", "door-1", EventType.CARD_TAP, t0 + 1_000, Map.of("uid", "04:A2:3B:1C:5D:80"));
        DeviceEvent people = event("r1", "cam-1", EventType.PEOPLE_COUNT, t0 + 2_000, Map.of("count", "31"));
        DeviceEvent elsewhere = event("r2", "door-2", EventType.DOOR_OPEN, t0 + 1_500, Map.of());
        store().write(batch(List.of(), List.of(open, tap, people, elsewhere)));
        store().write(batch(List.of(), List.of(tap)));

        assertThat(store().events(new EventQuery(school, "r1", t0, t0 + HOUR, 100))).containsExactly(
                new StoredEvent(tap.id(), "door-1", EventType.CARD_TAP, t0 + 1_000),
                new StoredEvent(people.id(), "cam-1", EventType.PEOPLE_COUNT, t0 + 2_000),
                new StoredEvent(open.id(), "door-1", EventType.DOOR_OPEN, t0 + 2_000));
        assertThat(store().events(new EventQuery(school, "r1", t0, t0 + 1_500, 100))).extracting(StoredEvent::id)
                .containsExactly(tap.id());
    }

    /**
     * Verifies that two events of one device and type at one millisecond are both kept: a smoke detector's
     * message carries its smoke and its tamper alert at one instant, a camera's a people count and a line crossing.
     */
    @Test
    void twoEventsOfOneDeviceAndTypeAtOneInstantAreBothKept() {
        DeviceEvent smoke = event("r1", "smoke-1", EventType.ALERT, t0 + 1_000, Map.of("kind", "smoke", "active", "true"));
        DeviceEvent tamper = event("r1", "smoke-1", EventType.ALERT, t0 + 1_000, Map.of("kind", "tamper", "active", "false"));
        DeviceEvent count = event("r1", "cam-1", EventType.PEOPLE_COUNT, t0 + 2_000, Map.of("kind", "people_count", "count", "31"));
        DeviceEvent crossing = event("r1", "cam-1", EventType.PEOPLE_COUNT, t0 + 2_000, Map.of("kind", "line_crossing", "in", "1"));
        store().write(batch(List.of(), List.of(smoke, tamper, count, crossing)));
        store().write(batch(List.of(), List.of(tamper))); // a replay still overwrites, never duplicates

        assertThat(store().events(new EventQuery(school, "r1", t0, t0 + HOUR, 100)))
                .containsExactlyInAnyOrder(
                        new StoredEvent(smoke.id(), "smoke-1", EventType.ALERT, t0 + 1_000),
                        new StoredEvent(tamper.id(), "smoke-1", EventType.ALERT, t0 + 1_000),
                        new StoredEvent(count.id(), "cam-1", EventType.PEOPLE_COUNT, t0 + 2_000),
                        new StoredEvent(crossing.id(), "cam-1", EventType.PEOPLE_COUNT, t0 + 2_000));
    }

    /** Verifies that the latest value of a room's quantity is the newest by source time, whatever the arrival order. */
    @Test
    void latestValueIsTheNewestBySourceTime() {
        store().write(batch(List.of(
                reading("r1", "co2-1", Quantity.CO2, 700, t0 + 20_000),
                reading("r1", "th-1", Quantity.TEMPERATURE, 27, t0),
                reading("r2", "co2-2", Quantity.CO2, 500, t0)), List.of()));
        // an older batch arriving later (a gateway's backlog) does not replace the newer value
        store().write(batch(List.of(
                reading("r1", "co2-1", Quantity.CO2, 650, t0 + 10_000),
                reading("r1", "co2-9", Quantity.CO2, 900, t0 + 5_000)), List.of()));

        assertThat(store().latestValues().stream().filter(v -> v.school().equals(school)).toList()).containsExactly(
                new LatestValue(school, "r1", Quantity.CO2, "co2-1", 700, t0 + 20_000),
                new LatestValue(school, "r1", Quantity.TEMPERATURE, "th-1", 27, t0),
                new LatestValue(school, "r2", Quantity.CO2, "co2-2", 500, t0));
    }

    /** Verifies that a room is known from its readings or from its events alone. */
    @Test
    void roomsComeFromReadingsAndEvents() {
        store().write(batch(List.of(reading("r1", "co2-1", Quantity.CO2, 700, t0)),
                List.of(event("r2", "door-2", EventType.DOOR_OPEN, t0, Map.of()))));

        assertThat(store().rooms().stream().filter(r -> r.school().equals(school)).toList())
                .containsExactly(new RoomRef(school, "r1"), new RoomRef(school, "r2"));
    }

    /**
     * Verifies that each device of a school is listed once per room with its newest reading or event by
     * source time, whatever the arrival order, and that other schools' devices are not.
     */
    @Test
    void devicesAreListedWithTheirNewestReadingOrEvent() {
        store().write(batch(List.of(
                reading("r1", "co2-1", Quantity.CO2, 700, t0 + 20_000),
                reading("r1", "co2-1", Quantity.HUMIDITY, 60, t0 + 30_000),
                reading("r1", "fridge-1.DS18B20-2", Quantity.TEMPERATURE, 5, t0 + 1_000),
                reading("r2", "th-2", Quantity.TEMPERATURE, 27, t0)),
                List.of(event("r2", "door-2", EventType.DOOR_OPEN, t0 + 40_000, Map.of()))));
        // an older batch arriving later does not move a device's time back; a newer one moves it on
        store().write(batch(List.of(
                reading("r1", "co2-1", Quantity.CO2, 650, t0 + 10_000),
                reading("r2", "th-2", Quantity.TEMPERATURE, 28, t0 + 50_000)), List.of()));
        store().write(new Batch(GATEWAY + "-other", GATEWAY, "other-" + school.substring(0, 20),
                List.of(Reading.of(new DeviceRef("other-" + school.substring(0, 20), "r1", "co2-1"), Quantity.CO2, 1, t0 + 90_000)),
                List.of()));

        assertThat(store().devicesLastSeen(school)).containsExactly(
                new DeviceLastSeen(school, "r1", "co2-1", t0 + 30_000),
                new DeviceLastSeen(school, "r1", "fridge-1.DS18B20-2", t0 + 1_000),
                new DeviceLastSeen(school, "r2", "door-2", t0 + 40_000),
                new DeviceLastSeen(school, "r2", "th-2", t0 + 50_000));
        assertThat(store().devicesLastSeen("s-nothing-here")).isEmpty();
    }

    /**
     * Readings for the aggregation tests: devices a and b in room r1, CO2, over four hours from t0
     * (nothing in the third hour).
     */
    private void writeFourHours() {
        store().write(batch(List.of(
                reading("r1", "a", Quantity.CO2, 400, t0),
                reading("r1", "a", Quantity.CO2, 500, t0 + 10 * MINUTE),
                reading("r1", "b", Quantity.CO2, 450, t0 + 20 * MINUTE),
                reading("r1", "a", Quantity.CO2, 600, t0 + HOUR + 5 * MINUTE),
                reading("r1", "b", Quantity.CO2, 700, t0 + HOUR + 30 * MINUTE),
                reading("r1", "a", Quantity.CO2, 800, t0 + 3 * HOUR + 59 * MINUTE),
                reading("r1", "a", Quantity.TEMPERATURE, 99, t0 + 5 * MINUTE),
                reading("r2", "c", Quantity.CO2, 5000, t0 + 5 * MINUTE)), List.of()));
    }

    private List<SeriesPoint> series(Optional<String> device, long from, Duration step, Aggregation aggregation, int limit) {
        return store().series(new SeriesQuery(window("r1", Quantity.CO2, device, from, t0 + 4 * HOUR, limit), step, aggregation));
    }

    /** Verifies mean, min, max and last per hour over every device of the room, steps without readings left out. */
    @Test
    void aggregatesEachStepInTheStore() {
        writeFourHours();
        Duration hour = Duration.ofHours(1);

        assertThat(series(Optional.empty(), t0, hour, Aggregation.MEAN, 100)).containsExactly(
                new SeriesPoint(t0, 450), new SeriesPoint(t0 + HOUR, 650), new SeriesPoint(t0 + 3 * HOUR, 800));
        assertThat(series(Optional.empty(), t0, hour, Aggregation.MIN, 100)).containsExactly(
                new SeriesPoint(t0, 400), new SeriesPoint(t0 + HOUR, 600), new SeriesPoint(t0 + 3 * HOUR, 800));
        assertThat(series(Optional.empty(), t0, hour, Aggregation.MAX, 100)).containsExactly(
                new SeriesPoint(t0, 500), new SeriesPoint(t0 + HOUR, 700), new SeriesPoint(t0 + 3 * HOUR, 800));
        assertThat(series(Optional.empty(), t0, hour, Aggregation.LAST, 100)).containsExactly(
                new SeriesPoint(t0, 450), new SeriesPoint(t0 + HOUR, 700), new SeriesPoint(t0 + 3 * HOUR, 800));
    }

    /** Verifies the device filter, a shorter step, steps aligned to the epoch (not to from) and the limit on steps. */
    @Test
    void aggregatesOneDeviceAlignsStepsAndLimitsThem() {
        writeFourHours();

        assertThat(series(Optional.of("a"), t0, Duration.ofHours(1), Aggregation.LAST, 100)).containsExactly(
                new SeriesPoint(t0, 500), new SeriesPoint(t0 + HOUR, 600), new SeriesPoint(t0 + 3 * HOUR, 800));
        assertThat(series(Optional.empty(), t0, Duration.ofMinutes(30), Aggregation.MEAN, 100)).containsExactly(
                new SeriesPoint(t0, 450), new SeriesPoint(t0 + HOUR, 600), new SeriesPoint(t0 + HOUR + 30 * MINUTE, 700),
                new SeriesPoint(t0 + 3 * HOUR + 30 * MINUTE, 800));
        // from 00:15: the first step still starts at 00:00 but holds only b's reading of 00:20
        assertThat(series(Optional.empty(), t0 + 15 * MINUTE, Duration.ofHours(1), Aggregation.MEAN, 100))
                .startsWith(new SeriesPoint(t0, 450));
        assertThat(series(Optional.empty(), t0, Duration.ofHours(1), Aggregation.MAX, 2)).containsExactly(
                new SeriesPoint(t0, 500), new SeriesPoint(t0 + HOUR, 700));
    }

    /** Verifies that batches written at the same time from several threads are all stored. */
    @Test
    void concurrentBatchesAreAllStored() throws Exception {
        int threads = 4;
        int batchesPerThread = 5;
        int readingsPerBatch = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String device = "co2-" + t;
                for (int b = 0; b < batchesPerThread; b++) {
                    List<Reading> readings = new ArrayList<>();
                    for (int i = 0; i < readingsPerBatch; i++) {
                        long ts = t0 + (long) (b * readingsPerBatch + i) * 1_000;
                        readings.add(reading("r1", device, Quantity.CO2, 400 + i, ts));
                    }
                    Batch batch = batch(readings, List.of());
                    writes.add(pool.submit(() -> store().write(batch)));
                }
            }
            for (Future<?> write : writes) {
                write.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        List<StoredReading> stored = store().readings(window("r1", Quantity.CO2, Optional.empty(), t0, t0 + HOUR, 10_000));
        assertThat(stored).hasSize(threads * batchesPerThread * readingsPerBatch);
        assertThat(stored.stream().filter(r -> r.device().equals("co2-3") && r.timestamp() == t0 + 249_000).toList())
                .containsExactly(new StoredReading("co2-3", 449, t0 + 249_000));
    }
}
