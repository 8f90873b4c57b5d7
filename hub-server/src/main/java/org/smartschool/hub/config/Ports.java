package org.smartschool.hub.config;

/** Checks shared by the listener configurations. */
final class Ports {
    private Ports() {
    }

    static void require(String key, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(key + " must be 0-65535 (0 picks a free port): " + port);
        }
    }

    static String requireHost(String key, String host) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException(key + " must name an address to listen on, e.g. 0.0.0.0 or 127.0.0.1");
        }
        return host.strip();
    }
}
