package org.smartschool.hub.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.smartschool.hub.testsupport.Batches.T0;
import static org.smartschool.hub.testsupport.HubFixture.GATEWAY_1;
import static org.smartschool.hub.testsupport.HubFixture.SCHOOL_1;
import static org.smartschool.hub.testsupport.HubFixture.SECRET_1;

import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.hub.app.Hub;
import org.smartschool.hub.config.HubConfig;
import org.smartschool.hub.config.TlsConfig;
import org.smartschool.hub.testsupport.Batches;
import org.smartschool.hub.testsupport.HubFixture;
import org.smartschool.hub.testsupport.TestCertificates;
import org.smartschool.hub.testsupport.TestGateway;

/**
 * TLS on the gateway endpoint: a self-signed certificate made by the JDK's keytool in the test, written as the PEM
 * files {@code mqtt.tls.certFile} and {@code keyFile} name, and a Paho MQTT 5 client that trusts only it.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GatewayTlsTest {

    @TempDir
    Path dir;

    private Hub hub;
    private TestGateway gateway;

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (hub != null) {
            HubFixture.await(hub.close());
        }
    }

    /** Verifies that a gateway trusting the hub's certificate connects over TLS and its batch is stored. */
    @Test
    void gatewayConnectsOverTlsAndBatchIsStored(Vertx vertx) throws Exception {
        KeyStore keyStore = TestCertificates.selfSigned(dir.resolve("hub.p12"), TestCertificates.LOOPBACK);
        Path cert = TestCertificates.certificatePem(keyStore, dir.resolve("hub-cert.pem"));
        Path key = TestCertificates.keyPem(keyStore, dir.resolve("hub-key.pem"));
        HubConfig base = HubFixture.config(dir);
        hub = HubFixture.start(vertx, base.withMqtt(base.mqtt().withTls(new TlsConfig(cert.toString(), key.toString()))));

        gateway = TestGateway.connect("ssl://127.0.0.1:" + hub.mqttPort(),
                trusting(keyStore.getCertificate(TestCertificates.ALIAS)).getSocketFactory(), SCHOOL_1, GATEWAY_1, GATEWAY_1, SECRET_1);

        assertThat(gateway.isConnected()).isTrue();
        assertThat(gateway.sendBatch(Batches.classroom(GATEWAY_1, SCHOOL_1, GATEWAY_1 + "-1-1", T0, 2)).reasonCode())
                .isZero();
    }

    /** Verifies that with TLS configured a plain TCP client does not get in, and one trusting another CA neither. */
    @Test
    void plainAndUntrustingClientsAreNotConnected(Vertx vertx) throws Exception {
        KeyStore keyStore = TestCertificates.selfSigned(dir.resolve("hub.p12"), TestCertificates.LOOPBACK);
        Path cert = TestCertificates.certificatePem(keyStore, dir.resolve("hub-cert.pem"));
        Path key = TestCertificates.keyPem(keyStore, dir.resolve("hub-key.pem"));
        KeyStore stranger = TestCertificates.selfSigned(dir.resolve("stranger.p12"), TestCertificates.LOOPBACK);
        HubConfig base = HubFixture.config(dir);
        hub = HubFixture.start(vertx, base.withMqtt(base.mqtt().withTls(new TlsConfig(cert.toString(), key.toString()))));

        assertThatThrownBy(() -> TestGateway.connect(hub.mqttPort(), SCHOOL_1, GATEWAY_1, SECRET_1))
                .isInstanceOf(MqttException.class);
        assertThatThrownBy(() -> TestGateway.connect("ssl://127.0.0.1:" + hub.mqttPort(),
                trusting(stranger.getCertificate(TestCertificates.ALIAS)).getSocketFactory(), SCHOOL_1, GATEWAY_1, GATEWAY_1, SECRET_1))
                .isInstanceOf(MqttException.class);
    }

    private static SSLContext trusting(Certificate certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("hub", certificate);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
