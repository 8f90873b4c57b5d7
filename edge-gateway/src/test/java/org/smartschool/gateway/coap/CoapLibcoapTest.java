package org.smartschool.gateway.coap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.gateway.support.Poll;
import org.smartschool.gateway.testsupport.LibcoapClient;

/**
 * Verifies the CoAP device server against Debian's libcoap client ({@code coap-client-openssl} or
 * {@code -gnutls}), plain and DTLS-PSK. libcoap prints a non-2.xx answer as "code payload" on
 * stderr and exits 0, so the tests read what it printed.
 */
@Timeout(90)
class CoapLibcoapTest {
    private static final Duration RUN = Duration.ofSeconds(30);
    @TempDir
    Path dir;
    private CoapFixture coap;
    private LibcoapClient client;

    @BeforeEach
    void setUp() {
        client = LibcoapClient.find();
        coap = new CoapFixture(dir, CoapFixture.settings(), 1000);
    }

    @AfterEach
    void tearDown() {
        if (coap != null) {
            coap.close();
        }
    }

    private LibcoapClient.Result post(String contentFormat, String payload, String uri, String... extra) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("-B", "10", "-m", "post", "-t", contentFormat, "-e", payload));
        args.addAll(List.of(extra));
        args.add(uri);
        return client.run(RUN, args.toArray(String[]::new));
    }

    @Test
    void recordsSenmlJsonPostedByCoapClient() throws Exception {
        LibcoapClient.Result result = post("110", CoapFixture.senmlJson("temperature", "Cel", 24.5), coap.plainUri("r101/air"));

        assertThat(result.output()).as("2.04 prints nothing").isEmpty();
        assertThat(coap.readings()).singleElement().satisfies(r -> {
            assertThat(r.room()).isEqualTo("r101");
            assertThat(r.device()).isEqualTo("air");
            assertThat(r.quantity()).isEqualTo(Quantity.TEMPERATURE);
            assertThat(r.value()).isEqualTo(24.5);
        });
    }

    @Test
    void recordsSenmlCborFromAFile() throws Exception {
        Path body = dir.resolve("pack.cbor");
        Files.write(body, CoapFixture.senmlCbor("humidity", "%RH", 48.5));

        LibcoapClient.Result result = client.run(RUN, "-B", "10", "-m", "put", "-t", "112", "-f", body.toString(),
                coap.plainUri("r106/hum"));

        assertThat(result.output()).isEmpty();
        assertThat(coap.readings()).extracting(Reading::room, Reading::quantity, Reading::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("r106", Quantity.HUMIDITY, 48.5));
    }

    @Test
    void recordsSenmlPostedOverDtlsWithTheDevicesKey() throws Exception {
        LibcoapClient.Result result = post("110", CoapFixture.senmlJson("co2", "ppm", 615), coap.secureUri("r101/air"),
                "-u", CoapFixture.AIR_IDENTITY, "-k", CoapFixture.AIR_SECRET);

        assertThat(result.output()).isEmpty();
        assertThat(coap.readings()).extracting(Reading::room, Reading::quantity, Reading::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("r101", Quantity.CO2, 615.0));
    }

    @Test
    void printsTheGatewaysOneLineDiagnostics() throws Exception {
        LibcoapClient.Result undecodable = post("110", "[{\"n\":", coap.plainUri("r101/air"));
        LibcoapClient.Result unknown = post("110", "[]", coap.plainUri("a/b/c"));
        LibcoapClient.Result format = post("0", "24.5", coap.plainUri("r101/air"));
        LibcoapClient.Result otherDevice = post("110", CoapFixture.senmlJson("co2", "ppm", 700), coap.secureUri("r102/air"),
                "-u", CoapFixture.AIR_IDENTITY, "-k", CoapFixture.AIR_SECRET);

        assertThat(undecodable.stderr()).startsWith("4.00 cannot decode with senml: ").contains("not valid JSON");
        assertThat(unknown.stderr()).isEqualTo("4.04 no device at this path: /a/b/c\n");
        assertThat(format.stderr()).startsWith("4.15 Content-Format 0 is not accepted");
        assertThat(otherDevice.stderr()).isEqualTo("4.03 identity 'r101-air' may post only to device r101/air\n");
        assertThat(coap.readings()).isEmpty();
    }

    @Test
    void takesALargePackBlockWiseAndRefusesOneOverTheLimit() throws Exception {
        StringBuilder pack = new StringBuilder("[");
        for (int i = 0; i < 40; i++) {
            pack.append(i == 0 ? "" : ",").append("{\"n\":\"co2\",\"u\":\"ppm\",\"v\":").append(500 + i)
                    .append(",\"t\":").append(1_760_000_000 + i).append('}');
        }
        Path body = dir.resolve("pack.json");
        Files.writeString(body, pack.append(']'));
        Path huge = dir.resolve("huge.json");
        Files.writeString(huge, "[" + "{\"n\":\"co2\",\"v\":1},".repeat(1200) + "{\"n\":\"co2\",\"v\":1}]");
        assertThat(Files.size(huge)).isGreaterThan(CoapFixture.settings().maxPayloadBytes());

        LibcoapClient.Result taken = client.run(RUN, "-B", "10", "-b", "64", "-m", "post", "-t", "110", "-f", body.toString(),
                coap.plainUri("r107/air"));
        LibcoapClient.Result refused = client.run(RUN, "-B", "10", "-b", "1024", "-m", "post", "-t", "110", "-f", huge.toString(),
                coap.plainUri("r107/air"));

        assertThat(taken.output()).isEmpty();
        assertThat(coap.readings()).hasSize(40).extracting(Reading::value).contains(500.0, 539.0);
        assertThat(refused.stderr()).startsWith("4.13");
        assertThat(coap.metrics.coapRefused("too_large").count()).isGreaterThanOrEqualTo(1.0);
        assertThat(coap.readings()).hasSize(40);
    }

    @Test
    void countsAWrongKeyWhileOtherDevicesAreServedInTime() throws Exception {
        // a device with a wrong key keeps trying (libcoap retransmits its handshake for 10 s) ...
        java.util.concurrent.CompletableFuture<LibcoapClient.Result> wrong = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return post("110", CoapFixture.senmlJson("co2", "ppm", 1), coap.secureUri("r101/air"),
                        "-u", CoapFixture.AIR_IDENTITY, "-k", "not-the-right-key");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Poll.until(Duration.ofSeconds(10), "the undecryptable handshake counted",
                () -> coap.metrics.coapDtlsFailures("record_dropped").count() >= 1);

        // ... while the right key and a plain device are answered at once
        long start = System.nanoTime();
        LibcoapClient.Result secure = post("110", CoapFixture.senmlJson("co2", "ppm", 640), coap.secureUri("r101/air"),
                "-u", CoapFixture.AIR_IDENTITY, "-k", CoapFixture.AIR_SECRET);
        LibcoapClient.Result plain = post("110", CoapFixture.senmlJson("co2", "ppm", 777), coap.plainUri("r108/air"));
        long tookMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(secure.output()).isEmpty();
        assertThat(plain.output()).isEmpty();
        assertThat(tookMillis).as("two devices answered while a wrong key retries").isLessThan(5_000);
        wrong.get(30, java.util.concurrent.TimeUnit.SECONDS);
        // the wrong key's reading (1 ppm) never got in
        assertThat(coap.readings()).extracting(Reading::room, Reading::value).containsExactly(
                org.assertj.core.groups.Tuple.tuple("r101", 640.0), org.assertj.core.groups.Tuple.tuple("r108", 777.0));
    }
}
