package org.smartschool.hub.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.sim.ClassRoster;
import org.smartschool.bridge.sim.SchoolLayout;
import org.smartschool.bridge.sim.SchoolSimulation;
import org.smartschool.bridge.sim.SchoolTimetable;
import org.smartschool.bridge.sim.SimulatedMessage;
import org.smartschool.gateway.attendance.AttendanceCounters;
import org.smartschool.hub.forward.WebhookSecret;
import org.smartschool.hub.forward.WebhookSignature;
import org.smartschool.hub.testsupport.WebhookReceiver;
import org.smartschool.hub.testsupport.WebhookReceiver.Delivery;
import org.smartschool.hub.testsupport.Poll;

/**
 * Issue 9's demo: a school morning's attendance whatever the hour the demo is started. The demo's real parts
 * (device broker, a gateway per school, the hub) with the morning's door readers and the gateways' attendance
 * on the school clock, here at 120x (06:45 to the 07:20 cut-off in under 20 s); a real HTTP receiver is
 * subscribed as {@code --webhook} does.
 */
@Timeout(120)
class DemoMorningTest {
    private static final int SPEED = 120;
    private static final int ROOMS = 2;
    private static final String SCHOOL = "school-01";
    /** The clock stops 22.5 s after the start at 120x; the rest is the JudgeClock's tick and the deliveries. */
    private static final Duration DEADLINE = Duration.ofSeconds(50);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile String token;

    /**
     * Verifies that the simulated morning (today's, Friday's at a weekend) gives every morning class of the
     * school exactly one final decision per learner in {@code GET /api/v1/attendance} for the school clock's
     * date, present, late and absent among them, the never-tapping learners absent exactly; that the gateway
     * refused the unknown and the revoked card and took the double taps as duplicates; that nothing of the
     * afternoon was judged; and that the webhook receiver got each decision once (webhook id = event id, signed),
     * its newest decision per learner matching the API's counts and records.
     */
    @Test
    void aMorningAtAnyHourIsDecidedShownInTheApiAndForwardedOnce(@TempDir Path dir) throws Exception {
        WebhookReceiver receiver = WebhookReceiver.start();
        List<Delivery> deliveries = receiver.deliveries();
        String secret = WebhookSecret.generate(new SecureRandom());
        DemoSettings settings = new DemoSettings("127.0.0.1", 0, 1, ROOMS, dir, Duration.ZERO).withMorningSpeed(SPEED)
                .withWebhook(receiver.url(), secret);
        // the classes the demo imports: the simulation's, with its seed
        Map<String, Integer> classSizes = new TreeMap<>();
        for (ClassRoster r : new SchoolSimulation(SCHOOL, SchoolLayout.of(ROOMS), DemoDistrict.SEED).rosters()) {
            if (r.session() == SchoolTimetable.Session.MORNING) {
                classSizes.put(DemoRoster.classId(r), r.size());
            }
        }
        int learners = classSizes.values().stream().mapToInt(Integer::intValue).sum();
        LocalDate dayBefore = schoolDayOfToday();
        try (DemoDistrict district = DemoDistrict.start(settings)) {
            token = district.apiToken();
            int port = district.httpPort();
            SchoolMorning morning = district.morning();
            LocalDate date = morning.day();
            assertThat(date).as("the school date of the simulated clock: today's, Friday's at a weekend")
                    .isIn(dayBefore, schoolDayOfToday()); // the test may start just before midnight
            assertThat(morning.speed()).isEqualTo(SPEED);
            String path = "/api/v1/attendance?school=" + SCHOOL + "&date=" + date;

            Poll.until(DEADLINE, "every learner of every morning class decided in the API and at the webhook", () -> {
                Map<String, JsonObject> classes = morningClasses(get(port, path));
                boolean complete = classes.keySet().equals(classSizes.keySet()) && classSizes.entrySet().stream()
                        .allMatch(c -> classes.get(c.getKey()).getInteger("total") == (int) c.getValue());
                return complete && newestPerLearner(deliveries, date).size() == learners;
            });
            JsonObject day = get(port, path);
            Map<String, JsonObject> classes = morningClasses(day);
            MorningDoors doors = district.doors(SCHOOL);
            int present = 0;
            int late = 0;
            int absent = 0;
            for (Map.Entry<String, Integer> c : classSizes.entrySet()) {
                JsonObject counts = classes.get(c.getKey());
                int never = doors.absentees().get(c.getKey());
                assertThat(counts.getInteger("present") + counts.getInteger("late") + counts.getInteger("unexcused_absence")
                        + counts.getInteger("excused_absence")).as("class %s: one decision per learner", c.getKey())
                        .isEqualTo(c.getValue());
                assertThat(counts.getInteger("unexcused_absence")).as("class %s: the learners who never tapped", c.getKey())
                        .isEqualTo(never);
                assertThat(counts.getInteger("excused_absence")).isZero();
                present += counts.getInteger("present");
                late += counts.getInteger("late");
                absent += counts.getInteger("unexcused_absence");
            }
            assertThat(present).isPositive();
            assertThat(late).isPositive();
            assertThat(absent).isPositive();
            assertThat(day.getJsonArray("classes").stream().map(o -> ((JsonObject) o).getString("session")))
                    .as("the clock stopped after the morning: no afternoon class judged").containsOnly("morning");

            // at the door: every tap decided, the visitor's and the lost card refused, the double taps duplicates
            AttendanceCounters counters = district.gateway(SCHOOL).attendance().counters();
            List<SimulatedMessage> taps = doors.taps();
            long distinctCards = taps.stream().map(SimulatedMessage::payloadText).distinct().count();
            assertThat(counters.taps()).isEqualTo(taps.size());
            assertThat(counters.unknownCards()).isEqualTo(1);
            assertThat(counters.revokedCards()).isEqualTo(1);
            assertThat(counters.duplicates()).isEqualTo(taps.size() - distinctCards);
            assertThat(counters.present() + counters.late()).isEqualTo(learners - absent);
            JsonObject roster = get(port, "/api/v1/schools/" + SCHOOL + "/roster");
            assertThat(roster.getInteger("revokedCards")).as("the lost card, revoked in the roster").isEqualTo(1);

            // at the webhook: each decision once, signed, the newest per learner as the API counts and lists them
            List<Delivery> attendance = deliveries.stream()
                    .filter(d -> "attendance.recorded".equals(d.json().getString("type"))).toList();
            Set<String> ids = new HashSet<>();
            WebhookSecret key = WebhookSecret.parse(secret);
            for (Delivery d : attendance) {
                assertThat(ids.add(d.id())).as("webhook id %s delivered once", d.id()).isTrue();
                assertThat(d.json().getJsonObject("data").getString("eventId")).isEqualTo(d.id());
                assertThat(WebhookSignature.headers(d.id(), Long.parseLong(d.timestamp()), d.body(), List.of(key)))
                        .containsEntry(WebhookSignature.SIGNATURE, d.signature());
            }
            Map<String, JsonObject> newest = newestPerLearner(attendance, date);
            // a latecomer's tap delayed past the cut-off's judgement (a loaded machine) is an absence, then late
            long corrected = attendance.size() - newest.size();
            assertThat(newest).hasSize(learners);
            assertThat(counters.unexcusedAbsences()).isEqualTo(absent + corrected);
            Map<String, Map<String, Integer>> forwarded = new TreeMap<>();
            for (JsonObject data : newest.values()) {
                assertThat(data.getString("school")).isEqualTo(SCHOOL);
                forwarded.computeIfAbsent(data.getString("classId"), k -> new TreeMap<>())
                        .merge(data.getString("category"), 1, Integer::sum);
            }
            for (Map.Entry<String, JsonObject> c : classes.entrySet()) {
                for (String category : List.of("present", "late", "unexcused_absence")) {
                    assertThat(forwarded.get(c.getKey()).getOrDefault(category, 0)).as("%s %s", c.getKey(), category)
                            .isEqualTo(c.getValue().getInteger(category));
                }
            }
            Set<String> recordIds = new HashSet<>();
            day.getJsonArray("records").forEach(r -> recordIds.add(((JsonObject) r).getString("eventId")));
            Set<String> newestIds = new HashSet<>();
            newest.values().forEach(d -> newestIds.add(d.getString("eventId")));
            assertThat(newestIds).as("the API's records are the newest decisions forwarded").isEqualTo(recordIds);
        } finally {
            receiver.close();
        }
    }

