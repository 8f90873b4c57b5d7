package org.smartschool.hub.fleet;

import java.util.List;

import org.smartschool.bridge.uplink.Batch;

/** Tells several listeners what the endpoint reports, in the order given (fleet liveness first). */
public final class GatewayActivityTee implements GatewayActivity {
    private final List<GatewayActivity> listeners;

    private GatewayActivityTee(List<GatewayActivity> listeners) {
        this.listeners = listeners;
    }

    public static GatewayActivity of(GatewayActivity... listeners) {
        return new GatewayActivityTee(List.of(listeners));
    }

    @Override
    public void connected(String gateway, String school, Object connection) {
        for (GatewayActivity l : listeners) {
            l.connected(gateway, school, connection);
        }
    }

    @Override
    public void disconnected(String gateway, Object connection, OfflineCause cause, String detail) {
        for (GatewayActivity l : listeners) {
            l.disconnected(gateway, connection, cause, detail);
        }
    }

    @Override
    public void contact(String gateway, String school) {
        for (GatewayActivity l : listeners) {
            l.contact(gateway, school);
        }
    }

    @Override
    public void healthRecorded(String gateway, String school, String healthJson) {
        for (GatewayActivity l : listeners) {
            l.healthRecorded(gateway, school, healthJson);
        }
    }

    @Override
    public void batchStored(Batch batch) {
        for (GatewayActivity l : listeners) {
            l.batchStored(batch);
        }
    }
}
