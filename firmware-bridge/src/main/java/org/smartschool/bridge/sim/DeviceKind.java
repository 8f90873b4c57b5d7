package org.smartschool.bridge.sim;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;

import org.smartschool.bridge.routing.TopicRoute;

/**
 * What every device of one kind shares: where its firmware publishes, which routes decode it, how
 * often it reports, which faults it can have and how it announces itself. One constant per
 * {@link Firmware} class; {@link #device} gives one device of the kind its {@link DeviceProfile}.
 *
 * @param root the first topic level, {@code zigbee2mqtt} in {@code zigbee2mqtt/<room>/<device>}
 * @param routes the routes a gateway needs for this kind
 * @param intervalMillis how often a device of this kind reports
 * @param faultKinds the faults this kind can have: a smoke detector has no value to stick or spike
 * @param availability its birth message and last will; without them, no {@link FaultKind#OFFLINE}
 */
record DeviceKind(String root, List<TopicRoute> routes, long intervalMillis, Set<FaultKind> faultKinds,
        Availability availability) {

    /** The faults of a device that measures values and has an availability topic. */
    static final Set<FaultKind> SENSOR_FAULTS = Collections.unmodifiableSet(
            EnumSet.of(FaultKind.STUCK, FaultKind.DROPOUT, FaultKind.SPIKE, FaultKind.OFFLINE));

    DeviceKind {
        Objects.requireNonNull(root, "root");
        routes = List.copyOf(routes);
        if (intervalMillis < 2) {
            throw new IllegalArgumentException(root + ": a report interval of at least 2 ms, got " + intervalMillis);
        }
        faultKinds = Collections.unmodifiableSet(
                faultKinds.isEmpty() ? EnumSet.noneOf(FaultKind.class) : EnumSet.copyOf(faultKinds));
        Objects.requireNonNull(availability, "availability");
        if (faultKinds.contains(FaultKind.OFFLINE) && !availability.exists()) {
            throw new IllegalArgumentException(root + ": an outage needs a last will to publish");
        }
    }

    /**
     * Device {@code id} of this kind in {@code room}, publishing under {@code <root>/<room>/<id>},
     * started at {@code start}. Devices report at their own phase within the interval, not all at
     * once: takes one draw from the device's {@code random}, so call it after the device's own draws.
     */
    DeviceProfile device(String room, String id, long start, SplittableRandom random) {
        long firstReport = start + 1 + random.nextLong(intervalMillis - 1);
        return new DeviceProfile(this, id, room, root + "/" + room + "/" + id, firstReport);
    }
}
