package org.smartschool.bridge.codec;

import java.util.List;

import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.Reading;

/**
 * What a codec made of one device message: the records it could decode, and a problem for every
 * field it could not. A bad field never becomes a wrong value: it is left out and named here.
 *
 * @param ignored true when the message is deliberately not decoded (a bridge's own status topic)
 */
public record DecodeResult(List<Reading> readings, List<DeviceEvent> events, List<DecodeProblem> problems,
                           boolean ignored) {

    public DecodeResult {
        readings = List.copyOf(readings);
        events = List.copyOf(events);
        problems = List.copyOf(problems);
    }

    public static DecodeResult of(List<Reading> readings, List<DeviceEvent> events, List<DecodeProblem> problems) {
        return new DecodeResult(readings, events, problems, false);
    }

    public static DecodeResult rejected(DecodeProblem problem) {
        return new DecodeResult(List.of(), List.of(), List.of(problem), false);
    }

    public static DecodeResult ignoredMessage() {
        return new DecodeResult(List.of(), List.of(), List.of(), true);
    }

    public boolean hasProblems() {
        return !problems.isEmpty();
    }

    public int recordCount() {
        return readings.size() + events.size();
    }
}
