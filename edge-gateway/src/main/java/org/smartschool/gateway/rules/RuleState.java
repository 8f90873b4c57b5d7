package org.smartschool.gateway.rules;

import java.util.List;
import java.util.Map;

/**
 * Everything a {@link RuleEngine} knows, as plain values (for JSON on disk), so that a restarted
 * gateway goes on with the same windows, pending durations and open alarms.
 *
 * @param alerts detector alarms open, by {@code room/device/kind}
 * @param lastStates the last state each device reported, by {@code room/device/what}
 */
public record RuleState(List<RuleTrack.State> tracks, Map<String, AlertAlarms.Open> alerts,
                        Map<String, String> lastStates) {

    public RuleState {
        tracks = List.copyOf(tracks == null ? List.of() : tracks);
        alerts = Map.copyOf(alerts == null ? Map.of() : alerts);
        lastStates = Map.copyOf(lastStates == null ? Map.of() : lastStates);
    }
}
