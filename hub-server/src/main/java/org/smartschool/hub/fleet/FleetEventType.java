package org.smartschool.hub.fleet;

import java.util.Arrays;

/** What happened; the label is what is stored. Labels are never renamed. */
public enum FleetEventType {
    /** A new connection of a gateway id closed the open one (MQTT session take-over). */
    SESSION_TAKEN_OVER("session_taken_over"),
    /** A gateway id was taken over too often: two devices share it; newcomers are refused for a while. */
    TAKEOVER_LOOP("takeover_loop");

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
