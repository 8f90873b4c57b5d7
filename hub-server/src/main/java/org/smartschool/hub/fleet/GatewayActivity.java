package org.smartschool.hub.fleet;

import org.smartschool.bridge.uplink.Batch;

/**
 * What the gateway endpoint tells the fleet about its gateways. Calls are cheap (memory only) and may come
 * from the endpoint's event loop or its store workers.
 */
public interface GatewayActivity {

    /** Nothing listens (tests of the endpoint alone). */
    GatewayActivity NONE = new GatewayActivity() {
    };

    /**
     * A gateway's connection was accepted.
     *
     * @param connection identifies this connection, so that the close of a connection taken over is told apart
     */
    default void connected(String gateway, String school, Object connection) {
    }

    /** A connection of a gateway ended; ignored unless it is the gateway's current one. */
    default void disconnected(String gateway, Object connection, OfflineCause cause, String detail) {
    }

    /** The gateway sent something (any PUBLISH). */
    default void contact(String gateway, String school) {
    }

    /** A health report of the gateway was recorded (JSON text). */
    default void healthRecorded(String gateway, String school, String healthJson) {
    }

    /** A batch was durably stored (also a replay): its devices were heard from. Called after the store committed. */
    default void batchStored(Batch batch) {
    }
}
