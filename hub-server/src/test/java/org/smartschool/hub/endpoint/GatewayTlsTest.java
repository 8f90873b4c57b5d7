package org.smartschool.hub.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.smartschool.hub.testsupport.Batches.T0;
import static org.smartschool.hub.testsupport.HubFixture.GATEWAY_1;
import static org.smartschool.hub.testsupport.HubFixture.SCHOOL_1;
import static org.smartschool.hub.testsupport.HubFixture.SECRET_1;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;
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
import org.smartschool.hub.testsupport.TestGateway;

/**
 * TLS on the gateway endpoint: a self-signed certificate made by the JDK's keytool in the test, written as the PEM
 * files {@code mqtt.tls.certFile} and {@code keyFile} name, and a Paho MQTT 5 client that trusts only it.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GatewayTlsTest {
    private static final char[] PASSWORD = "changeit".toCharArray();

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
        KeyStore keyStore = selfSigned(dir.resolve("hub.p12"));
        Path cert = pem(dir.resolve("hub-cert.pem"), "CERTIFICATE", keyStore.getCertificate("hub").getEncoded());
        Path key = pem(dir.resolve("hub-key.pem"), "PRIVATE KEY", ((PrivateKey) keyStore.getKey("hub", PASSWORD)).getEncoded());
        HubConfig base = HubFixture.config(dir);
        hub = HubFixture.start(vertx, base.withMqtt(base.mqtt().withTls(new TlsConfig(cert.toString(), key.toString()))));

        gateway = TestGateway.connect("ssl://127.0.0.1:" + hub.mqttPort(),
                trusting(keyStore.getCertificate("hub")).getSocketFactory(), SCHOOL_1, GATEWAY_1, GATEWAY_1, SECRET_1);

        assertThat(gateway.isConnected()).isTrue();
        assertThat(gateway.sendBatch(Batches.classroom(GATEWAY_1, SCHOOL_1, GATEWAY_1 + "-1-1", T0, 2)).reasonCode())
                .isZero();
    }

    /** Verifies that with TLS configured a plain TCP client does not get in, and one trusting another CA neither. */
    @Test
    void plainAndUntrustingClientsAreNotConnected(Vertx vertx) throws Exception {
        KeyStore keyStore = selfSigned(dir.resolve("hub.p12"));
        Path cert = pem(dir.resolve("hub-cert.pem"), "CERTIFICATE", keyStore.getCertificate("hub").getEncoded());
        Path key = pem(dir.resolve("hub-key.pem"), "PRIVATE KEY", ((PrivateKey) keyStore.getKey("hub", PASSWORD)).getEncoded());
        KeyStore stranger = selfSigned(dir.resolve("stranger.p12"));
        HubConfig base = HubFixture.config(dir);
        hub = HubFixture.start(vertx, base.withMqtt(base.mqtt().withTls(new TlsConfig(cert.toString(), key.toString()))));

        assertThatThrownBy(() -> TestGateway.connect(hub.mqttPort(), SCHOOL_1, GATEWAY_1, SECRET_1))
                .isInstanceOf(MqttException.class);
        assertThatThrownBy(() -> TestGateway.connect("ssl://127.0.0.1:" + hub.mqttPort(),
                trusting(stranger.getCertificate("hub")).getSocketFactory(), SCHOOL_1, GATEWAY_1, GATEWAY_1, SECRET_1))
                .isInstanceOf(MqttException.class);
    }

    /** A key pair and self-signed certificate for localhost and 127.0.0.1, valid two days, made by keytool. */
    private static KeyStore selfSigned(Path file) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "hub", "-keyalg", "RSA",
                "-keysize", "2048", "-validity", "2", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", new String(PASSWORD),
                "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("keytool: " + output).isZero();
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            keyStore.load(in, PASSWORD);
        }
        return keyStore;
    }

    private static Path pem(Path file, String type, byte[] der) throws Exception {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        Files.writeString(file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
        return file;
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
