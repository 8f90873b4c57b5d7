package org.smartschool.hub.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * Self-signed certificates for TLS tests, made by the JDK's keytool (no certificate library), and their
 * PEM files as the hub's {@code mqtt.tls} and the gateway's {@code north.caFile} read them.
 */
public final class TestCertificates {
    /** The alias of the key pair in every key store made here. */
    public static final String ALIAS = "hub";
    public static final char[] PASSWORD = "changeit".toCharArray();
    /** Subject alternative names of a certificate valid for this machine's loopback. */
    public static final String LOOPBACK = "SAN=dns:localhost,ip:127.0.0.1";

    private TestCertificates() {
    }

    /** A key pair and self-signed certificate for CN=localhost with {@code san}, valid two days. */
    public static KeyStore selfSigned(Path file, String san) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", ALIAS, "-keyalg", "RSA",
                "-keysize", "2048", "-validity", "2", "-dname", "CN=localhost", "-ext", san,
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

    /** The certificate of {@code keyStore} as a PEM file. */
    public static Path certificatePem(KeyStore keyStore, Path file) throws Exception {
        return pem(file, "CERTIFICATE", keyStore.getCertificate(ALIAS).getEncoded());
    }

    /** The private key of {@code keyStore} as a PKCS#8 PEM file. */
    public static Path keyPem(KeyStore keyStore, Path file) throws Exception {
        return pem(file, "PRIVATE KEY", ((PrivateKey) keyStore.getKey(ALIAS, PASSWORD)).getEncoded());
    }

    private static Path pem(Path file, String type, byte[] der) throws Exception {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        Files.writeString(file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
        return file;
    }
}
