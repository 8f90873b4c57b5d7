package org.smartschool.hub.fleet;

import java.util.Arrays;

/** What happened; the label is what is stored. Labels are never renamed. */
public enum FleetEventType {
    /** A new connection of a gateway id closed the open one (MQTT session take-over). */
    SESSION_TAKEN_OVER("session_taken_over"),
    /** A gateway id was taken over too often: two devices share it; newcomers are refused for a while. */
    TAKEOVER_LOOP("takeover_loop"),
    /** A gateway connected, or spoke again after it was taken for offline because it was silent. */
    GATEWAY_ONLINE("gateway_online"),
    /** A gateway's connection ended; the event's cause says how ({@link OfflineCause}). */
    GATEWAY_OFFLINE("gateway_offline"),
    /** No batch and no health report from a gateway for {@code fleet.gatewaySilentSeconds}. */
    GATEWAY_SILENT("gateway_silent"),
    /** A silent gateway sent something again: clears its {@link #GATEWAY_SILENT}. */
    GATEWAY_BACK("gateway_back"),
    /** No reading stored of a device for {@code fleet.sensorSilentIntervals} of its expected intervals. */
    SENSOR_SILENT("sensor_silent"),
    /** A reading of a silent device was stored: clears its {@link #SENSOR_SILENT}. */
    SENSOR_BACK("sensor_back"),
    /** A gateway's desired configuration was larger than the packets it may be sent: not sent, it keeps its old one. */
    DESIRED_CONFIG_TOO_LARGE("desired_config_too_large");

    private final String label;

    FleetEventType(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static FleetEventType ofLabel(String label) {
        return Arrays.stream(values()).filter(t -> t.label.equals(label)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown fleet event type: " + label));
    }
}
