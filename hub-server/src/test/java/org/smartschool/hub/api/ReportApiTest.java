package org.smartschool.hub.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.hub.app.Hub;
import org.smartschool.hub.auth.Role;
import org.smartschool.hub.testsupport.Http;
import org.smartschool.hub.testsupport.HubFixture;
import org.smartschool.hub.testsupport.Poll;
import org.smartschool.hub.testsupport.TestAuth;

/**
 * The monthly report routes on the real hub and its HTTP server: CSV and PDF by {@code format} or {@code Accept},
 * figures from the attendance ledger, 400 naming a bad month or format, a month not begun, 404 for an unknown school;
 * a school's user is refused another school's report and the district roll-up; the district gets it; the timer in
 * {@code /metrics}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ReportApiTest {
    private static final String SCHOOL = HubFixture.SCHOOL_1;
    private static final String OTHER = HubFixture.SCHOOL_2;
    private static final String MONTH = "2025-03";

    @TempDir
    Path dir;
    private Hub hub;

    @AfterEach
    void stop() throws Exception {
        if (hub != null) {
            HubFixture.await(hub.close());
        }
    }

    private static String decision(String id, String learner, String category) {
        return new JsonObject().put("eventId", id).put("school", SCHOOL).put("learnerId", learner).put("classId", "6a")
                .put("date", "2025-03-10").put("session", "morning").put("category", category)
                .put("at", "2025-03-10T00:02:00Z").encode();
    }

    /** Verifies CSV and PDF answers with their content types and figures, and every refusal with its status and parameter. */
    @Test
    void reportsAreServedAsCsvOrPdfAndBadRequestsNameTheirParameter(Vertx vertx) throws Exception {
        hub = HubFixture.start(vertx, HubFixture.config(dir));
        Http admin = Http.admin(hub);
        assertThat(admin.send("POST", "/api/v1/attendance/events", decision("r-1", "079201000001", "present")).status())
                .isEqualTo(202);
        assertThat(admin.send("POST", "/api/v1/attendance/events", decision("r-2", "079201000002", "unexcused_absence")).status())
                .isEqualTo(202);
        String url = "/api/v1/reports/monthly?school=" + SCHOOL + "&month=" + MONTH;

        Http.Response csv = admin.get(url + "&format=csv");
        assertThat(csv.status()).as(csv.body()).isEqualTo(200);
        assertThat(csv.contentType()).isEqualTo("text/csv; charset=utf-8; header=present");
        assertThat(csv.body()).startsWith("school,month,section,subject,item,metric,value\r\n")
                .contains(SCHOOL + "," + MONTH + ",attendance,6a,,present,1\r\n")
                .contains(SCHOOL + "," + MONTH + ",attendance,*,,attendance_rate,0.5\r\n");

        HttpResponse<String> pdf = admin.get(url, "application/pdf");
        assertThat(pdf.statusCode()).isEqualTo(200);
        assertThat(pdf.headers().firstValue("Content-Type")).hasValue("application/pdf");
        assertThat(pdf.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"report-" + SCHOOL + "-"
                + MONTH + ".pdf\"");
        assertThat(pdf.body()).startsWith("%PDF-");
        assertThat(admin.get(url, "text/csv, application/pdf;q=0.5").headers().firstValue("Content-Type"))
                .hasValue("text/csv; charset=utf-8; header=present");

        refused(admin, url + "&format=xml", 400, "format");
        refused(admin, "/api/v1/reports/monthly?school=" + SCHOOL + "&month=2025-13", 400, "month");
        refused(admin, "/api/v1/reports/monthly?school=" + SCHOOL, 400, "month");
        refused(admin, "/api/v1/reports/monthly?school=" + SCHOOL + "&month=2999-01", 400, "month");
        refused(admin, "/api/v1/reports/monthly?month=" + MONTH, 400, "school");
        refused(admin, "/api/v1/reports/monthly?school=thcs-nowhere&month=" + MONTH, 404, "school");
        refused(admin, "/api/v1/reports/monthly/district?month=2999-01", 400, "month");
        refused(admin, "/api/v1/reports/monthly/district?month=" + MONTH + "&format=docx", 400, "format");

        assertThat(admin.metric("hub_reports_seconds_count{format=\"csv\",kind=\"school\",outcome=\"ok\"}")).isGreaterThanOrEqualTo(2);
        assertThat(admin.metric("hub_reports_seconds_count{format=\"pdf\",kind=\"school\",outcome=\"ok\"}")).isEqualTo(1);
        assertThat(admin.metric("hub_reports_district_school_failures_total")).as("no school failed a roll-up").isZero();
    }

    /**
     * Verifies that the running hub takes the school's term from its imported roster (school-01's example: Monday to
     * Saturday, 20 November 2026 a holiday): November 2026's lesson time is 24 days of 475 minutes, not the 25
     * weekdays of the lesson hours; a school without a roster keeps the default (21 days, Monday to Friday).
     */
    @Test
    void theImportedRostersHolidaysAreNotLessonTime(Vertx vertx) throws Exception {
        String token = "report-roster-token-0123456789";
        hub = HubFixture.start(vertx, HubFixture.config(dir).withRegistry(new org.smartschool.hub.config.RegistryConfig(
                org.smartschool.hub.testsupport.Inventories.example().toString(), token)));
        byte[] zip = org.smartschool.hub.roster.RosterExamples.zip(org.smartschool.hub.roster.RosterExamples.csv());
        HttpResponse<String> imported = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + hub.httpPort() + "/api/v1/schools/school-01/roster"))
                .header("Content-Type", "application/zip").header("Authorization", "Bearer " + token)
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofByteArray(zip)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
        Http admin = Http.admin(hub);

        // the hub takes an imported roster's timetable (Monday to Saturday) into the school's rules after the import's
        // answer (a refresh on the state worker); the term's holiday is known at once: wait for both
        String url = "/api/v1/reports/monthly?school=school-01&month=2026-11&format=csv";
        String mondayToSaturday = "school-01,2026-11,school,school-01,,lesson_minutes," + 24 * 475 + "\r\n";
        Poll.until(Duration.ofSeconds(10), "the report on the imported roster's term and days",
                () -> admin.get(url).body().contains(mondayToSaturday));
        Http.Response csv = admin.get(url);
        assertThat(csv.status()).as(csv.body()).isEqualTo(200);
        assertThat(csv.body()).contains(mondayToSaturday);
        Http.Response other = admin.get("/api/v1/reports/monthly?school=school-02&month=2026-11&format=csv");
        assertThat(other.status()).as(other.body()).isEqualTo(200);
        assertThat(other.body()).contains("school-02,2026-11,school,school-02,,lesson_minutes," + 21 * 475 + "\r\n");
    }

    /** Verifies that a school's user gets its own report only, never another school's nor the district's; the district gets both. */
    @Test
    void aSchoolsUserGetsItsOwnReportOnlyAndTheDistrictGetsTheRollUp(Vertx vertx) throws Exception {
        hub = HubFixture.start(vertx, HubFixture.config(dir));
        Http http = new Http(hub.httpPort());
        Http viewer = http.as(TestAuth.token(hub, Role.SCHOOL_VIEWER, SCHOOL));
        assertThat(viewer.get("/api/v1/reports/monthly?school=" + SCHOOL + "&month=" + MONTH).status()).isEqualTo(200);
        Http.Response foreign = viewer.get("/api/v1/reports/monthly?school=" + OTHER + "&month=" + MONTH + "&format=pdf");
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.body()).doesNotContain("%PDF");
        assertThat(viewer.get("/api/v1/reports/monthly/district?month=" + MONTH).status()).isEqualTo(403);
        assertThat(http.as(TestAuth.token(hub, Role.SCHOOL_OPERATOR, SCHOOL)).get("/api/v1/reports/monthly/district?month=" + MONTH)
                .status()).isEqualTo(403);
        assertThat(http.get("/api/v1/reports/monthly/district?month=" + MONTH).status()).as("no credential").isEqualTo(401);

        Http district = http.as(TestAuth.token(hub, Role.DISTRICT_VIEWER, null));
        Http.Response rollUp = district.get("/api/v1/reports/monthly/district?month=" + MONTH + "&format=csv");
        assertThat(rollUp.status()).as(rollUp.body()).isEqualTo(200);
        assertThat(rollUp.body().split("\r\n")).hasSize(3).anyMatch(l -> l.startsWith(SCHOOL + ",")).anyMatch(l -> l.startsWith(OTHER + ","));
        HttpResponse<String> pdf = district.get("/api/v1/reports/monthly/district?month=" + MONTH, "application/pdf");
        assertThat(pdf.statusCode()).isEqualTo(200);
        assertThat(pdf.body()).startsWith("%PDF-");
        assertThat(district.get("/api/v1/reports/monthly?school=" + OTHER + "&month=" + MONTH).status()).isEqualTo(200);
    }

    private static void refused(Http http, String url, int status, String parameter) throws Exception {
        Http.Response r = http.get(url);
        assertThat(r.status()).as("%s: %s", url, r.body()).isEqualTo(status);
        assertThat(r.json().getString("parameter")).as(url).isEqualTo(parameter);
    }
}