    /** Today in the school's time zone, or the Friday before at a weekend: the demo's term has no weekend school. */
    private static LocalDate schoolDayOfToday() {
        LocalDate today = LocalDate.now(SchoolTimetable.ZONE);
        while (today.getDayOfWeek() == DayOfWeek.SATURDAY || today.getDayOfWeek() == DayOfWeek.SUNDAY) {
            today = today.minusDays(1);
        }
        return today;
    }

    /** The API's counts of the morning session per class id. */
    private static Map<String, JsonObject> morningClasses(JsonObject day) {
        Map<String, JsonObject> out = new TreeMap<>();
        day.getJsonArray("classes").forEach(o -> {
            JsonObject c = (JsonObject) o;
            if ("morning".equals(c.getString("session"))) {
                out.put(c.getString("class"), c);
            }
        });
        return out;
    }

    /** The {@code data} of the newest attendance.recorded delivery per learner of {@code date}, in delivery order. */
    private static Map<String, JsonObject> newestPerLearner(List<Delivery> deliveries, LocalDate date) {
        Map<String, JsonObject> out = new LinkedHashMap<>();
        for (Delivery d : deliveries) {
            JsonObject json = d.json();
            if ("attendance.recorded".equals(json.getString("type"))
                    && date.toString().equals(json.getJsonObject("data").getString("date"))) {
                out.put(json.getJsonObject("data").getString("learnerId"), json.getJsonObject("data"));
            }
        }
        return out;
    }

    private JsonObject get(int port, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return new JsonObject(response.body());
    }
}
