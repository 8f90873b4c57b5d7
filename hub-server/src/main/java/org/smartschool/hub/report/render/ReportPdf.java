package org.smartschool.hub.report.render;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

import com.lowagie.text.Document;
import com.lowagie.text.Element;
import com.lowagie.text.Font;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.pdf.BaseFont;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfWriter;
import org.smartschool.hub.report.AlarmStatistics;
import org.smartschool.hub.report.AttendanceRow;
import org.smartschool.hub.report.AvailabilityRow;
import org.smartschool.hub.report.ComplianceRow;
import org.smartschool.hub.report.DistrictReport;
import org.smartschool.hub.report.Durations;
import org.smartschool.hub.report.EnvironmentCompliance;
import org.smartschool.hub.report.MonthlyReport;

/**
 * The monthly report as PDF (OpenPDF), labels in Vietnamese and English. The text is set in DejaVu Sans, embedded
 * (subset) from the hub's jar, so Vietnamese school names and labels render the same on every reader.
 */
public final class ReportPdf {
    public static final String CONTENT_TYPE = "application/pdf";
    private static final String FONTS = "/org/smartschool/hub/report/fonts/";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    /** Figures are right-aligned: {@code 12}, {@code 57.1 %}, {@code 4 min}, {@code –}; ids such as {@code 6a} are not. */
    private static final java.util.regex.Pattern NUMBER = java.util.regex.Pattern.compile("[0-9]+(\\.[0-9]+)?( %| min)?|–");
    private static final java.awt.Color HEAD = new java.awt.Color(0xE4, 0xEC, 0xF4);

    private final Font title;
    private final Font heading;
    private final Font text;
    private final Font small;
    private final Font bold;

    private ReportPdf() {
        BaseFont regular = font("DejaVuSans.ttf");
        BaseFont strong = font("DejaVuSans-Bold.ttf");
        title = new Font(strong, 16);
        heading = new Font(strong, 12);
        text = new Font(regular, 9);
        small = new Font(regular, 7.5f);
        bold = new Font(strong, 9);
    }

    public static byte[] school(MonthlyReport r) {
        return new ReportPdf().schoolReport(r);
    }

    public static byte[] district(DistrictReport d) {
        return new ReportPdf().districtReport(d);
    }

