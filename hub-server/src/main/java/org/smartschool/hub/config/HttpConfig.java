package org.smartschool.hub.config;

/**
 * The HTTP server: API, metrics, health and the overview page.
 *
 * @param port 0 picks a free port (tests, the demo); the bound port is reported by the hub
 */
public record HttpConfig(String host, int port) {
    public static final HttpConfig DEFAULT = new HttpConfig("0.0.0.0", 8080);

    public HttpConfig {
        host = Ports.requireHost("http.host", host);
        Ports.require("http.port", port);
    }
}
