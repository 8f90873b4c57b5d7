package org.smartschool.hub.fleet;

/** Why a gateway went offline: the {@code cause} of a {@link FleetEventType#GATEWAY_OFFLINE} event. */
public enum OfflineCause {
    /** The gateway sent DISCONNECT (normal close), or the hub closed the connection (the detail says why). */
    DISCONNECTED("disconnected"),
    /** The connection ended without DISCONNECT (keep-alive timeout, TCP reset) and the gateway set no will. */
    CONNECTION_LOST("connection_lost"),
    /**
     * The connection ended without DISCONNECT, or with DISCONNECT 0x04 (Disconnect with Will Message), and the
     * gateway had set a will in its CONNECT: the hub is not a broker, so it records the will instead of publishing it.
     */
    WILL("will"),
    /** Nothing arrived for {@code fleet.gatewaySilentSeconds} although the connection looked open. */
    SILENT("silent");

    private final String label;

    OfflineCause(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