    private byte[] schoolReport(MonthlyReport r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Document doc = new Document(PageSize.A4, 36, 36, 36, 36);
        PdfWriter.getInstance(doc, out);
        doc.addTitle("Báo cáo tháng " + r.month() + " – " + r.schoolName());
        doc.addCreator("smart-school hub");
        doc.open();
        doc.add(new Paragraph("Báo cáo tháng / Monthly report " + r.month(), title));
        doc.add(new Paragraph(r.schoolName() + " (" + r.school() + ")", heading));
        ZoneId zone = r.month().zone();
        doc.add(new Paragraph("Múi giờ / Time zone: " + zone.getId() + "   ·   Lập lúc / Generated: "
                + STAMP.format(Instant.ofEpochMilli(r.generatedAt()).atZone(zone)) + "   ·   Giờ học / Lesson hours: "
                + Figures.hours(r.lessonMillis()) + " h", small));

        MonthlyReport.Headline h = r.headline();
        section(doc, "Tóm tắt / Summary");
        PdfPTable summary = table(new float[] {3, 1.4f});
        pair(summary, "Thời gian học trong giới hạn môi trường / Lesson time within environment limits", Figures.percent(h.complianceShare()));
        pair(summary, "Tỉ lệ chuyên cần (có mặt hoặc muộn) / Attendance rate (present or late)", Figures.percent(h.attendanceRate()));
        pair(summary, "Số cảnh báo / Alarms", Integer.toString(h.alarms()));
        pair(summary, "Thời gian xác nhận, trung vị / Time to acknowledge, median", minutes(h.toAcknowledge().median()));
        pair(summary, "Thời gian khắc phục, trung vị / Time to clear, median", minutes(h.toClear().median()));
        pair(summary, "Sẵn sàng của gateway / Gateway availability", Figures.percent(h.gatewayAvailability()));
        pair(summary, "Sẵn sàng của thiết bị / Device availability", Figures.percent(h.deviceAvailability()));
        doc.add(summary);

        section(doc, "Môi trường trong giờ học / Environment during lessons");
        PdfPTable env = table(new float[] {1.3f, 1.3f, 1.3f, 1.4f, 1.1f, 1.1f, 1f});
        header(env, "Phòng / Room", "Đại lượng / Quantity", "Quy tắc / Rule", "Giới hạn / Limit", "Trong giới hạn / Within",
                "Đo được / Measured (h)", "Phủ / Coverage");
        for (ComplianceRow c : concat(EnvironmentCompliance.bySchool(r.compliance()), r.compliance())) {
            cells(env, c.room().equals("*") ? "Toàn trường / School" : c.room(), c.quantity().id(), c.rule(), c.limit(),
                    Figures.percent(c.withinShare()), Figures.hours(c.measuredMillis()), Figures.percent(c.coverage()));
        }
        empty(env, r.compliance().isEmpty(), 7);
        doc.add(env);

        section(doc, "Chuyên cần / Attendance");
        PdfPTable att = table(new float[] {1.4f, 1, 1, 1.2f, 1.2f, 1, 1.1f});
        header(att, "Lớp / Class", "Có mặt / Present", "Muộn / Late", "Vắng có phép / Excused", "Vắng không phép / Absent",
                "Tổng / Slots", "Tỉ lệ / Rate");
        for (AttendanceRow a : concat(r.attendance().classes(), List.of(r.attendance().school()))) {
            cells(att, a.classId().equals("*") ? "Toàn trường / School" : a.classId(), Long.toString(a.present()),
                    Long.toString(a.late()), Long.toString(a.excused()), Long.toString(a.absent()), Long.toString(a.total()),
                    Figures.percent(a.attendanceRate()));
        }
        doc.add(att);

        section(doc, "Cảnh báo / Alarms");
        AlarmStatistics al = r.alarms();
        PdfPTable alarms = table(new float[] {2, 1.2f, 1});
        header(alarms, "Quy tắc / Rule", "Mức / Severity", "Số lượng / Count");
        for (AlarmStatistics.RuleCount c : al.byRule()) {
            cells(alarms, c.rule(), c.severity().id(), Integer.toString(c.count()));
        }
        cells(alarms, "Tổng / Total", "", Integer.toString(al.total()));
        doc.add(alarms);
        PdfPTable response = table(new float[] {2.2f, 1, 1, 1});
        header(response, "Thời gian phản hồi / Response time", "Số / Count", "Trung vị / Median", "P90");
        durations(response, "Phát sinh → xác nhận / Raised → acknowledged", al.toAcknowledge());
        durations(response, "Phát sinh → hết / Raised → cleared", al.toClear());
        doc.add(response);

        section(doc, "Sẵn sàng của thiết bị / Equipment availability");
        PdfPTable avail = table(new float[] {1, 3, 1.2f, 1.2f});
        header(avail, "Loại / Kind", "Mã / Id", "Trực tuyến / Online (h)", "Tỉ lệ / Share");
        for (AvailabilityRow a : r.availability()) {
            cells(avail, a.kind(), a.id(), Figures.hours(a.onlineMillis()), Figures.percent(a.share()));
        }
        empty(avail, r.availability().isEmpty(), 4);
        doc.add(avail);
        doc.close();
        return out.toByteArray();
    }

