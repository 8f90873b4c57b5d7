package org.smartschool.bridge.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.smartschool.bridge.sim.SchoolTimetable.Phase;
import org.smartschool.bridge.sim.SchoolTimetable.Session;
import org.smartschool.bridge.sim.SchoolTimetable.Slot;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SchoolTimetableTest {

    static long local(String isoLocal) {
        return LocalDateTime.parse(isoLocal).atZone(SchoolTimetable.ZONE).toInstant().toEpochMilli();
    }

    @ParameterizedTest
    @CsvSource({
            // 2026-03-02 is a Monday
            "2026-03-02T06:00, CLOSED, 0",
            "2026-03-02T06:45, ARRIVAL, 0",
            "2026-03-02T07:00, LESSON, 1",
            "2026-03-02T07:44, LESSON, 1",
            "2026-03-02T07:47, SHORT_BREAK, 1",
            "2026-03-02T08:40, LONG_BREAK, 2",
            "2026-03-02T09:45, SHORT_BREAK, 3",
            "2026-03-02T10:50, LESSON, 5",
            "2026-03-02T11:30, DISMISSAL, 5",
            "2026-03-02T12:00, MIDDAY, 0",
            "2026-03-02T13:20, ARRIVAL, 0",
            "2026-03-02T15:10, LONG_BREAK, 2",
            "2026-03-02T16:59, LESSON, 4",
            "2026-03-02T17:05, DISMISSAL, 4",
            "2026-03-02T22:00, CLOSED, 0",
            "2026-03-07T09:00, CLOSED, 0",
            "2026-03-08T14:00, CLOSED, 0"})
    void placesInstantsInTheVietnameseSchoolDay(String at, Phase phase, int period) {
        Slot slot = SchoolTimetable.at(local(at));

        assertThat(slot.phase()).isEqualTo(phase);
        assertThat(slot.period()).isEqualTo(period);
    }

    @Test
    void usesTheSchoolsTimeZoneNotUtc() {
        // 00:10 UTC is 07:10 in Ho Chi Minh City: a lesson
        Slot slot = SchoolTimetable.at(java.time.Instant.parse("2026-03-02T00:10:00Z").toEpochMilli());

        assertThat(slot.phase()).isEqualTo(Phase.LESSON);
        assertThat(slot.session()).isEqualTo(Session.MORNING);
    }
}
