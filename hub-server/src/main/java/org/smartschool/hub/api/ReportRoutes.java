package org.smartschool.hub.api;

import java.time.Clock;
import java.time.YearMonth;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.smartschool.bridge.model.Ids;
import org.smartschool.gateway.rules.LessonHours;
import org.smartschool.hub.api.csv.CsvFormat;
import org.smartschool.hub.report.MonthlyReports;
import org.smartschool.hub.report.ReportMonth;
import org.smartschool.hub.report.render.ReportCsv;
import org.smartschool.hub.report.render.ReportPdf;

/**
 * Monthly reports (README, "Monthly reports"):
 * <ul>
 *   <li>{@code GET /api/v1/reports/monthly?school=S&month=YYYY-MM&format=csv|pdf}: one school's month;</li>
 *   <li>{@code GET /api/v1/reports/monthly/district?month=YYYY-MM&format=csv|pdf}: one row per school (district
 *       roles and the admin: {@code AccessPolicy}).</li>
 * </ul>
 * Without {@code format}, {@code Accept: application/pdf} gives PDF and anything else CSV. A report reads a month of
 * aggregates and takes seconds: it is made on the bounded read pool, off the event loop, and sent whole (a school's
 * PDF is tens of kilobytes). Bad month or format: 400 naming it; a month not begun: 400; unknown school: 404.
 */
public final class ReportRoutes implements RouteGroup {
    private final MonthlyReports reports;
    private final WorkerExecutor worker;
    private final MeterRegistry registry;
    private final Clock clock;

    public ReportRoutes(MonthlyReports reports, WorkerExecutor worker, MeterRegistry registry, Clock clock) {
        this.reports = reports;
        this.worker = worker;
        this.registry = registry;
        this.clock = clock;
        io.micrometer.core.instrument.FunctionCounter.builder("hub.reports.district.school.failures", reports,
                        MonthlyReports::districtSchoolFailures)
                .description("School reports that failed within a district roll-up (each failed its roll-up)").register(registry);
    }

    private enum Format { CSV, PDF }

    /** What a report request ends in: a body, or an error for one parameter. */
    private record Outcome(int status, byte[] body, String error, String parameter) {
        static Outcome ok(byte[] body) {
            return new Outcome(200, body, null, null);
        }

        static Outcome error(int status, String error, String parameter) {
            return new Outcome(status, null, error, parameter);
        }
    }

    @Override
    public void mount(Router router) {
        router.get("/api/v1/reports/monthly").handler(this::school);
        router.get("/api/v1/reports/monthly/district").handler(this::district);
    }

    private void school(RoutingContext rc) {
        String school;
        YearMonth month;
        Format format;
        try {
            school = school(rc.request().getParam("school"));
            month = month(rc.request().getParam("month"));
            format = format(rc);
        } catch (BadParameterException e) {
            Responses.error(rc, 400, e.getMessage(), e.parameter());
            return;
        }
        long started = System.nanoTime();
        worker.executeBlocking(() -> {
            if (!reports.schools().knows(school)) {
                return Outcome.error(404, "unknown school '" + school + "'", "school");
            }
            if (new ReportMonth(month, reports.zoneOf(school)).isFuture(clock.millis())) {
                return Outcome.error(400, "month " + month + " has not started yet", "month");
            }
            var report = reports.school(school, month);
            return Outcome.ok(format == Format.PDF ? ReportPdf.school(report)
                    : ReportCsv.school(report).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }, false).onComplete(result -> answer(rc, result.succeeded() ? result.result() : null, result.cause(), format,
                "report-" + school + "-" + month, "school", started));
    }

    private void district(RoutingContext rc) {
        YearMonth month;
        Format format;
        try {
            month = month(rc.request().getParam("month"));
            format = format(rc);
        } catch (BadParameterException e) {
            Responses.error(rc, 400, e.getMessage(), e.parameter());
            return;
        }
        // the district's schools are in one time zone in practice: Vietnam's unless their rules say otherwise
        if (new ReportMonth(month, LessonHours.VIETNAM).isFuture(clock.millis())) {
            Responses.error(rc, 400, "month " + month + " has not started yet", "month");
            return;
        }
        long started = System.nanoTime();
        worker.executeBlocking(() -> {
            var report = reports.district(month);
            return Outcome.ok(format == Format.PDF ? ReportPdf.district(report)
                    : ReportCsv.district(report).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }, false).onComplete(result -> answer(rc, result.succeeded() ? result.result() : null, result.cause(), format,
                "report-district-" + month, "district", started));
    }

    private void answer(RoutingContext rc, Outcome outcome, Throwable failure, Format format, String filename, String kind,
                        long started) {
        String result = failure != null ? "error" : outcome.status() == 200 ? "ok" : "refused";
        Timer.builder("hub.reports").description("Making a monthly report (school or district), from request to body")
                .tag("kind", kind).tag("format", format.name().toLowerCase(Locale.ROOT)).tag("outcome", result)
                .register(registry).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        if (failure != null) {
            rc.fail(failure);
            return;
        }
        if (outcome.status() != 200) {
            Responses.error(rc, outcome.status(), outcome.error(), outcome.parameter());
            return;
        }
        String extension = format == Format.PDF ? "pdf" : "csv";
        rc.response().setStatusCode(200)
                .putHeader("Content-Type", format == Format.PDF ? ReportPdf.CONTENT_TYPE : CsvFormat.CONTENT_TYPE)
                .putHeader("Content-Disposition", "attachment; filename=\"" + filename + "." + extension + "\"")
                .end(Buffer.buffer(outcome.body()));
    }

    private static String school(String value) {
        if (value == null || value.isEmpty()) {
            throw new BadParameterException("school", "school is required");
        }
        if (!Ids.isValid(value)) {
            throw new BadParameterException("school", "school is not an id");
        }
        return value;
    }

    private static YearMonth month(String value) {
        if (value == null || value.isEmpty()) {
            throw new BadParameterException("month", "month is required (YYYY-MM)");
        }
        try {
            return ReportMonth.parse(value);
        } catch (IllegalArgumentException e) {
            throw new BadParameterException("month", e.getMessage());
        }
    }

    /** {@code format=} wins; else {@code Accept} naming PDF (and not CSV first) gives PDF; else CSV. */
    private static Format format(RoutingContext rc) {
        String value = rc.request().getParam("format");
        if (value != null) {
            return switch (value) {
                case "csv" -> Format.CSV;
                case "pdf" -> Format.PDF;
                default -> throw new BadParameterException("format", "format must be csv or pdf");
            };
        }
        String accept = rc.request().getHeader("Accept");
        if (accept != null) {
            int pdf = accept.indexOf(ReportPdf.CONTENT_TYPE);
            int csv = accept.indexOf("text/csv");
            if (pdf >= 0 && (csv < 0 || pdf < csv)) {
                return Format.PDF;
            }
        }
        return Format.CSV;
    }
}