    private byte[] districtReport(DistrictReport d) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Document doc = new Document(PageSize.A4.rotate(), 30, 30, 30, 30);
        PdfWriter.getInstance(doc, out);
        doc.addTitle("Báo cáo tháng " + d.month() + " – toàn quận/huyện");
        doc.addCreator("smart-school hub");
        doc.open();
        doc.add(new Paragraph("Báo cáo tháng toàn quận/huyện / District monthly report " + d.month(), title));
        doc.add(new Paragraph("Lập lúc / Generated: " + STAMP.format(Instant.ofEpochMilli(d.generatedAt()).atZone(d.month().zone()))
                + " (" + d.month().zone().getId() + ")   ·   Số trường / Schools: " + d.schools().size(), small));
        doc.add(new Paragraph(" ", small));
        PdfPTable t = table(new float[] {2.6f, 1.1f, 1.1f, 1, 0.8f, 1.1f, 1.1f, 1.1f, 1.1f});
        header(t, "Trường / School", "Môi trường / Environment within", "Chuyên cần / Attendance", "Lượt / Slots",
                "Cảnh báo / Alarms", "Xác nhận, trung vị / Ack median", "Khắc phục, trung vị / Clear median",
                "Gateway", "Thiết bị / Devices");
        for (MonthlyReport.Headline h : d.schools()) {
            cells(t, h.schoolName() + " (" + h.school() + ")", Figures.percent(h.complianceShare()),
                    Figures.percent(h.attendanceRate()), Long.toString(h.attendanceSlots()), Integer.toString(h.alarms()),
                    minutes(h.toAcknowledge().median()), minutes(h.toClear().median()), Figures.percent(h.gatewayAvailability()),
                    Figures.percent(h.deviceAvailability()));
        }
        empty(t, d.schools().isEmpty(), 9);
        doc.add(t);
        doc.close();
        return out.toByteArray();
    }

    private void section(Document doc, String name) {
        Paragraph p = new Paragraph(name, heading);
        p.setSpacingBefore(10);
        p.setSpacingAfter(4);
        doc.add(p);
    }

    private static PdfPTable table(float[] widths) {
        PdfPTable t = new PdfPTable(widths);
        t.setWidthPercentage(100);
        t.setHeaderRows(1);
        return t;
    }

    private void header(PdfPTable t, String... names) {
        for (String n : names) {
            PdfPCell cell = new PdfPCell(new Phrase(n, bold));
            cell.setBackgroundColor(HEAD);
            t.addCell(cell);
        }
    }

    private void cells(PdfPTable t, String... values) {
        for (String v : values) {
            PdfPCell cell = new PdfPCell(new Phrase(v, text));
            if (NUMBER.matcher(v).matches()) {
                cell.setHorizontalAlignment(Element.ALIGN_RIGHT);
            }
            t.addCell(cell);
        }
    }

    private void pair(PdfPTable t, String label, String value) {
        t.addCell(new PdfPCell(new Phrase(label, text)));
        PdfPCell cell = new PdfPCell(new Phrase(value, bold));
        cell.setHorizontalAlignment(Element.ALIGN_RIGHT);
        t.addCell(cell);
    }

    private void empty(PdfPTable t, boolean none, int columns) {
        if (none) {
            PdfPCell cell = new PdfPCell(new Phrase("Không có dữ liệu / No data", text));
            cell.setColspan(columns);
            t.addCell(cell);
        }
    }

    private void durations(PdfPTable t, String label, Durations d) {
        cells(t, label, Integer.toString(d.count()), minutes(d.median()), minutes(d.p90()));
    }

    private static String minutes(long millis) {
        return millis < 0 ? "–" : Figures.minutes(millis) + " min";
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new java.util.ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static BaseFont font(String name) {
        try (InputStream in = ReportPdf.class.getResourceAsStream(FONTS + name)) {
            if (in == null) {
                throw new IllegalStateException("the report font " + name + " is missing from the jar");
            }
            return BaseFont.createFont(name, BaseFont.IDENTITY_H, BaseFont.EMBEDDED, true, in.readAllBytes(), null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the report font " + name, e);
        }
    }
}
