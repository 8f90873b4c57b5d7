package org.smartschool.hub.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.hub.app.Hub;
import org.smartschool.hub.config.RegistryConfig;
import org.smartschool.hub.auth.Role;
import org.smartschool.hub.testsupport.Http;
import org.smartschool.hub.testsupport.TestAuth;
import org.smartschool.hub.testsupport.HubFixture;

/**
 * The attendance API on the real hub with {@code registry.apiToken} set (an admin credential): teachers' corrections
 * (POST events) move the counts; a day's counts for every role that sees the school, its per-learner records and a
 * learner's history only for the school's own users (and the admin); the district's daily rates; 404 for an unknown
 * school and 400 naming the bad parameter.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AttendanceQueryApiTest {
    private static final String TOKEN = "token-0123456789abcdef";
    private static final String[] AUTH = {"Authorization", "Bearer " + TOKEN};
    private static final String SCHOOL = HubFixture.SCHOOL_1;
    private static final String A = "079201001234";
    private static final String B = "079201005678";

    @TempDir
    Path dir;
    private Hub hub;

    @AfterEach
    void stop() throws Exception {
        if (hub != null) {
            HubFixture.await(hub.close());
        }
    }

    private Http start(Vertx vertx) throws Exception {
        hub = HubFixture.start(vertx, HubFixture.config(dir).withRegistry(new RegistryConfig("", TOKEN)));
        return new Http(hub.httpPort());
    }

    private static String event(String id, String learner, String classId, String date, String period, String category,
                                String at) {
        JsonObject e = new JsonObject().put("eventId", id).put("school", SCHOOL).put("learnerId", learner).put("classId", classId)
                .put("date", date).put("session", "morning").put("category", category).put("at", at);
        return (period == null ? e : e.put("period", period)).encode();
    }

    private static void post(Http http, String body) throws Exception {
        Http.Response r = http.send("POST", "/api/v1/attendance/events", body, AUTH);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
    }

    /** Verifies that a teacher's correction through the API moves one count, and the day's records need the token. */
    @Test
    void aCorrectionMovesOneCountAndRecordsAreForTheSchoolsOwnUsers(Vertx vertx) throws Exception {
        Http http = start(vertx);
        post(http, event("a-absent", A, "6a", "2026-12-03", null, "unexcused_absence", "2026-12-03T00:20:00Z"));
        post(http, event("b-present", B, "6a", "2026-12-03", null, "present", "2026-12-03T00:02:00Z"));
        post(http, event("a-chem", A, "10a1-chem", "2026-12-03", "p3", "present", "2026-12-03T02:00:00Z"));

        Http district = http.as(TestAuth.token(hub, Role.DISTRICT_VIEWER, null));
        JsonObject before = district.get("/api/v1/attendance?school=" + SCHOOL + "&date=2026-12-03").json();
        assertThat(before.getJsonArray("classes").encode()).isEqualTo(new JsonArray()
                .add(new JsonObject().put("class", "10a1-chem").put("session", "morning").put("period", "p3").put("present", 1)
                        .put("late", 0).put("excused_absence", 0).put("unexcused_absence", 0).put("total", 1))
                .add(new JsonObject().put("class", "6a").put("session", "morning").put("present", 1)
                        .put("late", 0).put("excused_absence", 0).put("unexcused_absence", 1).put("total", 2)).encode());
        assertThat(before.containsKey("records")).isFalse();
        assertThat(before.getString("recordsWithheld")).contains("a credential of school '" + SCHOOL + "'");
        assertThat(before.encode()).doesNotContain(A).doesNotContain(B);

        // the teacher: A came late after all; and the same correction sent twice
        String late = event("a-late", A, "6a", "2026-12-03", null, "late", "2026-12-03T00:35:00Z");
        post(http, late);
        post(http, late);

        Http schoolViewer = http.as(TestAuth.token(hub, Role.SCHOOL_VIEWER, SCHOOL));
        JsonObject after = schoolViewer.get("/api/v1/attendance?school=" + SCHOOL + "&date=2026-12-03").json();
        JsonObject homeroom = after.getJsonArray("classes").getJsonObject(1);
        assertThat(List.of(homeroom.getInteger("present"), homeroom.getInteger("late"), homeroom.getInteger("unexcused_absence")))
                .containsExactly(1, 1, 0);
        assertThat(after.getJsonArray("records").stream().map(r -> ((JsonObject) r).getString("class") + "/"
                + ((JsonObject) r).getString("learnerId") + "=" + ((JsonObject) r).getString("category")))
                .containsExactly("10a1-chem/" + A + "=present", "6a/" + A + "=late", "6a/" + B + "=present");
    }

    /** Verifies that a learner's history is asked with the id in the body, with the token only, and a bad body names its field. */
    @Test
    void aLearnersHistoryIsForTheSchoolsOwnUsersAndTakesTheIdInTheBody(Vertx vertx) throws Exception {
        Http http = start(vertx);
        post(http, event("d1", A, "6a", "2026-12-02", null, "present", "2026-12-02T00:02:00Z"));
        post(http, event("d2", A, "6a", "2026-12-03", null, "excused_absence", "2026-12-03T00:20:00Z"));
        post(http, event("d2-b", B, "6a", "2026-12-03", null, "present", "2026-12-03T00:01:00Z"));
        String ask = new JsonObject().put("learnerId", A).put("from", "2026-12-01").put("to", "2026-12-03").encode();
        String history1 = "/api/v1/attendance/history?school=" + SCHOOL;

        assertThat(http.send("POST", history1, ask).status()).isEqualTo(401);
        assertThat(http.as(TestAuth.token(hub, Role.DISTRICT_OPERATOR, null)).send("POST", history1, ask).status())
                .as("the district sees counts, not a learner's history").isEqualTo(403);
        Http.Response history = http.as(TestAuth.token(hub, Role.SCHOOL_VIEWER, SCHOOL)).send("POST", history1, ask);
        assertThat(history.status()).as(history.body()).isEqualTo(200);
        assertThat(history.json().getJsonArray("records").stream().map(r -> ((JsonObject) r).getString("date") + "="
                + ((JsonObject) r).getString("category"))).containsExactly("2026-12-02=present", "2026-12-03=excused_absence");

        Http.Response badId = http.send("POST", history1,
                new JsonObject().put("learnerId", "07920100123").encode(), AUTH);
        assertThat(badId.status()).isEqualTo(400);
        assertThat(badId.json().getString("parameter")).isEqualTo("learnerId");
        assertThat(badId.body()).doesNotContain("07920100123");
        Http.Response tooLong = http.send("POST", history1, new JsonObject()
                .put("learnerId", A).put("from", "2025-01-01").put("to", "2026-12-03").encode(), AUTH);
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.json().getString("parameter")).isEqualTo("to");
        Http.Response unknown = http.send("POST", "/api/v1/attendance/history?school=thcs-nowhere",
                new JsonObject().put("learnerId", A).encode(), AUTH);
        assertThat(unknown.status()).isEqualTo(404);
        Http.Response noSchool = http.send("POST", "/api/v1/attendance/history", ask, AUTH);
        assertThat(noSchool.status()).isEqualTo(400);
        assertThat(noSchool.json().getString("parameter")).isEqualTo("school");
        Http.Response otherSchool = http.send("POST", history1, new JsonObject().put("school", HubFixture.SCHOOL_2)
                .put("learnerId", A).encode(), AUTH);
        assertThat(otherSchool.status()).isEqualTo(400);
        assertThat(otherSchool.json().getString("parameter")).isEqualTo("school");
    }

    /** Verifies the district's daily rates per school, and 404 / 400 answers naming the school or the parameter. */
    @Test
    void dailyRatesPerSchoolAndErrorsNameTheParameter(Vertx vertx) throws Exception {
        Http http = start(vertx);
        post(http, event("r1", A, "6a", "2026-12-03", null, "present", "2026-12-03T00:02:00Z"));
        post(http, event("r2", B, "6a", "2026-12-03", null, "unexcused_absence", "2026-12-03T00:20:00Z"));
        post(http, event("r3", B, "6a", "2026-12-04", null, "late", "2026-12-04T00:15:00Z"));

        http = http.as(TestAuth.token(hub, Role.DISTRICT_VIEWER, null));
        JsonArray days = http.get("/api/v1/attendance/rates?from=2026-12-01&to=2026-12-31").json().getJsonArray("days");
        assertThat(days.encode()).isEqualTo(new JsonArray()
                .add(new JsonObject().put("school", SCHOOL).put("date", "2026-12-03").put("present", 1).put("late", 0)
                        .put("excused_absence", 0).put("unexcused_absence", 1).put("total", 2).put("rate", 0.5))
                .add(new JsonObject().put("school", SCHOOL).put("date", "2026-12-04").put("present", 0).put("late", 1)
                        .put("excused_absence", 0).put("unexcused_absence", 0).put("total", 1).put("rate", 1.0)).encode());
        assertThat(http.get("/api/v1/attendance/rates?from=2026-12-01&to=2026-12-31&school=" + HubFixture.SCHOOL_2).json()
                .getJsonArray("days")).isEmpty();

        Http.Response unknownRates = http.get("/api/v1/attendance/rates?from=2026-12-01&to=2026-12-31&school=thcs-nowhere");
        assertThat(unknownRates.status()).isEqualTo(404);
        Http.Response unknownDay = http.get("/api/v1/attendance?school=thcs-nowhere&date=2026-12-03");
        assertThat(unknownDay.status()).isEqualTo(404);
        assertThat(unknownDay.json().getString("error")).contains("thcs-nowhere");
        for (String[] bad : new String[][] {
            {"/api/v1/attendance?date=2026-12-03", "school"},
            {"/api/v1/attendance?school=" + SCHOOL + "&date=tomorrow", "date"},
            {"/api/v1/attendance?school=bad!id&date=2026-12-03", "school"},
            {"/api/v1/attendance/rates?to=2026-12-03", "from"},
            {"/api/v1/attendance/rates?from=2026-12-03&to=2026-12-01", "to"},
        }) {
            Http.Response r = http.get(bad[0]);
            assertThat(r.status()).as(bad[0]).isEqualTo(400);
            assertThat(r.json().getString("parameter")).as(bad[0]).isEqualTo(bad[1]);
        }
        assertThat(http.as(null).get("/api/v1/attendance/dead-letters?school=" + SCHOOL).status()).isEqualTo(401);
        assertThat(http.get("/api/v1/attendance/dead-letters?school=" + SCHOOL).status())
                .as("a viewer does not see dead letters").isEqualTo(403);
        assertThat(http.as(TestAuth.token(hub, Role.SCHOOL_OPERATOR, SCHOOL))
                .get("/api/v1/attendance/dead-letters?school=" + SCHOOL).status()).isEqualTo(200);
    }
}
