package org.smartschool.hub.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smartschool.hub.testsupport.HubFixture.GATEWAY_1;
import static org.smartschool.hub.testsupport.HubFixture.SCHOOL_1;
import static org.smartschool.hub.testsupport.HubFixture.SCHOOL_2;
import static org.smartschool.hub.testsupport.HubFixture.SECRET_1;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.hub.app.Hub;
import org.smartschool.hub.testsupport.HubFixture;
import org.smartschool.hub.testsupport.TestAuth;
import org.smartschool.hub.testsupport.TestGateway;

/**
 * The overview page in a real browser (headless Chromium): the page's script fetches the API and
 * renders each school's rooms with their latest values, marking those a facility manager must act on.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OverviewPageBrowserTest {
    private static final String CHROMIUM_VARIABLE = "SS_TEST_CHROMIUM";

    /** Verifies that a room's latest CO2, temperature and humidity appear, with 2400 ppm marked as an alarm. */
    @Test
    void showsEachRoomsLatestValuesAndMarksAnAlarmingCo2(Vertx vertx, @TempDir Path dir) throws Exception {
        String chromium = chromium();
        Hub hub = HubFixture.start(vertx, HubFixture.config(dir));
        try (TestGateway gateway = TestGateway.connect(hub.mqttPort(), SCHOOL_1, GATEWAY_1, SECRET_1)) {
            long now = System.currentTimeMillis();
            DeviceRef r101 = new DeviceRef(SCHOOL_1, "r101", "r101-air");
            DeviceRef r102 = new DeviceRef(SCHOOL_1, "r102", "r102-air");
            Batch batch = new Batch(GATEWAY_1 + "-1-5", GATEWAY_1, SCHOOL_1, List.of(
                    Reading.of(r101, Quantity.CO2, 900, now - 20_000),
                    Reading.of(r101, Quantity.CO2, 2400, now - 10_000),
                    Reading.of(r101, Quantity.TEMPERATURE, 29.4, now - 10_000),
                    Reading.of(r101, Quantity.HUMIDITY, 71, now - 10_000),
                    Reading.of(r102, Quantity.CO2, 640, now - 10_000)), List.of());
            assertThat(gateway.sendBatch(batch).reasonCode()).isZero();

            // the page takes a token from its link (#token=...), as it would from its sign-in form
            Document page = render(chromium, "http://127.0.0.1:" + hub.httpPort() + "/#token=" + TestAuth.adminToken(hub), dir);

            List<String> schools = page.select("section h2").eachText();
            assertThat(schools).as("a section per configured school")
                    .containsExactlyInAnyOrder("THCS Nguyễn Du (" + SCHOOL_1 + ")", SCHOOL_2);
            Element silent = section(page, SCHOOL_2);
            assertThat(silent.selectFirst(".empty").text()).isEqualTo("No readings yet.");
            assertThat(silent.selectFirst(".school-status").text()).isEqualTo("Status: no data");
            Element school = section(page, "THCS Nguyễn Du (" + SCHOOL_1 + ")");
            List<String> headers = school.select("thead th").eachText();
            assertThat(headers).startsWith("Room", "CO₂ ppm", "Temperature °C", "Humidity %RH").endsWith("Updated");
            Element room101 = row(school, "r101");
            assertThat(room101.child(1).text()).isEqualTo("2400");
            assertThat(room101.child(1).hasClass("alarm")).isTrue();
            assertThat(room101.child(2).text()).isEqualTo("29.4");
            assertThat(room101.child(3).text()).isEqualTo("71");
            Element room102 = row(school, "r102");
            assertThat(room102.child(1).text()).isEqualTo("640");
            assertThat(room102.child(1).className()).isEmpty();
            assertThat(room102.child(2).text()).isEqualTo("–");
            assertThat(page.getElementById("status").text()).startsWith("Updated ");
        } finally {
            HubFixture.await(hub.close());
        }
    }

    private static Element section(Document page, String heading) {
        return page.select("section").stream()
                .filter(s -> s.selectFirst("h2").text().equals(heading))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no section for " + heading));
    }

    private static Element row(Element school, String room) {
        return school.select("tbody tr").stream()
                .filter(tr -> tr.child(0).text().equals(room))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no row for room " + room + " in " + school.select("tbody").outerHtml()));
    }

    /** The DOM after the page's scripts ran: virtual time lets the fetch and rendering finish first. */
    private static Document render(String chromium, String url, Path dir) throws IOException, InterruptedException {
        Path profile = Files.createDirectories(dir.resolve("chromium-profile"));
        Process process = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--virtual-time-budget=10000", "--dump-dom", url)
                .redirectError(dir.resolve("chromium.log").toFile())
                .start();
        byte[] dom = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        assertThat(process.exitValue()).as("chromium exit code; log: " + Files.readString(dir.resolve("chromium.log"))).isZero();
        return Jsoup.parse(new String(dom, StandardCharsets.UTF_8), url);
    }

    /** Chromium from SS_TEST_CHROMIUM or Debian's package; the test is skipped without one, except in CI. */
    private static String chromium() {
        String configured = System.getenv(CHROMIUM_VARIABLE);
        for (String candidate : new String[] {configured, "/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
            if (candidate != null && Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        String message = "no Chromium for the browser test: install Debian's chromium or set " + CHROMIUM_VARIABLE;
        if ("1".equals(System.getenv("SS_TEST_REQUIRE_SERVICES"))) {
            Assertions.fail(message + " (SS_TEST_REQUIRE_SERVICES=1: required, not skipped)");
        }
        Assumptions.abort(message);
        return null;
    }
}
