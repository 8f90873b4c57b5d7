package org.smartschool.hub.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smartschool.hub.testsupport.HubFixture.GATEWAY_1;
import static org.smartschool.hub.testsupport.HubFixture.SCHOOL_1;
import static org.smartschool.hub.testsupport.HubFixture.SECRET_1;

import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.gateway.app.Gateway;
import org.smartschool.gateway.config.GatewayConfig;
import org.smartschool.gateway.mqtt.ConnectLoop;
import org.smartschool.gateway.support.Poll;
import org.smartschool.gateway.support.Records;
import org.smartschool.gateway.testsupport.TcpProxy;
import org.smartschool.hub.app.Hub;
import org.smartschool.hub.config.HubConfig;
import org.smartschool.hub.config.TlsConfig;
import org.smartschool.hub.testsupport.Http;
import org.smartschool.hub.testsupport.HubFixture;
import org.smartschool.hub.testsupport.TestCertificates;

/**
 * The real edge gateway ({@link Gateway}, its Paho uplink) against the real hub's TLS endpoint: the hub's
 * certificate is verified against the gateway's {@code north.caFile} and must name the host of
 * {@code north.url}. Certificates are made by the JDK's keytool, as in {@link GatewayTlsTest}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class GatewayUplinkTlsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private Hub hub;
    private Gateway gateway;
    private TcpProxy proxy;
    private ListAppender<ILoggingEvent> connectLog;

    @AfterEach
    void stop() throws Exception {
        if (connectLog != null) {
            ((Logger) LoggerFactory.getLogger(ConnectLoop.class)).detachAppender(connectLog);
        }
        if (gateway != null) {
            gateway.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (hub != null) {
            HubFixture.await(hub.close());
        }
    }

    /** Verifies that a gateway whose north.caFile holds the hub's certificate delivers its batches over TLS. */
    @Test
    void gatewayWithTheHubsCaDeliversBatchesOverTls(Vertx vertx) throws Exception {
        KeyStore hubKeys = startTlsHub(vertx, TestCertificates.LOOPBACK);
        Path ca = TestCertificates.certificatePem(hubKeys, dir.resolve("hub-ca.pem"));

        gateway = Gateway.start(gatewayConfig("ssl://127.0.0.1:" + hub.mqttPort(), ca.toString()),
                CodecRegistry.standard());
        gateway.outbox().append(Records.co2(SCHOOL_1, "r101", 5), Records.doors(SCHOOL_1, "r101", 2));

        Http http = Http.admin(hub);
        // the uplink empties the outbox a moment before it counts the records sent: wait for both
        Poll.until(WAIT, "the outbox delivered over TLS",
                () -> gateway.status().outboxRecords() == 0 && gateway.status().recordsSent() > 0);
        assertThat(gateway.status().northConnected()).isTrue();
        assertThat(gateway.status().recordsSent()).isEqualTo(7);
        assertThat(gateway.status().batchesSent()).isEqualTo(1);
        assertThat(http.metric("hub_readings_stored_total")).isEqualTo(5.0);
    }

    /**
     * Verifies that a gateway trusting another CA is refused: it says so in one line naming north.caFile,
     * retries with its backoff (not in a hot loop) and keeps its records in the outbox.
     */
    @Test
    void gatewayWithAnotherCaIsRefusedAndKeepsItsRecords(Vertx vertx) throws Exception {
        startTlsHub(vertx, TestCertificates.LOOPBACK);
        KeyStore stranger = TestCertificates.selfSigned(dir.resolve("stranger.p12"), TestCertificates.LOOPBACK);
        Path ca = TestCertificates.certificatePem(stranger, dir.resolve("stranger-ca.pem"));

        assertRefused(ca, "the hub's certificate is not trusted by north.caFile " + ca + " (PKIX path");
    }

    /** Verifies hostname verification: a certificate the CA file trusts but issued for another host is refused. */
    @Test
    void certificateForAnotherHostIsRefused(Vertx vertx) throws Exception {
        KeyStore hubKeys = startTlsHub(vertx, "SAN=dns:hub.elsewhere.example");
        Path ca = TestCertificates.certificatePem(hubKeys, dir.resolve("hub-ca.pem"));

        assertRefused(ca, "the hub's certificate does not name the host of north.url (No subject alternative names "
                + "matching IP address 127.0.0.1 found)");
    }

    private void assertRefused(Path ca, String expectedInLog) throws Exception {
        connectLog = new ListAppender<>();
        connectLog.start();
        ((Logger) LoggerFactory.getLogger(ConnectLoop.class)).addAppender(connectLog);
        // through a counting forwarder: how often the gateway tries shows whether it backs off
        proxy = new TcpProxy("tcp://127.0.0.1:" + hub.mqttPort()).up();
        gateway = Gateway.start(gatewayConfig("ssl://127.0.0.1:" + proxy.port(), ca.toString()),
                CodecRegistry.standard());
        gateway.outbox().append(Records.co2(SCHOOL_1, "r101", 5), List.of());
        long started = System.nanoTime();

        // the path is live: the gateway reaches the hub and its handshakes fail, again and again
        Poll.until(WAIT, "three refused handshakes", () -> proxy.accepted() >= 3);
        Poll.until(WAIT, "the failure logged", () -> handshakeFailures().size() >= 1);
        Thread.sleep(2_000); // a stretch of refusals to count attempts over; the bound below is what is tested
        long attempts = proxy.accepted();
        double seconds = (System.nanoTime() - started) / 1e9;

        assertThat(handshakeFailures().get(0)).contains("TLS handshake with ssl://127.0.0.1:" + proxy.port() + " failed")
                .contains(expectedInLog).doesNotContain("\n").doesNotContain("MqttException");
        // backoff 100 ms doubling to 1 s with full jitter: a handful a second; a hot loop makes hundreds
        assertThat(attempts).as("connection attempts in %.1f s", seconds).isLessThan(10 + (long) (seconds * 10));
        assertThat(gateway.status().northConnected()).isFalse();
        assertThat(gateway.status().outboxRecords()).isEqualTo(5);
        assertThat(gateway.status().batchesSent()).isZero();
        assertThat(Http.admin(hub).metric("hub_readings_stored_total")).isZero();
    }

    private List<String> handshakeFailures() {
        List<String> out = new ArrayList<>();
        for (ILoggingEvent event : List.copyOf(connectLog.list)) {
            if (event.getFormattedMessage().contains("TLS handshake")) {
                out.add(event.getFormattedMessage());
            }
        }
        return out;
    }

    /** Starts the hub with TLS from a fresh key pair whose certificate carries {@code san}; returns the keys. */
    private KeyStore startTlsHub(Vertx vertx, String san) throws Exception {
        KeyStore keyStore = TestCertificates.selfSigned(dir.resolve("hub.p12"), san);
        Path cert = TestCertificates.certificatePem(keyStore, dir.resolve("hub-cert.pem"));
        Path key = TestCertificates.keyPem(keyStore, dir.resolve("hub-key.pem"));
        HubConfig base = HubFixture.config(dir);
        hub = HubFixture.start(vertx, base.withMqtt(base.mqtt().withTls(new TlsConfig(cert.toString(), key.toString()))));
        return keyStore;
    }

    private GatewayConfig gatewayConfig(String northUrl, String caFile) {
        return new GatewayConfig(GATEWAY_1, SCHOOL_1,
                // no school broker in this test: the south side retries in the background
                GatewayConfig.SouthSettings.defaults().withUrl("tcp://127.0.0.1:1"),
                new GatewayConfig.NorthSettings(northUrl, SECRET_1, caFile),
                new GatewayConfig.OutboxSettings(dir.resolve("outbox.db").toString(), 10_000, 100),
                new GatewayConfig.UplinkSettings(500, 50, 100, 1_000, 60_000, 5_000));
    }
}
