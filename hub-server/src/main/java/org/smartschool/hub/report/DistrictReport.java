package org.smartschool.hub.report;

import java.util.List;

/** The education department's roll-up: one row of headline figures per school, by school id. */
public record DistrictReport(ReportMonth month, long generatedAt, List<MonthlyReport.Headline> schools) {
}
