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
    private final int receiveMaximum;
    private boolean open = true;
    private long batchesReceived;
    private int inFlight;
    private boolean healthPending;
    /** Subscribed to its config topic: a changed desired configuration is sent to it then. */
    private boolean subscribedToConfig;
    /** The reason code of the gateway's DISCONNECT, or null when none came. */
    private Integer disconnectCode;
    /** Why the hub closed the connection, or null when it did not. */
    private String closedByHub;

    GatewayConnection(MqttEndpoint endpoint, GatewayConfig gateway, long connectedAt, int receiveMaximum) {
        this.endpoint = endpoint;
        this.gateway = gateway;
        this.connectedAt = connectedAt;
        this.configTopic = UplinkTopics.config(gateway.school(), gateway.id());
        this.receiveMaximum = receiveMaximum;
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

    boolean subscribedToConfig() {
        return subscribedToConfig;
    }

    void subscribedToConfig(boolean value) {
        subscribedToConfig = value;
    }

    long countBatch() {
        return ++batchesReceived;
    }

    /**
     * Counts one more QoS 1 message awaiting its PUBACK.
     *
     * @return false when the client already has Receive Maximum of them: it broke the limit of its CONNACK
     */
    boolean tryAcquire() {
        if (inFlight >= receiveMaximum) {
            return false;
        }
        inFlight++;
        return true;
    }

    /** The PUBACK of one QoS 1 message is sent (or the connection is gone). */
    void release() {
        inFlight = Math.max(0, inFlight - 1);
    }

    int inFlight() {
        return inFlight;
    }

    /**
     * Health reports are QoS 0, outside Receive Maximum: one at a time is recorded, the ones arriving meanwhile
     * are dropped (the next report replaces them), so that a flood cannot queue work without bound.
     *
     * @return true when the caller may record this one
     */
    boolean startHealth() {
        if (healthPending) {
            return false;
        }
        healthPending = true;
        return true;
    }

    void healthDone() {
        healthPending = false;
    }

    void disconnectReceived(int code) {
        disconnectCode = code;
    }

    Integer disconnectCode() {
        return disconnectCode;
    }

    void closedByHub(String why) {
        if (closedByHub == null) {
            closedByHub = why;
        }
    }

    String closedByHub() {
        return closedByHub;
    }

    @Override
    public String toString() {
        return "[gateway: " + gateway.id() + "]";
    }
}
