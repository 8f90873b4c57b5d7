package org.smartschool.gateway.coap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.gateway.config.CoapSettings;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.gateway.outbox.OutboxLimits;
import org.smartschool.gateway.support.Poll;

/** Verifies the CoAP device server against Californium's own client, plain and over DTLS-PSK. */
@Timeout(60)
class CoapDeviceServerTest {
    @TempDir
    Path dir;
    private CoapFixture coap;

    @BeforeEach
    void setUp() {
        coap = new CoapFixture(dir, CoapFixture.settings(), 1000);
    }

    @AfterEach
    void tearDown() {
        coap.close();
    }

    private static double value(Reading reading) {
        return reading.value();
    }

    @Test
    void answersChangedForSenmlJsonOnlyOnceTheReadingIsInTheOutbox() throws Exception {
        CoapResponse response = coap.plainClient("r101/air")
                .post(CoapFixture.senmlJson("temperature", "Cel", 24.5), CoapDevices.SENML_JSON);

        assertThat(response.getCode()).isEqualTo(ResponseCode.CHANGED);
        // the answer came after the commit: the reading is there without waiting
        List<Reading> readings = coap.readings();
        assertThat(readings).hasSize(1);
        Reading reading = readings.get(0);
        assertThat(reading.school()).isEqualTo(CoapFixture.SCHOOL);
        assertThat(reading.room()).isEqualTo("r101");
        assertThat(reading.device()).isEqualTo("air");
        assertThat(reading.quantity()).isEqualTo(Quantity.TEMPERATURE);
        assertThat(value(reading)).isEqualTo(24.5);
    }

