package org.smartschool.hub.config;

/**
 * The HTTP server: API, metrics, health and the overview page.
 *
 * @param host        loopback by default: put a reverse proxy in front, or set {@code 0.0.0.0} to serve others
 * @param port        0 picks a free port (tests, the demo); the bound port is reported by the hub
 * @param readThreads worker threads for the store reads of the API and {@code /health}, apart from ingest
 */
public record HttpConfig(String host, int port, int readThreads) {
    public static final int DEFAULT_READ_THREADS = 4;
    public static final HttpConfig DEFAULT = new HttpConfig("127.0.0.1", 8080);

    public HttpConfig {
        host = Ports.requireHost("http.host", host);
        Ports.require("http.port", port);
        MqttConfig.requireThreads("http.readThreads", readThreads);
    }

    public HttpConfig(String host, int port) {
        this(host, port, DEFAULT_READ_THREADS);
    }
}
