package org.smartschool.hub.config;

/**
 * The MQTT endpoint that gateways connect to.
 *
 * @param port            0 picks a free port (tests, the demo)
 * @param maxMessageBytes the largest batch payload accepted; a larger one is refused with PUBACK 0x97
 */
public record MqttConfig(String host, int port, int maxMessageBytes) {
    public static final int ONE_MIB = 1024 * 1024;
    /** The MQTT "remaining length" limit, less room for the topic and properties. */
    public static final int MAX_MESSAGE_BYTES_LIMIT = 128 * ONE_MIB;
    public static final MqttConfig DEFAULT = new MqttConfig("0.0.0.0", 1884, ONE_MIB);

    public MqttConfig {
        host = Ports.requireHost("mqtt.host", host);
        Ports.require("mqtt.port", port);
        if (maxMessageBytes < 1024 || maxMessageBytes > MAX_MESSAGE_BYTES_LIMIT) {
            throw new IllegalArgumentException("mqtt.maxMessageBytes must be between 1024 and "
                    + MAX_MESSAGE_BYTES_LIMIT + ": " + maxMessageBytes);
        }
    }
}
