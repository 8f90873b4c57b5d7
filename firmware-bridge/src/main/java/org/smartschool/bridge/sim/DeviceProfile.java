package org.smartschool.bridge.sim;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;

import org.smartschool.bridge.routing.TopicRoute;

/**
 * What {@link PeriodicDevice} needs to know of one periodic device besides its measurements: who it
 * is, where it publishes, how often, from when, which faults it can have and how it announces
 * itself. Every {@link Firmware} holds one, so the device classes keep only what is particular to
 * their kind.
 *
 * @param id the device id, {@code <room>-<kind>}, as the gateway's route resolves it from the topic
 * @param room the room (or building) the device is in
 * @param topic the device's own topic, {@code <root>/<room>/<id>}; its messages go there or below
 * @param routes the routes a gateway needs for this kind; equal for every device of the kind
 * @param intervalMillis how often the device reports
 * @param firstReportAt when the first report is due: the device's own phase within its interval
 * @param faultKinds the faults this kind can have: a smoke detector has no value to stick or spike
 * @param availability its birth message and last will; without them, no {@link FaultKind#OFFLINE}
 */
record DeviceProfile(String id, String room, String topic, List<TopicRoute> routes, long intervalMillis,
        long firstReportAt, Set<FaultKind> faultKinds, Availability availability) {

    /** The faults of a device that measures values and has an availability topic. */
    static final Set<FaultKind> SENSOR_FAULTS = Collections.unmodifiableSet(
            EnumSet.of(FaultKind.STUCK, FaultKind.DROPOUT, FaultKind.SPIKE, FaultKind.OFFLINE));

    DeviceProfile {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(topic, "topic");
        routes = List.copyOf(routes);
        faultKinds = Collections.unmodifiableSet(
                faultKinds.isEmpty() ? EnumSet.noneOf(FaultKind.class) : EnumSet.copyOf(faultKinds));
        Objects.requireNonNull(availability, "availability");
        if (faultKinds.contains(FaultKind.OFFLINE) && !availability.exists()) {
            throw new IllegalArgumentException(id + ": an outage needs a last will to publish");
        }
    }

    /** The profile of device {@code id} in {@code room}, publishing under {@code <root>/<room>/<id>}. */
    static DeviceProfile of(String root, String room, String id, List<TopicRoute> routes, long intervalMillis,
            long firstReportAt, Set<FaultKind> faultKinds, Availability availability) {
        return new DeviceProfile(id, room, root + "/" + room + "/" + id, routes, intervalMillis, firstReportAt,
                faultKinds, availability);
    }

    /**
     * When a device started at {@code start} first reports: devices report at their own phase
     * within the interval, not all at once. Takes one draw from {@code random}.
     */
    static long firstReport(long start, long intervalMillis, SplittableRandom random) {
        return start + 1 + random.nextLong(intervalMillis - 1);
    }

    /** The birth message (availability online), or null when this firmware publishes none. */
    SimulatedMessage online(long at) {
        return availability.message(topic, true, at);
    }

    /** The last will (availability offline) the broker publishes when the device dies, or null when it has none. */
    SimulatedMessage offline(long at) {
        return availability.message(topic, false, at);
    }
}
