package org.smartschool.bridge.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smartschool.bridge.sim.SchoolTimetableTest.local;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.sim.SchoolTimetable.Lesson;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LabDevicesTest {
    private static final long MONDAY = local("2026-03-02T00:00");
    private static final long WEDNESDAY = local("2026-03-04T00:00");

    /** Two school days of the lab's traffic, decoded. */
    private static DecodedTraffic lab(long seed) {
        SchoolSimulation sim = new SchoolSimulation("thcs-a", 1, seed, MONDAY);
        return DecodedTraffic.decode(sim, sim.messagesUntil(WEDNESDAY), m -> m.topic().contains("/lab/"));
    }

    private static boolean inLabLesson(long seed, long at) {
        return new LabSchedule(Seeds.mix(seed, "thcs-a")).inLesson(at);
    }

    @Test
    void theLabFridgeStaysBetweenTwoAndEightCelsiusAndWarmsBrieflyWhenItsDoorOpens() {
        for (long seed : new long[] {1, 2, 3}) {
            DecodedTraffic traffic = lab(seed);
            List<Reading> fridge = traffic.readings("lab-fridge", Quantity.TEMPERATURE);

            assertThat(fridge).hasSize(2 * 24 * 60);
            assertThat(fridge).allSatisfy(r -> assertThat(r.value()).isBetween(2.0, 8.0));
            double nightMax = fridge.stream().filter(r -> SchoolTimetable.at(r.timestamp()).phase() == SchoolTimetable.Phase.CLOSED)
                    .mapToDouble(Reading::value).max().orElseThrow();
            double lessonMax = fridge.stream().filter(r -> inLabLesson(seed, r.timestamp()))
                    .mapToDouble(Reading::value).max().orElseThrow();
            // the thermostat cycles 3.0-5.5 Cel; door openings in lab lessons add 1-2 Cel for a few minutes
            assertThat(nightMax).as("seed %d", seed).isBetween(5.0, 5.8);
            assertThat(lessonMax).as("seed %d", seed).isGreaterThan(nightMax + 0.5);
            assertThat(fridge.stream().mapToDouble(Reading::value).min().orElseThrow()).isBetween(2.5, 3.3);
        }
    }

    @Test
    void theFumeHoodHoldsItsFaceVelocityWhileTheFanRunsAndReadsStillAirWhenItIsOff() {
        DecodedTraffic traffic = lab(5);
        List<Reading> hood = traffic.readings("lab-hood", Quantity.AIR_VELOCITY);

        assertThat(hood).hasSize(2 * 24 * 120);
        List<Reading> running = hood.stream().filter(r -> FumeHood.fanOn(r.timestamp())).toList();
        assertThat(running).hasSize(2 * (10 * 120 + 60));
        assertThat(running).allSatisfy(r -> assertThat(r.value()).isBetween(0.38, 0.62));
        assertThat(running.stream().filter(r -> r.value() >= 0.4 && r.value() <= 0.6).count()).isGreaterThan(running.size() * 95L / 100);
        assertThat(hood.stream().filter(r -> !FumeHood.fanOn(r.timestamp()))).allSatisfy(r -> assertThat(r.value()).isBetween(0.0, 0.01));
        // the sash moves during lab lessons, so the velocity varies more then
        assertThat(spread(running.stream().filter(r -> inLabLesson(5, r.timestamp())).toList()))
                .isGreaterThan(spread(running.stream().filter(r -> !inLabLesson(5, r.timestamp())).toList()) + 0.04);
    }

    private static double spread(List<Reading> readings) {
        return readings.stream().mapToDouble(Reading::value).max().orElseThrow()
                - readings.stream().mapToDouble(Reading::value).min().orElseThrow();
    }

    @Test
    void theGasDetectorReadsNearZeroAndSeesARareSmallLeakOverALongRun() {
        long seed = Seeds.mix(3, "thcs-a");
        LabSchedule labs = new LabSchedule(seed);
        GasDetector detector = new GasDetector(labs, seed, MONDAY);
        List<GasDetector.Leak> leaks = new ArrayList<>();
        LocalDate day = LocalDate.of(2026, 3, 2);
        for (int i = 0; i < 140; i++, day = day.plusDays(1)) { // 100 school days
            GasDetector.Leak leak = detector.leakOn(day);
            if (leak != null) {
                leaks.add(leak);
                assertThat(leak.peak()).isBetween(3.0, 12.0);
                assertThat(labs.lessons(day)).anyMatch(l -> l.contains(leak.start()));
            }
        }
        assertThat(leaks).hasSizeBetween(2, 16);

        // one leak, measured: up over 4 minutes to its peak, back to 0 within the hour, never at the 15 %LEL alarm
        GasDetector.Leak leak = leaks.get(0);
        List<double[]> around = new ArrayList<>();
        GasDetector fresh = new GasDetector(labs, seed, leak.start() - 3_600_000);
        for (long t = leak.start() - 600_000; t < leak.start() + 3_600_000; t += 60_000) {
            around.add(fresh.measure(t));
        }
        double peak = around.stream().mapToDouble(v -> v[0]).max().orElseThrow();
        assertThat(peak).isBetween(Math.floor(leak.peak()) - 1, Math.ceil(leak.peak()) + 1);
        assertThat(around.get(0)[0]).isLessThanOrEqualTo(1);
        assertThat(around.get(around.size() - 1)[0]).isLessThanOrEqualTo(1);
        assertThat(around).allSatisfy(v -> assertThat(v[1]).isZero());
    }

    @Test
    void theGasAndSmokeDetectorsReportNoAlarmOnACleanDay() {
        DecodedTraffic traffic = lab(7);

        List<Reading> gas = traffic.readings("lab-gas", Quantity.GAS);
        assertThat(gas).hasSize(2 * 24 * 60).allSatisfy(r -> assertThat(r.value()).isBetween(0.0, 12.0));
        List<DeviceEvent> alerts = traffic.events().stream().filter(e -> e.type() == EventType.ALERT).toList();
        assertThat(alerts).extracting(e -> e.attributes().get("kind")).containsOnly("gas", "smoke", "tamper");
        assertThat(alerts).allSatisfy(e -> assertThat(e.attributes().get("active")).isEqualTo("false"));
        assertThat(alerts.stream().filter(e -> e.device().equals("lab-smoke") && e.attributes().get("kind").equals("smoke")))
                .hasSize(2 * 24 * 6);
    }

    @Test
    void theLabIsUsedInAboutFourLessonsOfTen() {
        LabSchedule labs = new LabSchedule(Seeds.mix(1, "thcs-a"));
        int lessons = 0;
        int used = 0;
        LocalDate day = LocalDate.of(2026, 3, 2);
        for (int i = 0; i < 28; i++, day = day.plusDays(1)) {
            lessons += SchoolTimetable.lessons(day).size();
            for (Lesson lesson : labs.lessons(day)) {
                assertThat(SchoolTimetable.lessons(day)).contains(lesson);
                used++;
            }
        }
        assertThat(lessons).isEqualTo(20 * 9);
        assertThat((double) used / lessons).isBetween(0.3, 0.5);
    }
}
