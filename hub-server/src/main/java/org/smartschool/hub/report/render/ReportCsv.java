package org.smartschool.hub.report.render;

import java.util.ArrayList;
import java.util.List;

import org.smartschool.hub.api.csv.CsvFormat;
import org.smartschool.hub.report.AlarmStatistics;
import org.smartschool.hub.report.AttendanceRow;
import org.smartschool.hub.report.AvailabilityRow;
import org.smartschool.hub.report.ComplianceRow;
import org.smartschool.hub.report.DistrictReport;
import org.smartschool.hub.report.Durations;
import org.smartschool.hub.report.EnvironmentCompliance;
import org.smartschool.hub.report.MonthlyReport;

/**
 * The monthly report as CSV (RFC 4180, UTF-8): one figure per record, {@code school,month,section,subject,item,
 * metric,value}, so that a spreadsheet filters and pivots it and the schools' files can be concatenated. Shares are
 * ratios (0-1, 4 decimals), times in minutes. The district roll-up has one record per school.
 */
public final class ReportCsv {
    public static final List<String> HEADER = List.of("school", "month", "section", "subject", "item", "metric", "value");
    public static final List<String> DISTRICT_HEADER = List.of("school", "name", "month", "environment_within_share",
            "environment_measured_minutes", "attendance_rate", "attendance_slots", "alarms", "ack_median_minutes",
            "ack_p90_minutes", "clear_median_minutes", "clear_p90_minutes", "gateway_availability", "device_availability");

    private ReportCsv() {
    }

    public static String school(MonthlyReport r) {
        StringBuilder out = new StringBuilder(CsvFormat.record(HEADER));
        Rows rows = new Rows(out, r.school(), r.month().toString());
        rows.add("school", r.school(), "", "name", r.schoolName());
        rows.add("school", r.school(), "", "time_zone", r.month().zone().getId());
        rows.add("school", r.school(), "", "period_minutes", Figures.minutes(r.periodMillis()));
        rows.add("school", r.school(), "", "lesson_minutes", Figures.minutes(r.lessonMillis()));
        rows.add("environment", "*", "*", "within_share", Figures.share(EnvironmentCompliance.overallShare(r.compliance())));
        for (ComplianceRow c : concat(EnvironmentCompliance.bySchool(r.compliance()), r.compliance())) {
            String item = c.quantity().id() + " " + c.rule() + " " + c.limit();
            rows.add("environment", c.room(), item, "within_share", Figures.share(c.withinShare()));
            rows.add("environment", c.room(), item, "within_minutes", Figures.minutes(c.withinMillis()));
            rows.add("environment", c.room(), item, "measured_minutes", Figures.minutes(c.measuredMillis()));
            rows.add("environment", c.room(), item, "coverage", Figures.share(c.coverage()));
        }
        for (AttendanceRow a : concat(List.of(r.attendance().school()), r.attendance().classes())) {
            rows.add("attendance", a.classId(), "", "present", Long.toString(a.present()));
            rows.add("attendance", a.classId(), "", "late", Long.toString(a.late()));
            rows.add("attendance", a.classId(), "", "excused_absence", Long.toString(a.excused()));
            rows.add("attendance", a.classId(), "", "unexcused_absence", Long.toString(a.absent()));
            rows.add("attendance", a.classId(), "", "total", Long.toString(a.total()));
            rows.add("attendance", a.classId(), "", "attendance_rate", Figures.share(a.attendanceRate()));
            rows.add("attendance", a.classId(), "", "late_rate", Figures.share(a.lateRate()));
            rows.add("attendance", a.classId(), "", "excused_rate", Figures.share(a.excusedRate()));
            rows.add("attendance", a.classId(), "", "absent_rate", Figures.share(a.absentRate()));
        }
        AlarmStatistics al = r.alarms();
        rows.add("alarms", "*", "*", "count", Integer.toString(al.total()));
        for (AlarmStatistics.RuleCount c : al.byRule()) {
            rows.add("alarms", c.rule(), c.severity().id(), "count", Integer.toString(c.count()));
        }
        durations(rows, "acknowledge", al.toAcknowledge());
        durations(rows, "clear", al.toClear());
        for (AvailabilityRow a : r.availability()) {
            rows.add("availability", a.kind(), a.id(), "online_share", Figures.share(a.share()));
            rows.add("availability", a.kind(), a.id(), "online_minutes", Figures.minutes(a.onlineMillis()));
        }
        return out.toString();
    }

    public static String district(DistrictReport d) {
        StringBuilder out = new StringBuilder(CsvFormat.record(DISTRICT_HEADER));
        for (MonthlyReport.Headline h : d.schools()) {
            out.append(CsvFormat.record(List.of(h.school(), h.schoolName(), d.month().toString(), Figures.share(h.complianceShare()),
                    Figures.minutes(h.measuredMillis()), Figures.share(h.attendanceRate()), Long.toString(h.attendanceSlots()),
                    Integer.toString(h.alarms()), Figures.minutes(h.toAcknowledge().median()),
                    Figures.minutes(h.toAcknowledge().p90()), Figures.minutes(h.toClear().median()),
                    Figures.minutes(h.toClear().p90()), Figures.share(h.gatewayAvailability()),
                    Figures.share(h.deviceAvailability()))));
        }
        return out.toString();
    }

    private static void durations(Rows rows, String what, Durations d) {
        rows.add("alarms", "*", "*", what + "_count", Integer.toString(d.count()));
        rows.add("alarms", "*", "*", what + "_median_minutes", Figures.minutes(d.median()));
        rows.add("alarms", "*", "*", what + "_p90_minutes", Figures.minutes(d.p90()));
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private record Rows(StringBuilder out, String school, String month) {
        void add(String section, String subject, String item, String metric, String value) {
            out.append(CsvFormat.record(List.of(school, month, section, subject, item, metric, value)));
        }
    }
}
