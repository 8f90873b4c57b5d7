package org.smartschool.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.gateway.config.CoapSettings;
import org.smartschool.gateway.config.GatewayConfig;
import org.smartschool.gateway.testsupport.LibcoapClient;

/** Verifies that a gateway with {@code coap.enabled} serves CoAP devices into its outbox (no hub needed). */
@Timeout(60)
class GatewayCoapTest {
    @TempDir
    Path dir;

    @Test
    void recordsWhatACoapDevicePostsAndStopsListeningOnClose() throws Exception {
        LibcoapClient client = LibcoapClient.find();
        GatewayConfig config = new GatewayConfig("gw-coap-app", "thcs-coap-app",
                GatewayConfig.SouthSettings.defaults().withUrl("tcp://127.0.0.1:1"),
                new GatewayConfig.NorthSettings("tcp://127.0.0.1:1", "secret"),
                new GatewayConfig.OutboxSettings(dir.resolve("outbox.db").toString(), 10_000, 100),
                GatewayConfig.UplinkSettings.defaults(), null,
                CoapSettings.defaults().withPorts("127.0.0.1", 0, true, 0).withEnabled(true), null);
        int port;
        try (Gateway gateway = Gateway.start(config, CodecRegistry.standard())) {
            port = gateway.coapServer().port();
            assertThat(gateway.coapServer().securePort()).as("no keys: no DTLS port").isEqualTo(-1);

            LibcoapClient.Result result = client.run(Duration.ofSeconds(20), "-B", "10", "-m", "post", "-t", "110", "-e",
                    "[{\"bn\":\"urn:dev:r101-air:\",\"n\":\"temperature\",\"u\":\"Cel\",\"v\":24.5}]",
                    "coap://127.0.0.1:" + port + "/r101/air");

            assertThat(result.output()).isEmpty();
            List<Reading> readings = gateway.outbox().peek(100).readings();
            assertThat(readings).singleElement().satisfies(r -> {
                assertThat(r.school()).isEqualTo("thcs-coap-app");
                assertThat(r.room()).isEqualTo("r101");
                assertThat(r.quantity()).isEqualTo(Quantity.TEMPERATURE);
                assertThat(r.value()).isEqualTo(24.5);
            });
            assertThat(gateway.metrics().coapRequests().count()).isEqualTo(1.0);
        }
        // the port is free again once the gateway stopped
        try (java.net.DatagramSocket again = new java.net.DatagramSocket(port, java.net.InetAddress.getByName("127.0.0.1"))) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
    }
}
