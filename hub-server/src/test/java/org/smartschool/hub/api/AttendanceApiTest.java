package org.smartschool.hub.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
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
import org.smartschool.bridge.attendance.AttendanceCategory;
import org.smartschool.hub.attendance.AttendanceEvent;
import org.smartschool.hub.config.EdfiConfig;
import org.smartschool.hub.config.RegistryConfig;
import org.smartschool.hub.testsupport.EdfiTestServer;
import org.smartschool.hub.testsupport.Http;
import org.smartschool.hub.testsupport.HubFixture;
import org.smartschool.hub.testsupport.Poll;

/**
 * Attendance events through the real hub with an {@code edfi:} section: handed in over the API (write
 * access only) or by the Java entry point, they reach a local Ed-Fi-like server for the schools the
 * section lists; what cannot be mapped is an Ed-Fi dead letter in the API.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AttendanceApiTest {
    private static final String TOKEN = "token-0123456789abcdef";
    private static final String LEARNER = "079201001234";

    @TempDir
    Path dir;
    private Hub hub;
    private EdfiTestServer edfi;

    @AfterEach
    void stop() throws Exception {
        if (hub != null) {
            HubFixture.await(hub.close());
        }
        if (edfi != null) {
            edfi.close();
        }
    }

    private Http start(Vertx vertx) throws Exception {
        edfi = new EdfiTestServer();
        EdfiConfig config = new EdfiConfig(edfi.baseUrl(), edfi.tokenUrl(), EdfiTestServer.KEY, EdfiTestServer.SECRET, 5, 24, 50,
                4, 2027, List.of(new EdfiConfig.Term("2026-2027 Học kỳ I", "2026-09-05", "2027-01-17")),
                Map.of(HubFixture.SCHOOL_1, new EdfiConfig.School(255901001L, null, null, null)));
        hub = HubFixture.start(vertx, HubFixture.config(dir).withRegistry(new RegistryConfig("", TOKEN)).withEdfi(config));
        // no credential of its own: each request shows registry.apiToken (an admin) or none
        return new Http(hub.httpPort());
    }

    private static String event(String id, String school, String learner, String period) {
        return new JsonObject().put("eventId", id).put("school", school).put("learnerId", learner).put("classId", "6a")
                .put("date", "2026-12-03").put("session", "morning").put("period", period).put("category", "late")
                .put("at", "2026-12-03T00:12:40Z").encode();
    }

    @Test
    void anEventPostedWithWriteAccessReachesEdfiForTheSchoolsItServes(Vertx vertx) throws Exception {
        Http http = start(vertx);
        assertThat(http.send("POST", "/api/v1/attendance/events", event("att-1", HubFixture.SCHOOL_1, LEARNER, null)).status())
                .as("no token, no write").isEqualTo(401);
        Http.Response bad = http.send("POST", "/api/v1/attendance/events", event("att-1", HubFixture.SCHOOL_1, "07920100123", null),
                "Authorization", "Bearer " + TOKEN);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().getString("error")).contains("learnerId").doesNotContain("07920100123");

        Http.Response taken = http.send("POST", "/api/v1/attendance/events", event("att-2", HubFixture.SCHOOL_2, LEARNER, null),
                "Authorization", "Bearer " + TOKEN);
        assertThat(taken.status()).isEqualTo(202);
        assertThat(taken.json()).isEqualTo(new JsonObject().put("eventId", "att-2").put("state", "queued"));
        assertThat(http.send("POST", "/api/v1/attendance/events", event("att-3", HubFixture.SCHOOL_1, LEARNER, null),
                "Authorization", "Bearer " + TOKEN).status()).isEqualTo(202);
        // the Java entry point issue 9's producers call
        vertx.executeBlocking(() -> {
            hub.attendance().accept(new AttendanceEvent("att-4", HubFixture.SCHOOL_1, "079201005678", "6a",
                    LocalDate.of(2026, 12, 3), "morning", null, AttendanceCategory.PRESENT, 1_796_600_000_000L));
            return null;
        }).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

        Poll.until(Duration.ofSeconds(30), "both events of the Ed-Fi school in Ed-Fi", () -> edfi.resources().size() == 2);
        assertThat(edfi.resources()).extracting(EdfiTestServer.Resource::descriptor).containsExactlyInAnyOrder(
                EdfiTestServer.DESCRIPTOR_PREFIX + "Tardy", EdfiTestServer.DESCRIPTOR_PREFIX + "In Attendance");
        assertThat(edfi.requests()).as("school 2 is not listed under edfi.schools: not sent").hasSize(2);
    }

    @Test
    void anUnmappableEventIsAnEdfiDeadLetterInTheApi(Vertx vertx) throws Exception {
        Http http = start(vertx);
        // period-level attendance of a class with no Ed-Fi section configured
        assertThat(http.send("POST", "/api/v1/attendance/events", event("att-9", HubFixture.SCHOOL_1, LEARNER, "p3"),
                "Authorization", "Bearer " + TOKEN).status()).isEqualTo(202);
        assertThat(http.get("/api/v1/edfi/dead-letters").status()).as("personal data: write access only").isEqualTo(401);
        Poll.until(Duration.ofSeconds(30), "a dead letter", () -> !http.send("GET", "/api/v1/edfi/dead-letters", null,
                "Authorization", "Bearer " + TOKEN).json().getJsonArray("deadLetters").isEmpty());

        JsonArray letters = http.send("GET", "/api/v1/edfi/dead-letters", null, "Authorization", "Bearer " + TOKEN).json()
                .getJsonArray("deadLetters");
        JsonObject letter = letters.getJsonObject(0);
        assertThat(letter.getString("eventId")).isEqualTo("att-9");
        assertThat(letter.getString("school")).isEqualTo(HubFixture.SCHOOL_1);
        assertThat(letter.getString("lastError")).contains("class '6a'").contains("sections");
        assertThat(letter.encode()).doesNotContain(LEARNER);
        assertThat(http.send("POST", "/api/v1/edfi/dead-letters/" + letter.getLong("seq") + "/redeliver", null,
                "Authorization", "Bearer " + TOKEN).status()).isEqualTo(200);
        assertThat(http.send("POST", "/api/v1/edfi/dead-letters/999/redeliver", null, "Authorization", "Bearer " + TOKEN).status())
                .isEqualTo(404);
        assertThat(edfi.requests()).isEmpty();
    }
}
