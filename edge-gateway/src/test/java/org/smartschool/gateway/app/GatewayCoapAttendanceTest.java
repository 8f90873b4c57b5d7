package org.smartschool.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smartschool.gateway.support.AttendanceFixture.ON_TIME;
import static org.smartschool.gateway.support.AttendanceFixture.uid;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.EventType;
import org.smartschool.gateway.config.CoapSettings;
import org.smartschool.gateway.config.GatewayConfig;
import org.smartschool.gateway.support.AttendanceFixture;
import org.smartschool.gateway.testsupport.LibcoapClient;
import org.smartschool.gateway.uplink.DesiredConfigStore;

/**
 * Verifies that a CoAP door reader (JSON taps, Content-Format 50, on a route whose {@code jsonCodec} is
 * {@code card-reader}) gets attendance's answer in the response to its POST, from libcoap's
 * {@code coap-client}, with the plan the gateway stored from the hub earlier (no hub needed).
 */
@Timeout(60)
class GatewayCoapAttendanceTest {
    @TempDir
    Path dir;

    @Test
    void aCoapReaderGetsItsAnswerInTheResponse() throws Exception {
        LibcoapClient client = LibcoapClient.find();
        Path outbox = dir.resolve("outbox.db");
        // what the gateway kept of the hub's last desired configuration
        new DesiredConfigStore(DesiredConfigStore.nextTo(outbox)).store(
                AttendanceFixture.desiredConfig(4, AttendanceFixture.startingNow()).getBytes(StandardCharsets.UTF_8));
        GatewayConfig config = new GatewayConfig("gw-coap-att", "school-coap-att",
                GatewayConfig.SouthSettings.defaults().withUrl("tcp://127.0.0.1:1"),
                new GatewayConfig.NorthSettings("tcp://127.0.0.1:1", "secret"),
                new GatewayConfig.OutboxSettings(outbox.toString(), 10_000, 100),
                GatewayConfig.UplinkSettings.defaults(), null,
                CoapSettings.defaults().withPorts("127.0.0.1", 0, true, 0).withEnabled(true)
                        .withRoutes(List.of(new CoapSettings.Route("doors/{room}/{device}", null, "card-reader", null, null))),
                null);
        try (Gateway gateway = Gateway.start(config, CodecRegistry.standard())) {
            assertThat(gateway.attendance().on()).isTrue();
            int port = gateway.coapServer().port();

            LibcoapClient.Result green = client.run(Duration.ofSeconds(20), "-B", "10", "-m", "post", "-t", "50", "-e",
                    "{\"uid\":\"" + uid(ON_TIME) + "\"}",
                    "coap://127.0.0.1:" + port + "/doors/r101/reader-r101");
            assertThat(green.exitCode()).isZero();
            assertThat(green.stdout().strip()).startsWith("{\"answer\":\"green\",\"outcome\":\"present\",\"tap\":\"");

            LibcoapClient.Result wrongRoom = client.run(Duration.ofSeconds(20), "-B", "10", "-m", "post", "-t", "50", "-e",
                    "{\"uid\":\"" + uid(AttendanceFixture.LATE) + "\"}", "coap://127.0.0.1:" + port + "/doors/r102/reader-r102");
            assertThat(wrongRoom.stdout().strip()).startsWith("{\"answer\":\"red\",\"outcome\":\"wrong_room\",");

            List<DeviceEvent> events = gateway.outbox().peek(100).events();
            assertThat(events).extracting(DeviceEvent::type)
                    .containsExactly(EventType.CARD_TAP, EventType.ATTENDANCE, EventType.CARD_TAP);
            assertThat(events.get(1).attributes()).containsEntry("learner_id", ON_TIME).containsEntry("category", "present");
            assertThat(events).allSatisfy(e -> assertThat(e.attributes()).doesNotContainKey("uid"));
            assertThat(gateway.attendance().counters().wrongRoom()).isEqualTo(1);
        }
    }
}
