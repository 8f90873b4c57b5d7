package org.smartschool.hub.attendance;

import java.time.LocalDate;

/** One school's attendance of one day over all its classes and sessions: how many slots had each category. */
public record DailyAttendance(String school, LocalDate date, long present, long late, long excusedAbsence,
                              long unexcusedAbsence) {

    public long total() {
        return present + late + excusedAbsence + unexcusedAbsence;
    }

    /** Present or late among all slots decided (0 with none), the attendance rate the district reports. */
    public double rate() {
        long total = total();
        return total == 0 ? 0 : (double) (present + late) / total;
    }
}
