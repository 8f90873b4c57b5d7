package org.smartschool.hub.report;

import java.util.List;

/**
 * One school's monthly report.
 *
 * @param periodMillis  the time reported: the whole month, or up to the moment it was made for the running month
 * @param lessonMillis  the lesson time of that period ({@link LessonTime})
 * @param compliance    per quantity, room and rule ({@link EnvironmentCompliance})
 * @param availability  gateways first, then devices, each by id
 */
public record MonthlyReport(String school, String schoolName, ReportMonth month, long generatedAt, long periodMillis,
                            long lessonMillis, List<ComplianceRow> compliance, AttendanceSummary attendance,
                            AlarmStatistics alarms, List<AvailabilityRow> availability) {

    /** The headline figures, as the district roll-up lists them. */
    public Headline headline() {
        return new Headline(school, schoolName, EnvironmentCompliance.overallShare(compliance),
                compliance.stream().mapToLong(ComplianceRow::measuredMillis).sum(), attendance.school().attendanceRate(),
                attendance.school().total(), alarms.total(), alarms.toAcknowledge(), alarms.toClear(),
                meanShare(AvailabilityRow.GATEWAY), meanShare(AvailabilityRow.DEVICE));
    }

    /** The mean online share of the gateways or of the devices; NaN with none. */
    public double meanShare(String kind) {
        return availability.stream().filter(r -> r.kind().equals(kind) && r.periodMillis() > 0)
                .mapToDouble(AvailabilityRow::share).average().orElse(Double.NaN);
    }

    /**
     * A school's headline figures.
     *
     * @param complianceShare      within the limits among all lesson time measured, every room and quantity together
     * @param measuredMillis       the lesson time measured, summed over rooms and quantities
     * @param attendanceRate       present or late among all slots
     * @param gatewayAvailability  the mean online share of its gateways
     * @param deviceAvailability   the mean online share of its devices
     */
    public record Headline(String school, String schoolName, double complianceShare, long measuredMillis,
                           double attendanceRate, long attendanceSlots, int alarms, Durations toAcknowledge,
                           Durations toClear, double gatewayAvailability, double deviceAvailability) {
    }
}