    @Test
    void aDevicePostingTheSameValueTwiceGivesTwoReadings() throws Exception {
        String pack = CoapFixture.senmlJson("temperature", "Cel", 24.5);
        var client = coap.plainClient("r101/air");

        assertThat(client.post(pack, CoapDevices.SENML_JSON).getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(client.post(pack, CoapDevices.SENML_JSON).getCode()).isEqualTo(ResponseCode.CHANGED);

        // two requests with two message ids: not a retransmission, so both are kept
        assertThat(coap.readings()).hasSize(2).allSatisfy(r -> assertThat(value(r)).isEqualTo(24.5));
    }

    @Test
    void acceptsSenmlCborAndPut() throws Exception {
        CoapResponse response = coap.plainClient("r103/co2")
                .put(CoapFixture.senmlCbor("co2", "ppm", 812), CoapDevices.SENML_CBOR);

        assertThat(response.getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(coap.readings()).singleElement().satisfies(r -> {
            assertThat(r.room()).isEqualTo("r103");
            assertThat(r.device()).isEqualTo("co2");
            assertThat(r.quantity()).isEqualTo(Quantity.CO2);
            assertThat(r.value()).isEqualTo(812.0);
        });
    }

    @Test
    void decodesPlainJsonWithTheCodecTheRouteNames() throws Exception {
        CoapResponse response = coap.plainClient("r104/thermo")
                .post("{\"temperature\":22.25,\"humidity\":61}", MediaTypeRegistry.APPLICATION_JSON);

        assertThat(response.getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(coap.readings()).extracting(Reading::quantity, Reading::value)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(Quantity.TEMPERATURE, 22.25),
                        org.assertj.core.groups.Tuple.tuple(Quantity.HUMIDITY, 61.0));
    }

    @Test
    void answersBadRequestWithAOneLineDiagnosticForAnUndecodablePayload() throws Exception {
        CoapResponse response = coap.plainClient("r101/air").post("[{\"n\":\"temperature\",", CoapDevices.SENML_JSON);

        assertThat(response.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
        assertThat(response.getResponseText()).contains("senml").doesNotContain("\n");
        assertThat(response.getOptions().getContentFormat()).isEqualTo(MediaTypeRegistry.TEXT_PLAIN);
        assertThat(coap.readings()).isEmpty();
        assertThat(coap.outbox.deadLetterCount()).isEqualTo(1);
        assertThat(coap.metrics.coapRefused("bad_request").count()).isEqualTo(1.0);
    }

    @Test
    void answersNotFoundForAPathNoRouteMaps() throws Exception {
        CoapResponse response = coap.plainClient("r101/air/extra").post(CoapFixture.senmlJson("co2", "ppm", 500), CoapDevices.SENML_JSON);

        assertThat(response.getCode()).isEqualTo(ResponseCode.NOT_FOUND);
        assertThat(response.getResponseText()).contains("/r101/air/extra");
        assertThat(coap.metrics.coapRefused("not_found").count()).isEqualTo(1.0);
    }

    @Test
    void answersUnsupportedContentFormatForAnyOtherOrMissingFormat() throws Exception {
        CoapResponse text = coap.plainClient("r101/air").post("24.5", MediaTypeRegistry.TEXT_PLAIN);
        CoapResponse none = coap.plainClient("r101/air").post("24.5", MediaTypeRegistry.UNDEFINED);

        assertThat(text.getCode()).isEqualTo(ResponseCode.UNSUPPORTED_CONTENT_FORMAT);
        assertThat(text.getResponseText()).contains("Content-Format 0").contains("110");
        assertThat(none.getCode()).isEqualTo(ResponseCode.UNSUPPORTED_CONTENT_FORMAT);
        assertThat(none.getResponseText()).contains("no Content-Format");
        assertThat(coap.metrics.coapRefused("unsupported_format").count()).isEqualTo(2.0);
        assertThat(coap.readings()).isEmpty();
    }

    @Test
    void takesALargePackBlockWise() throws Exception {
        StringBuilder pack = new StringBuilder("[");
        for (int i = 0; i < 80; i++) {
            pack.append(i == 0 ? "" : ",").append("{\"n\":\"co2\",\"u\":\"ppm\",\"v\":").append(400 + i)
                    .append(",\"t\":").append(1_760_000_000 + i).append('}');
        }
        String body = pack.append(']').toString();
        assertThat(body.length()).isGreaterThan(3000); // over one datagram: the client sends it in blocks

        CoapResponse response = coap.plainClient("r105/air").post(body, CoapDevices.SENML_JSON);

        assertThat(response.getCode()).isEqualTo(ResponseCode.CHANGED);
        List<Reading> readings = coap.readings();
        assertThat(readings).hasSize(80);
        assertThat(readings).extracting(Reading::value).contains(400.0, 479.0);
    }

    @Test
    void refusesABodyOverTheLimitWithRequestEntityTooLarge() throws Exception {
        coap.close();
        coap = new CoapFixture(dir.resolve("small"), CoapFixture.settings().withMaxPayloadBytes(256), 1000);
        String single = CoapFixture.senmlJson("temperature", "Cel", 20.0) + " ".repeat(300); // one datagram
        String blockwise = CoapFixture.senmlJson("temperature", "Cel", 20.0) + " ".repeat(3000);

        CoapResponse one = coap.plainClient("r101/air").post(single, CoapDevices.SENML_JSON);
        CoapResponse blocks = coap.plainClient("r101/air").post(blockwise, CoapDevices.SENML_JSON);

        assertThat(one.getCode()).isEqualTo(ResponseCode.REQUEST_ENTITY_TOO_LARGE);
        assertThat(one.getResponseText()).contains("coap.maxPayloadBytes (256)");
        assertThat(one.getOptions().getSize1()).isEqualTo(256);
        assertThat(blocks.getCode()).isEqualTo(ResponseCode.REQUEST_ENTITY_TOO_LARGE);
        assertThat(blocks.getOptions().getSize1()).isEqualTo(256);
        Poll.until(Duration.ofSeconds(5), "both refusals counted", () -> coap.metrics.coapRefused("too_large").count() == 2.0);
        assertThat(coap.readings()).isEmpty();
    }

    @Test
    void answersServiceUnavailableWithMaxAgeWhenTheOutboxIsFull() throws Exception {
        coap.close();
        // the outbox refuses when it cannot make room (full of events, or its disk below the watermark):
        // here a watermark no disk meets
        coap = new CoapFixture(dir.resolve("full"), CoapFixture.settings(),
                OutboxLimits.defaults().withDisk(Long.MAX_VALUE / 4, 0));

        CoapResponse response = coap.plainClient("r101/air").post(CoapFixture.senmlJson("co2", "ppm", 501), CoapDevices.SENML_JSON);

        assertThat(response.getCode()).isEqualTo(ResponseCode.SERVICE_UNAVAILABLE);
        assertThat(response.getOptions().getMaxAge()).isEqualTo(30L);
        assertThat(response.getResponseText()).contains("outbox full");
        assertThat(coap.readings()).isEmpty();
        assertThat(coap.metrics.coapRefused("outbox_full").count()).isEqualTo(1.0);
    }

    @Test
    void acceptsADeviceOverDtlsWithItsOwnKey() throws Exception {
        CoapResponse response = coap.secureClient("r101/air", CoapFixture.AIR_IDENTITY,
                        CoapFixture.AIR_SECRET.getBytes(StandardCharsets.UTF_8))
                .post(CoapFixture.senmlJson("humidity", "%RH", 57), CoapDevices.SENML_JSON);

        assertThat(response.getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(coap.readings()).singleElement().satisfies(r -> {
            assertThat(r.room()).isEqualTo("r101");
            assertThat(r.quantity()).isEqualTo(Quantity.HUMIDITY);
            assertThat(r.value()).isEqualTo(57.0);
        });
    }

    @Test
    void forbidsAnIdentityToPostToAnotherDevicesResource() throws Exception {
        CoapResponse response = coap.secureClient("r102/air", CoapFixture.AIR_IDENTITY,
                        CoapFixture.AIR_SECRET.getBytes(StandardCharsets.UTF_8))
                .post(CoapFixture.senmlJson("co2", "ppm", 900), CoapDevices.SENML_JSON);

        assertThat(response.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
        assertThat(response.getResponseText()).contains("r101-air").contains("r101/air");
        assertThat(coap.readings()).isEmpty();
        assertThat(coap.metrics.coapRefused("forbidden").count()).isEqualTo(1.0);
    }

    @Test
    void countsAWrongKeyAndKeepsServingOtherDevices() throws Exception {
        CoapClient wrong = coap.secureClient("r101/air", CoapFixture.AIR_IDENTITY,
                "not-the-right-key".getBytes(StandardCharsets.UTF_8));
        wrong.setTimeout(3_000L);
        CoapClient unknown = coap.secureClient("r101/air", "stranger", "whatever-key".getBytes(StandardCharsets.UTF_8));
        unknown.setTimeout(3_000L);

        // a failed handshake gives no CoAP answer at all: the client times out or reports the failure
        assertThatThrownByOrNull(() -> wrong.post(CoapFixture.senmlJson("co2", "ppm", 1), CoapDevices.SENML_JSON));
        assertThatThrownByOrNull(() -> unknown.post(CoapFixture.senmlJson("co2", "ppm", 2), CoapDevices.SENML_JSON));
        Poll.until(Duration.ofSeconds(10), "undecryptable records and the unknown identity counted",
                () -> coap.metrics.coapDtlsFailures("record_dropped").count() >= 1
                        && coap.metrics.coapDtlsFailures("unknown_identity").count() >= 1);

        CoapResponse good = coap.secureClient("r101/air", CoapFixture.AIR_IDENTITY,
                        CoapFixture.AIR_SECRET.getBytes(StandardCharsets.UTF_8))
                .post(CoapFixture.senmlJson("co2", "ppm", 640), CoapDevices.SENML_JSON);
        assertThat(good.getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(coap.readings()).extracting(Reading::value).containsExactly(640.0);
    }

    @Test
    void aFloodingDeviceIsToldToWaitWhileAnotherDeviceIsServedInTime() throws Exception {
        CoapClient flooder = coap.plainClient("r109/flood");
        java.util.concurrent.atomic.AtomicInteger changed = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger busy = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger other = new java.util.concurrent.atomic.AtomicInteger();
        int flood = 400;
        for (int i = 0; i < flood; i++) {
            flooder.post(new org.eclipse.californium.core.CoapHandler() {
                @Override
                public void onLoad(CoapResponse response) {
                    if (response.getCode() == ResponseCode.CHANGED) {
                        changed.incrementAndGet();
                    } else if (response.getCode() == ResponseCode.SERVICE_UNAVAILABLE && response.getOptions().getMaxAge() == 1L) {
                        busy.incrementAndGet();
                    } else {
                        other.incrementAndGet();
                    }
                }

                @Override
                public void onError() {
                    other.incrementAndGet();
                }
            }, CoapFixture.senmlJson("co2", "ppm", 400 + i), CoapDevices.SENML_JSON);
        }

        long start = System.nanoTime();
        CoapResponse response = coap.plainClient("r102/air").post(CoapFixture.senmlJson("co2", "ppm", 777), CoapDevices.SENML_JSON);
        long tookMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(response.getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(tookMillis).as("the other device's answer while one device floods").isLessThan(2_000);
        Poll.until(Duration.ofSeconds(30), "every flood request answered", () -> changed.get() + busy.get() + other.get() == flood);
        assertThat(other.get()).isZero();
        assertThat(busy.get()).as("the flooding device was told to wait").isPositive();
        assertThat(coap.metrics.coapRefused("busy").count()).isEqualTo(busy.get());
        assertThat(coap.readings()).filteredOn(r -> r.room().equals("r109")).hasSize(changed.get());
        assertThat(coap.readings()).filteredOn(r -> r.room().equals("r102")).extracting(Reading::value).containsExactly(777.0);
    }

    @Test
    void aDevicePostingFasterThanItsRateGetsTooManyRequestsWhileAnotherIsServed() throws Exception {
        coap.close();
        coap = new CoapFixture(dir.resolve("limited"), CoapFixture.settings().withDeviceMaxRequestsPerSecond(2), 1000);
        CoapClient looping = coap.plainClient("r110/loop");
        int changed = 0;
        CoapResponse refused = null;
        long start = System.nanoTime();
        for (int i = 0; i < 200 && refused == null; i++) {
            CoapResponse response = looping.post(CoapFixture.senmlJson("co2", "ppm", 500 + i), CoapDevices.SENML_JSON);
            if (response.getCode() == ResponseCode.CHANGED) {
                changed++;
            } else {
                refused = response;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        // 10 s worth at once (20), then 2 per second
        assertThat(refused).as("the device in a loop was refused").isNotNull();
        assertThat(changed).isBetween(20, 20 + (int) Math.ceil(2 * seconds) + 1);
        assertThat(refused.getCode()).isEqualTo(ResponseCode.TOO_MANY_REQUESTS);
        assertThat(refused.getOptions().getMaxAge()).isEqualTo(1L);
        assertThat(refused.getResponseText()).isEqualTo("more than 2 requests/s from r110/loop; retry later");
        assertThat(coap.metrics.coapRefused("device_flood").count()).isEqualTo(1.0);
        assertThat(coap.readings()).filteredOn(r -> r.room().equals("r110")).hasSize(changed);
        CoapResponse other = coap.plainClient("r102/air").post(CoapFixture.senmlJson("co2", "ppm", 777), CoapDevices.SENML_JSON);
        assertThat(other.getCode()).isEqualTo(ResponseCode.CHANGED);
    }

    @Test
    void answersUnauthorizedToAnIdentityTheSiteDoesNotKnow() throws Exception {
        // one server for two gateways (as the hub's demo runs it): school A's device has a key, school B knows no one
        CoapSettings.DeviceKey keyOfA = new CoapSettings.DeviceKey("a-r101-air", "r101", "air", "secret-of-a-r101-air");
        org.smartschool.gateway.outbox.Outbox outboxB = org.smartschool.gateway.outbox.Outbox.open(dir.resolve("b.db"), 100, 10);
        try {
            CoapSettings settings = CoapFixture.settings();
            CoapDevices devicesB = CoapDevices.of("school-b", settings.routes(), org.smartschool.bridge.codec.CodecRegistry.standard(),
                    router -> new org.smartschool.gateway.south.MessageIntake(router, outboxB, coap.metrics, 1024));
            DeviceKeys keysOfA = DeviceKeys.load(List.of(keyOfA), null);
            java.util.Map<String, CoapSite> sites = java.util.Map.of(
                    "school-a", new CoapSite(devicesB, keysOfA, coap.metrics),
                    "school-b", new CoapSite(devicesB, DeviceKeys.none(), coap.metrics));
            try (CoapDeviceServer shared = CoapDeviceServer.start(settings.withPorts("127.0.0.1", 0, false, 0), sites, keysOfA,
                    coap.metrics, "shared")) {
                CoapClient client = coap.secureClient("x", keyOfA.identity(), keyOfA.secretBytes());
                client.setURI("coaps://127.0.0.1:" + shared.securePort() + "/school-b/r101/air");

                CoapResponse response = client.post(CoapFixture.senmlJson("co2", "ppm", 950), CoapDevices.SENML_JSON);

                assertThat(response.getCode()).isEqualTo(ResponseCode.UNAUTHORIZED);
                assertThat(response.getResponseText()).isEqualTo("unknown identity 'a-r101-air'");
                assertThat(coap.metrics.coapRefused("unknown_identity").count()).isEqualTo(1.0);
                assertThat(outboxB.size()).isZero();
            }
        } finally {
            outboxB.close();
        }
    }

    @Test
    void failsToStartOnABusyPortNamingIt() throws Exception {
        try (DatagramSocket busy = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            int port = busy.getLocalPort();
            assertThatThrownBy(() -> new CoapFixture(dir.resolve("busy"),
                    CoapFixture.settings().withPorts("127.0.0.1", port, true, 0), 10))
                    .isInstanceOf(CoapPortException.class)
                    .hasMessageContaining("coap.port").hasMessageContaining("127.0.0.1:" + port);
        }
    }

    /** A request that gets no CoAP answer returns null (timeout) or throws (handshake failure reported). */
    private static void assertThatThrownByOrNull(ThrowingRequest request) {
        try {
            CoapResponse response = request.send();
            assertThat(response).as("no CoAP answer without a completed handshake").isNull();
        } catch (Exception e) {
            assertThat(e).isNotNull();
        }
    }

    @FunctionalInterface
    private interface ThrowingRequest {
        CoapResponse send() throws Exception;
    }
}
