package org.smartschool.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.bridge.uplink.BatchCodec;
import org.smartschool.bridge.uplink.UplinkTopics;
import org.smartschool.gateway.coap.CoapDevices;
import org.smartschool.gateway.config.CoapSettings;
import org.smartschool.gateway.config.GatewayConfig;
import org.smartschool.gateway.support.BrokerClients;
import org.smartschool.gateway.support.CoapClients;
import org.smartschool.gateway.support.Poll;
import org.smartschool.gateway.support.TestGatewayConfig;
import org.smartschool.gateway.testsupport.LibcoapClient;
import org.smartschool.gateway.testsupport.TestBroker;

/**
 * The hub's desired configuration changes a running gateway's CoAP devices (docs/protocol.md 3.2):
 * resource map and DTLS keys, applied without restarting the CoAP server, kept on disk, an invalid
 * version refused. Real peers: Mosquitto for the hub's side, Californium's and libcoap's clients
 * for the devices.
 */
@Timeout(120)
class GatewayRemoteCoapTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final BatchCodec BATCHES = new BatchCodec();
    private static final String AIR_IDENTITY = "r101-air";
    private static final String AIR_SECRET = "secret-of-r101-air";
    private static final String CO2_IDENTITY = "r202-co2";
    private static final String CO2_SECRET = "secret-of-r202-co2";

    @TempDir
    Path dir;
    private String broker;
    private GatewayConfig config;
    private String configTopic;
    private final List<Gateway> gateways = new ArrayList<>();
    private final CoapClients devices = new CoapClients();

    @BeforeEach
    void setUp() {
        broker = TestBroker.mqttUrl();
        String run = UUID.randomUUID().toString().substring(0, 8);
        // gateway.yaml: every path {room}/{device} is a SenML device, r101-air the one DTLS key
        config = TestGatewayConfig.of(run, broker, dir).healthIntervalMillis(300)
                .coap(CoapSettings.defaults().withPorts("127.0.0.1", 0, true, 0)
                        .withRoutes(List.of(new CoapSettings.Route("{room}/{device}", "senml", null, null, null)))
                        .withKeys(List.of(new CoapSettings.DeviceKey(AIR_IDENTITY, "r101", "air", AIR_SECRET)), null)
                        .withEnabled(true))
                .build();
        configTopic = UplinkTopics.config(config.school(), config.gatewayId());
    }

    @AfterEach
    void tearDown() throws Exception {
        devices.close();
        gateways.forEach(Gateway::close);
        if (config != null) {
            BrokerClients.forgetSession(broker, config.southClientId());
            BrokerClients.publish(broker, configTopic, new byte[0], 1, true); // clear the retained message
        }
    }

    private Gateway start() throws InterruptedException {
        Gateway gateway = Gateway.start(config, CodecRegistry.standard());
        gateways.add(gateway);
        return gateway;
    }

    private void hubSends(String desired) throws Exception {
        BrokerClients.publish(broker, configTopic, desired.getBytes(StandardCharsets.UTF_8), 1, true);
    }

    private static void waitForVersion(Gateway gateway, long version) throws InterruptedException {
        Poll.until(WAIT, "version " + version + " applied", () -> gateway.status().desiredConfigVersion().orElse(-1) == version);
    }

    private static String secure(Gateway gateway, String path) {
        return "coaps://127.0.0.1:" + gateway.coapServer().securePort() + "/" + path;
    }

    private static String plain(Gateway gateway, String path) {
        return "coap://127.0.0.1:" + gateway.coapServer().port() + "/" + path;
    }

    private static CoapResponse post(CoapClient client, String quantity, String unit, double value) throws Exception {
        return client.post("[{\"n\":\"" + quantity + "\",\"u\":\"" + unit + "\",\"v\":" + value + "}]", CoapDevices.SENML_JSON);
    }

    /** No CoAP answer: the DTLS handshake failed (Californium times out or reports it). */
    private static void assertNoAnswer(CoapClient client) {
        client.setTimeout(3_000L);
        try {
            assertThat(post(client, "co2", "ppm", 1)).as("no answer without a handshake").isNull();
        } catch (Exception e) {
            assertThat(e).as("handshake failure reported").isNotNull();
        }
    }

    private static List<Reading> readings(BrokerClients.Subscriber hub) {
        List<Reading> out = new ArrayList<>();
        for (BrokerClients.Received frame : hub.received()) {
            try {
                out.addAll(BATCHES.decode(frame.payload()).readings());
            } catch (org.smartschool.bridge.uplink.BatchFormatException e) {
                throw new AssertionError("undecodable batch", e);
            }
        }
        return out;
    }

    private static boolean hasReading(BrokerClients.Subscriber hub, String room, String device, double value) {
        return readings(hub).stream().anyMatch(r -> r.room().equals(room) && r.device().equals(device) && r.value() == value);
    }

    private static String keysVersion(long version, String... entries) {
        return "{\"version\":" + version + ",\"coap\":{\"keys\":[" + String.join(",", entries) + "]}}";
    }

    private static String key(String identity, String room, String device, String secret) {
        return "{\"identity\":\"" + identity + "\",\"room\":\"" + room + "\",\"device\":\"" + device
                + "\",\"secret\":\"" + secret + "\"}";
    }

    @Test
    void aKeyTheHubAddsPostsWithoutARestartAndOneItRemovesIsRefused() throws Exception {
        try (BrokerClients.Subscriber hub = new BrokerClients.Subscriber(broker,
                UplinkTopics.batch(config.school(), config.gatewayId()))) {
            Gateway gateway = start();
            int securePort = gateway.coapServer().securePort();
            CoapClient air = devices.secure(secure(gateway, "r101/air"), AIR_IDENTITY, AIR_SECRET);
            assertThat(post(air, "co2", "ppm", 610).getCode()).isEqualTo(ResponseCode.CHANGED);
            // r202-co2 is not known yet: its handshake fails
            assertNoAnswer(devices.secure(secure(gateway, "r202/co2"), CO2_IDENTITY, CO2_SECRET));
            Poll.until(WAIT, "the unknown identity counted",
                    () -> gateway.metrics().coapDtlsFailuresByReason().getOrDefault("unknown_identity", 0L) >= 1);

            // version 3: r202-co2 in, r101-air out
            hubSends(keysVersion(3, key(CO2_IDENTITY, "r202", "co2", CO2_SECRET)));
            waitForVersion(gateway, 3);

            CoapClient co2 = devices.secure(secure(gateway, "r202/co2"), CO2_IDENTITY, CO2_SECRET);
            assertThat(post(co2, "co2", "ppm", 820).getCode()).isEqualTo(ResponseCode.CHANGED);
            LibcoapClient libcoap = LibcoapClient.find();
            LibcoapClient.Result result = libcoap.run(WAIT, "-B", "10", "-m", "post", "-t", "110",
                    "-e", "[{\"n\":\"co2\",\"u\":\"ppm\",\"v\":821}]", "-u", CO2_IDENTITY, "-k", CO2_SECRET,
                    secure(gateway, "r202/co2"));
            assertThat(result.output()).as("2.04 prints nothing").isEmpty();
            Poll.until(WAIT, "both r202/co2 readings at the hub",
                    () -> hasReading(hub, "r202", "co2", 820) && hasReading(hub, "r202", "co2", 821));

            // r101-air's session from before: its identity is gone, 4.01; a new handshake fails
            CoapResponse refused = post(air, "co2", "ppm", 611);
            assertThat(refused.getCode()).isEqualTo(ResponseCode.UNAUTHORIZED);
            assertThat(refused.getResponseText()).isEqualTo("unknown identity 'r101-air'");
            assertNoAnswer(devices.secure(secure(gateway, "r101/air"), AIR_IDENTITY, AIR_SECRET));
            assertThat(gateway.coapServer().securePort()).as("the same DTLS endpoint").isEqualTo(securePort);
            assertThat(hasReading(hub, "r101", "air", 611)).isFalse();
            Path stored = dir.resolve("outbox.desired-config.json");
            assertThat(Files.readString(stored)).contains(CO2_IDENTITY);
            assertThat(Files.getPosixFilePermissions(stored)).as("holds keys: the gateway's user only").containsExactlyInAnyOrder(
                    java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);

            // a restart without the hub starts on version 3's keys, from disk
            BrokerClients.publish(broker, configTopic, new byte[0], 1, true);
            gateway.close();
            Gateway again = start();
            assertThat(again.status().desiredConfigVersion()).hasValue(3);
            CoapClient afterRestart = devices.secure(secure(again, "r202/co2"), CO2_IDENTITY, CO2_SECRET);
            assertThat(post(afterRestart, "co2", "ppm", 822).getCode()).isEqualTo(ResponseCode.CHANGED);
            assertNoAnswer(devices.secure(secure(again, "r101/air"), AIR_IDENTITY, AIR_SECRET));
        }
    }

    @Test
    void aResourceMappingTheHubSendsTurnsTheNextPostIntoAReadingOfTheNewRoom() throws Exception {
        try (BrokerClients.Subscriber hub = new BrokerClients.Subscriber(broker,
                UplinkTopics.batch(config.school(), config.gatewayId()))) {
            Gateway gateway = start();
            CoapClient probe = devices.plain(plain(gateway, "lab-3/probe-7"));
            assertThat(post(probe, "temperature", "Cel", 21.5).getCode()).isEqualTo(ResponseCode.CHANGED);
            Poll.until(WAIT, "the reading under gateway.yaml's map: room lab-3", () -> hasReading(hub, "lab-3", "probe-7", 21.5));

            hubSends("{\"version\":4,\"coap\":{\"routes\":["
                    + "{\"pattern\":\"lab-3/{device}\",\"codec\":\"senml\",\"room\":\"r305\"},"
                    + "{\"pattern\":\"{room}/{device}\",\"codec\":\"senml\"}]}}");
            waitForVersion(gateway, 4);

            assertThat(post(probe, "temperature", "Cel", 22.5).getCode()).isEqualTo(ResponseCode.CHANGED);
            Poll.until(WAIT, "the next reading in room r305", () -> hasReading(hub, "r305", "probe-7", 22.5));
            assertThat(hasReading(hub, "lab-3", "probe-7", 22.5)).isFalse();
            // the keys stay gateway.yaml's: the version sets none
            CoapClient air = devices.secure(secure(gateway, "r101/air"), AIR_IDENTITY, AIR_SECRET);
            assertThat(post(air, "co2", "ppm", 612).getCode()).isEqualTo(ResponseCode.CHANGED);
        }
    }

    @Test
    void anInvalidVersionIsRefusedWithoutShowingTheKeyAndTheWorkingOneKeepsServing() throws Exception {
        hubSends(keysVersion(5, key(CO2_IDENTITY, "r202", "co2", CO2_SECRET)));
        try (BrokerClients.Subscriber health = new BrokerClients.Subscriber(broker,
                UplinkTopics.health(config.school(), config.gatewayId()))) {
            Gateway gateway = start();
            waitForVersion(gateway, 5);
            String version5 = Files.readString(dir.resolve("outbox.desired-config.json"));

            // version 6: a key that is not hex; its text must appear nowhere
            String badSecret = "hex:zz41-top-secret";
            hubSends(keysVersion(6, key(CO2_IDENTITY, "r202", "co2", CO2_SECRET), key("r303-air", "r303", "air", badSecret)));
            String reason6 = "version 6: coap.keys[1].secret: not valid hex after 'hex:' (an even number of 0-9, a-f)";
            Poll.until(WAIT, "a health report refusing version 6", () -> refusals(health).contains(reason6));
            assertThat(health.received()).noneMatch(r -> r.text().contains("top-secret") || r.text().contains(CO2_SECRET));

            // version 7: a resource mapped to a codec the gateway does not have
            hubSends("{\"version\":7,\"coap\":{\"routes\":[{\"pattern\":\"{room}/{device}\",\"codec\":\"senml-9000\"}]}}");
            Poll.until(WAIT, "a health report refusing version 7", () -> refusals(health).stream()
                    .anyMatch(r -> r.startsWith("version 7: coap.routes[0].codec: unknown codec 'senml-9000': known codecs are [")));

            JsonNode latest = json(health.received().get(health.received().size() - 1));
            assertThat(latest.path("desiredConfig").path("version").asLong()).isEqualTo(5);
            assertThat(gateway.status().desiredConfigVersion()).hasValue(5);
            assertThat(Files.readString(dir.resolve("outbox.desired-config.json"))).isEqualTo(version5);
            // version 5 still runs: its key posts, and {room}/{device} still maps
            CoapClient co2 = devices.secure(secure(gateway, "r202/co2"), CO2_IDENTITY, CO2_SECRET);
            assertThat(post(co2, "co2", "ppm", 830).getCode()).isEqualTo(ResponseCode.CHANGED);
            assertThat(gateway.outbox().size() + gateway.metrics().recordsSent().count()).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void keysForAGatewayThatStartedWithoutDtlsAreRefusedAndNothingOfThatVersionApplies() throws Exception {
        config = config.withCoap(config.coap().withKeys(List.of(), null));
        try (BrokerClients.Subscriber health = new BrokerClients.Subscriber(broker,
                UplinkTopics.health(config.school(), config.gatewayId()))) {
            Gateway gateway = start();
            assertThat(gateway.coapServer().securePort()).as("no key: no DTLS").isEqualTo(-1);
            hubSends("{\"version\":2,\"coap\":{\"routes\":[{\"pattern\":\"lab-3/{device}\",\"room\":\"r305\"}],"
                    + "\"keys\":[" + key(CO2_IDENTITY, "r202", "co2", CO2_SECRET) + "]}}");
            Poll.until(WAIT, "a health report refusing version 2", () -> refusals(health).stream().anyMatch(r -> r.startsWith(
                    "version 2: coap.keys: this gateway started without any device key, so it does not listen for DTLS")));
            assertThat(gateway.status().desiredConfigVersion()).isEmpty();
            assertThat(dir.resolve("outbox.desired-config.json")).doesNotExist();
            // the version's resource map was not applied either: lab-3 is still a room of its own
            assertThat(gateway.coapSite().devices().resolve("lab-3/probe-7", CoapDevices.SENML_JSON))
                    .isInstanceOfSatisfying(CoapDevices.Resolution.Target.class, t -> assertThat(t.device().room()).isEqualTo("lab-3"));
        }
    }

    private static List<String> refusals(BrokerClients.Subscriber health) {
        return health.received().stream().map(GatewayRemoteCoapTest::json)
                .map(r -> r.path("desiredConfig").path("refusal").asText(null)).filter(java.util.Objects::nonNull).toList();
    }

    private static JsonNode json(BrokerClients.Received frame) {
        try {
            return new ObjectMapper().readTree(frame.payload());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
