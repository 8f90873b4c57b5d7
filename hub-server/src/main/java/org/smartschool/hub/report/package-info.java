/**
 * Monthly reports for a school and the district roll-up (README, "Monthly reports"): environment compliance over
 * lesson time, attendance rates, alarm counts and response times, equipment availability. The arithmetic lives in
 * plain classes without framework types ({@link org.smartschool.hub.report.EnvironmentCompliance},
 * {@link org.smartschool.hub.report.AttendanceSummary}, {@link org.smartschool.hub.report.AlarmStatistics},
 * {@link org.smartschool.hub.report.Availability}); {@link org.smartschool.hub.report.MonthlyReports} gathers their
 * input from the stores (blocking), and {@code report.render} writes CSV and PDF.
 */
package org.smartschool.hub.report;
