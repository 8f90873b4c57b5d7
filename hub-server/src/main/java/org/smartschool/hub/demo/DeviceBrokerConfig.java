package org.smartschool.hub.demo;

import java.nio.file.Path;

/**
 * Settings of the demo's device-side MQTT broker.
 *
 * @param host            address to listen on; loopback by default, since the demo's devices are in-process
 * @param port            TCP port, 0 for any free port
 * @param dataDir         where the broker keeps sessions and queued messages; null keeps everything in memory
 * @param maxMessageBytes largest accepted MQTT packet (the broker's own default is a tight 8 KiB)
 */
public record DeviceBrokerConfig(String host, int port, Path dataDir, int maxMessageBytes) {
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 256 * 1024;

    public DeviceBrokerConfig {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("deviceBroker.host: must not be empty");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("deviceBroker.port: " + port + " is not a TCP port (0-65535, 0 = any free port)");
        }
        if (maxMessageBytes < 1024) {
            throw new IllegalArgumentException("deviceBroker.maxMessageBytes: " + maxMessageBytes + " is below 1024");
        }
    }

    /** In memory, on loopback, on the given port (0 = any free port). */
    public static DeviceBrokerConfig inMemory(int port) {
        return new DeviceBrokerConfig("127.0.0.1", port, null, DEFAULT_MAX_MESSAGE_BYTES);
    }

    /** The same broker, keeping its state under {@code dir}. */
    public DeviceBrokerConfig withDataDir(Path dir) {
        return new DeviceBrokerConfig(host, port, dir, maxMessageBytes);
    }
}
