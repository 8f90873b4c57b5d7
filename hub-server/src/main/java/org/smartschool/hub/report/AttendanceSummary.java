package org.smartschool.hub.report;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.smartschool.hub.attendance.AttendanceCounts;

/**
 * A month of the attendance ledger's counts (one per school day, class, session and period) added up per class and
 * for the school. Each count is one learner's newest decision of one slot, so a corrected decision counts once.
 *
 * @param classes by class id
 * @param school  every class together (class {@code *})
 */
public record AttendanceSummary(List<AttendanceRow> classes, AttendanceRow school) {

    public static AttendanceSummary of(List<AttendanceCounts> counts) {
        Map<String, long[]> byClass = new TreeMap<>();
        long[] all = new long[4];
        for (AttendanceCounts c : counts) {
            long[] acc = byClass.computeIfAbsent(c.classId(), k -> new long[4]);
            add(acc, c);
            add(all, c);
        }
        List<AttendanceRow> rows = byClass.entrySet().stream().map(e -> row(e.getKey(), e.getValue())).toList();
        return new AttendanceSummary(rows, row("*", all));
    }

    private static void add(long[] acc, AttendanceCounts c) {
        acc[0] += c.present();
        acc[1] += c.late();
        acc[2] += c.excusedAbsence();
        acc[3] += c.unexcusedAbsence();
    }

    private static AttendanceRow row(String classId, long[] acc) {
        return new AttendanceRow(classId, acc[0], acc[1], acc[2], acc[3]);
    }
}
