package org.smartschool.bridge.json;

import org.smartschool.bridge.codec.DecodeProblem;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.Reading;

/** One line of canonical JSON, parsed back: a reading, an event or a problem. */
public sealed interface CanonicalRecord {

    /** The {@code kind} member: {@code reading}, {@code event} or {@code problem}. */
    String kind();

    record OfReading(Reading reading) implements CanonicalRecord {
        @Override
        public String kind() {
            return CanonicalJson.KIND_READING;
        }
    }

    record OfEvent(DeviceEvent event) implements CanonicalRecord {
        @Override
        public String kind() {
            return CanonicalJson.KIND_EVENT;
        }
    }

    record OfProblem(DecodeProblem problem) implements CanonicalRecord {
        @Override
        public String kind() {
            return CanonicalJson.KIND_PROBLEM;
        }
    }
}
