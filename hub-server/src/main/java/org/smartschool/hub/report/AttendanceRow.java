package org.smartschool.hub.report;

/**
 * One class's (or the whole school's, class {@code *}) attendance over the month: how many learner slots (a learner
 * in a session or period) had each category. Rates are shares of all slots decided.
 */
public record AttendanceRow(String classId, long present, long late, long excused, long absent) {

    public long total() {
        return present + late + excused + absent;
    }

    /** Present or late among all slots: the attendance rate the district reports; NaN with none. */
    public double attendanceRate() {
        return share(present + late);
    }

    public double presentRate() {
        return share(present);
    }

    public double lateRate() {
        return share(late);
    }

    public double excusedRate() {
        return share(excused);
    }

    /** Absent without excuse. */
    public double absentRate() {
        return share(absent);
    }

    private double share(long n) {
        long total = total();
        return total == 0 ? Double.NaN : (double) n / total;
    }
}
