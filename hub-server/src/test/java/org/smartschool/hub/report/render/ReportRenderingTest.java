package org.smartschool.hub.report.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.alarm.Severity;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.gateway.rules.LessonHours;
import org.smartschool.hub.report.AlarmStatistics;
import org.smartschool.hub.report.AttendanceRow;
import org.smartschool.hub.report.AttendanceSummary;
import org.smartschool.hub.report.AvailabilityRow;
import org.smartschool.hub.report.ComplianceRow;
import org.smartschool.hub.report.DistrictReport;
import org.smartschool.hub.report.Durations;
import org.smartschool.hub.report.MonthlyReport;
import org.smartschool.hub.report.ReportMonth;

/**
 * The report's CSV figures, and its PDF as a reader sees it: Poppler's {@code pdftoppm} renders page 1 to PNG (not
 * blank: dark pixels and variance), {@code pdftotext} gives back the Vietnamese school name with its diacritics and
 * the figures, and {@code pdffonts} shows DejaVu Sans embedded. Skipped without Poppler unless
 * {@code SS_TEST_REQUIRE_SERVICES=1} (CI installs {@code poppler-utils}).
 */
@Timeout(60)
class ReportRenderingTest {
    private static final long MIN = 60_000;
    private static final String NAME = "THCS Nguyễn Du";

    @TempDir
    Path dir;

    static MonthlyReport report() {
        ReportMonth month = new ReportMonth(YearMonth.of(2026, 11), LessonHours.VIETNAM);
        long lesson = 21 * 475 * MIN;
        List<ComplianceRow> compliance = List.of(
                new ComplianceRow("r101", Quantity.CO2, "co2", "≤ 1000 ppm", lesson, 70 * MIN, 40 * MIN),
                new ComplianceRow("lab1", Quantity.TEMPERATURE, "lab-fridge", "2–8 Cel", lesson, 30 * MIN, 30 * MIN));
        AttendanceSummary attendance = new AttendanceSummary(List.of(new AttendanceRow("6a", 3, 1, 1, 1),
                new AttendanceRow("7b", 2, 0, 0, 0)), new AttendanceRow("*", 5, 1, 1, 1));
        AlarmStatistics alarms = new AlarmStatistics(List.of(new AlarmStatistics.RuleCount("co2", Severity.WARNING, 2)), 2, 2, 1,
                new Durations(2, 4 * MIN, 10 * MIN), new Durations(1, 30 * MIN, 30 * MIN));
        long period = month.toMillis() - month.fromMillis();
        return new MonthlyReport("thcs-nguyen-du", NAME, month, month.toMillis() + 3_600_000, period, lesson, compliance,
                attendance, alarms, List.of(new AvailabilityRow(AvailabilityRow.GATEWAY, "gw-nguyen-du", period, period - 6 * 3_600_000L),
                new AvailabilityRow(AvailabilityRow.DEVICE, "r101/co2-1", period, period / 2)));
    }

    /** Verifies the CSV's records of a school: one figure each, shares as ratios, times in minutes. */
    @Test
    void theCsvHasOneFigurePerRecord() {
        String csv = ReportCsv.school(report());
        assertThat(csv).startsWith("school,month,section,subject,item,metric,value\r\n")
                .contains("thcs-nguyen-du,2026-11,school,thcs-nguyen-du,,name,THCS Nguyễn Du\r\n")
                .contains("thcs-nguyen-du,2026-11,environment,r101,co2 co2 ≤ 1000 ppm,within_share,0.5714\r\n")
                .contains("thcs-nguyen-du,2026-11,environment,r101,co2 co2 ≤ 1000 ppm,measured_minutes,70\r\n")
                .contains("thcs-nguyen-du,2026-11,environment,*,*,within_share,0.7\r\n")
                .contains("thcs-nguyen-du,2026-11,attendance,*,,attendance_rate,0.75\r\n")
                .contains("thcs-nguyen-du,2026-11,alarms,co2,warning,count,2\r\n")
                .contains("thcs-nguyen-du,2026-11,alarms,*,*,acknowledge_median_minutes,4\r\n")
                .contains("thcs-nguyen-du,2026-11,availability,device,r101/co2-1,online_share,0.5\r\n");
        String district = ReportCsv.district(new DistrictReport(report().month(), 0, List.of(report().headline())));
        assertThat(district.split("\r\n")).containsExactly(String.join(",", ReportCsv.DISTRICT_HEADER),
                "thcs-nguyen-du,THCS Nguyễn Du,2026-11,0.7,100,0.75,8,2,4,10,30,30,0.9917,0.5");
    }

