package org.smartschool.hub.config;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * TLS for the gateway endpoint: the server certificate (chain) and its private key, PEM files (the key in
 * PKCS#8 or PKCS#1). Both unset: plain TCP (tests, the demo, a TLS-terminating load balancer in front).
 */
public record TlsConfig(String certFile, String keyFile) {
    public static final TlsConfig NONE = new TlsConfig(null, null);

    public TlsConfig {
        certFile = blankToNull(certFile);
        keyFile = blankToNull(keyFile);
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException(certFile == null
                    ? "mqtt.tls.certFile is required when mqtt.tls.keyFile is set"
                    : "mqtt.tls.keyFile is required when mqtt.tls.certFile is set");
        }
        requireReadable("mqtt.tls.certFile", certFile);
        requireReadable("mqtt.tls.keyFile", keyFile);
    }

    public boolean enabled() {
        return certFile != null;
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    private static void requireReadable(String key, String file) {
        if (file != null && !Files.isReadable(Path.of(file))) {
            throw new IllegalArgumentException(key + ": cannot read " + file);
        }
    }
}
