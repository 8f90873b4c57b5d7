package org.smartschool.gateway.uplink;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The certificates the gateway trusts for the hub's TLS endpoint: the CA file of {@code north.caFile}
 * (PEM, one or more certificates), or the JVM's default trust store when none is configured.
 *
 * <p>Read once at start: an unreadable or invalid file stops the start with one line naming the key
 * and the file, rather than a gateway that retries a handshake it can never complete.
 */
public final class HubTrust {
    private HubTrust() {
    }

    /**
     * @param caFile the PEM file, or null for the JVM's default trust store
     * @throws IllegalArgumentException naming {@code north.caFile} and the file when it cannot be used
     */
    public static SSLSocketFactory socketFactory(String caFile) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(caFile == null ? null : trustStore(caFile));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("north.caFile " + (caFile == null ? "(JVM default trust store)" : caFile)
                    + ": cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** The certificates of the file, as a trust store; refuses a file without any. */
    static KeyStore trustStore(String caFile) throws GeneralSecurityException {
        byte[] pem;
        try {
            pem = Files.readAllBytes(Path.of(caFile));
        } catch (IOException e) {
            throw new IllegalArgumentException("north.caFile " + caFile + ": cannot read the file ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null || e.getMessage().equals(caFile)
                    ? "" : ": " + e.getMessage()) + ")", e);
        }
        Collection<? extends Certificate> certificates;
        try {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("north.caFile " + caFile + ": not a PEM certificate file ("
                    + oneLine(e.getMessage()) + ")", e);
        }
        List<X509Certificate> x509 = new ArrayList<>();
        for (Certificate c : certificates) {
            if (c instanceof X509Certificate cert) {
                x509.add(cert);
            }
        }
        if (x509.isEmpty()) {
            throw new IllegalArgumentException("north.caFile " + caFile
                    + ": contains no certificate (expected PEM: -----BEGIN CERTIFICATE-----)");
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new IllegalStateException("empty trust store", e);
        }
        for (int i = 0; i < x509.size(); i++) {
            store.setCertificateEntry("hub-ca-" + i, x509.get(i));
        }
        return store;
    }

    private static String oneLine(String text) {
        return text == null ? "unreadable" : text.replaceAll("\\s+", " ").trim();
    }
}