    /** Verifies that the school's PDF renders a page that is not blank and whose text holds the Vietnamese name and the figures. */
    @Test
    void theSchoolPdfRendersWithVietnameseText() throws Exception {
        Path pdf = dir.resolve("report.pdf");
        Files.write(pdf, ReportPdf.school(report()));
        assertNotBlank(pdf);
        String text = pdfText(pdf);
        assertThat(text).contains(NAME).contains("Báo cáo tháng").contains("Chuyên cần").contains("75.0 %")
                .contains("57.1 %").contains("≤ 1000 ppm");
        assertThat(run("pdffonts", pdf.toString())).contains("DejaVuSans").doesNotContain(" no  ");
    }

    /** Verifies the district roll-up's PDF: not blank, one row per school with its Vietnamese name and figures. */
    @Test
    void theDistrictPdfRendersOneRowPerSchool() throws Exception {
        Path pdf = dir.resolve("district.pdf");
        MonthlyReport.Headline other = new MonthlyReport.Headline("th-le-loi", "TH Lê Lợi", 0.9, 600 * MIN, 0.95, 40, 0,
                Durations.NONE, Durations.NONE, 1, 1);
        Files.write(pdf, ReportPdf.district(new DistrictReport(report().month(), 0, List.of(report().headline(), other))));
        assertNotBlank(pdf);
        assertThat(pdfText(pdf)).contains(NAME).contains("TH Lê Lợi").contains("95.0 %").contains("70.0 %");
    }

    private void assertNotBlank(Path pdf) throws Exception {
        requirePoppler();
        Path png = dir.resolve(pdf.getFileName() + "-page1");
        run("pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", pdf.toString(), png.toString());
        Path rendered = png.resolveSibling(png.getFileName() + ".png");
        // kept for a look after the build: target/report-pages/
        Path kept = Path.of("target", "report-pages");
        Files.createDirectories(kept);
        Files.copy(rendered, kept.resolve(rendered.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        BufferedImage image = ImageIO.read(rendered.toFile());
        assertThat(image).isNotNull();
        long dark = 0;
        double sum = 0;
        double squares = 0;
        int n = image.getWidth() * image.getHeight();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                double luminance = 0.299 * ((rgb >> 16) & 0xff) + 0.587 * ((rgb >> 8) & 0xff) + 0.114 * (rgb & 0xff);
                dark += luminance < 128 ? 1 : 0;
                sum += luminance;
                squares += luminance * luminance;
            }
        }
        double mean = sum / n;
        double variance = squares / n - mean * mean;
        assertThat((double) dark / n).as("share of dark pixels on page 1").isGreaterThan(0.005);
        assertThat(variance).as("pixel variance on page 1").isGreaterThan(100);
    }

    private String pdfText(Path pdf) throws Exception {
        requirePoppler();
        return run("pdftotext", "-enc", "UTF-8", "-layout", pdf.toString(), "-");
    }

    private static void requirePoppler() {
        boolean present = Files.isExecutable(Path.of("/usr/bin/pdftoppm")) || onPath("pdftoppm");
        if (!present) {
            String message = "no pdftoppm (Debian: poppler-utils) for the PDF checks";
            if ("1".equals(System.getenv("SS_TEST_REQUIRE_SERVICES"))) {
                Assertions.fail(message + " (SS_TEST_REQUIRE_SERVICES=1: required, not skipped)");
            }
            Assumptions.abort(message);
        }
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        return path != null && java.util.Arrays.stream(path.split(java.io.File.pathSeparator))
                .anyMatch(p -> Files.isExecutable(Path.of(p, command)));
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("%s finished", command[0]).isTrue();
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("%s: %s", command[0], text).isZero();
        return text;
    }
}
