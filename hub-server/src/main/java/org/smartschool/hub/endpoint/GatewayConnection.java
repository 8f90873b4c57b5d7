package org.smartschool.hub.endpoint;

import io.vertx.mqtt.MqttEndpoint;
import org.smartschool.bridge.uplink.UplinkTopics;
import org.smartschool.hub.config.GatewayConfig;

/**
 * Everything the endpoint knows about one authenticated gateway connection, in one object owned
 * by the endpoint's event loop (no other thread reads or changes it).
 */
final class GatewayConnection {
    private final MqttEndpoint endpoint;
    private final GatewayConfig gateway;
    private final long connectedAt;
    private final String configTopic;
    private boolean open = true;
    private long batchesReceived;

    GatewayConnection(MqttEndpoint endpoint, GatewayConfig gateway, long connectedAt) {
        this.endpoint = endpoint;
        this.gateway = gateway;
        this.connectedAt = connectedAt;
        this.configTopic = UplinkTopics.config(gateway.school(), gateway.id());
    }

    MqttEndpoint endpoint() {
        return endpoint;
    }

    GatewayConfig gateway() {
        return gateway;
    }

    String gatewayId() {
        return gateway.id();
    }

    String school() {
        return gateway.school();
    }

    long connectedAt() {
        return connectedAt;
    }

    String configTopic() {
        return configTopic;
    }

    /** True until the connection closed or was taken over; acknowledgements go only to open connections. */
    boolean isOpen() {
        return open && endpoint.isConnected();
    }

    /** @return true the first time, so that the caller releases the connection's resources once */
    boolean markClosed() {
        boolean wasOpen = open;
        open = false;
        return wasOpen;
    }

    long countBatch() {
        return ++batchesReceived;
    }

    @Override
    public String toString() {
        return "[gateway: " + gateway.id() + "]";
    }
}
