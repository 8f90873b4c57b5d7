package org.smartschool.hub.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.gateway.testsupport.LibcoapClient;
import picocli.CommandLine;

/** Verifies that the demo takes SenML over CoAP for every school and shows it in the API. */
@Timeout(120)
class DemoCoapTest {
    /** The demo's admin API token, for the API reads. */
    private volatile String token;
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void showsSenmlPostedWithCoapClientInTheReadingsApi(@TempDir Path dir) throws Exception {
        LibcoapClient client = LibcoapClient.find();
        DemoSettings settings = new DemoSettings("127.0.0.1", 0, 2, 2, dir, Duration.ZERO).withCoapPort(0);
        try (DemoDistrict district = DemoDistrict.start(settings)) {
            token = district.apiToken(); // the demo's admin API token
            int coapPort = district.coapPort();
            assertThat(coapPort).isPositive();

            for (String school : district.schoolIds()) {
                double value = "school-01".equals(school) ? 24.5 : 26.75;
                LibcoapClient.Result result = client.run(Duration.ofSeconds(20), "-B", "10", "-m", "post", "-t", "110", "-e",
                        "[{\"bn\":\"urn:dev:coap-air:\",\"n\":\"temperature\",\"u\":\"Cel\",\"v\":" + value + "}]",
                        "coap://127.0.0.1:" + coapPort + "/" + school + "/r101/coap-air");
                assertThat(result.output()).as("2.04 prints nothing").isEmpty();

                awaitValue(district.httpPort(), school, value);
            }

            LibcoapClient.Result unknownSchool = client.run(Duration.ofSeconds(20), "-B", "10", "-m", "post", "-t", "110",
                    "-e", "[{\"n\":\"temperature\",\"v\":20}]", "coap://127.0.0.1:" + coapPort + "/no-such-school/r101/air");
            assertThat(unknownSchool.stderr()).startsWith("4.04");
        }
    }

    @Test
    void namesTheCoapPortWhenItIsTaken(@TempDir Path dir) throws Exception {
        try (DatagramSocket taken = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine cli = new CommandLine(new DemoCommand());
            cli.setOut(new PrintWriter(out));
            cli.setErr(new PrintWriter(err));

            int exit = cli.execute("--port", "0", "--coap-port", Integer.toString(port), "--schools", "1",
                    "--data-dir", dir.resolve("data").toString());

            assertThat(exit).isEqualTo(1);
            assertThat(err.toString()).contains("cannot listen on UDP port " + port + " for CoAP").contains("--coap-port");
            assertThat(out.toString()).doesNotContain("Press Ctrl-C");
        }
    }

    /** Polls the API until the school's r101 shows the temperature posted by the CoAP device. */
    private void awaitValue(int httpPort, String school, double value) throws Exception {
        String path = "/api/v1/readings?school=" + school + "&room=r101&quantity=temperature&device=coap-air";
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        JsonObject body = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            // 404 until the room's first reading is stored (the API knows rooms from what they sent)
            assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isIn(200, 404);
            body = new JsonObject(response.body());
            boolean found = response.statusCode() == 200 && body.getJsonArray("readings").stream()
                    .anyMatch(r -> ((JsonObject) r).getDouble("value") == value);
            if (found) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the CoAP reading " + value + " of " + school + " is not in the API within " + DEADLINE + ": " + body);
    }
}
