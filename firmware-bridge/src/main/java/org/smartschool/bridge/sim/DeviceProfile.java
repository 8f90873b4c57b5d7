package org.smartschool.bridge.sim;

import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.smartschool.bridge.routing.TopicRoute;

/**
 * What {@link PeriodicDevice} needs to know of one periodic device besides its measurements: its
 * {@link DeviceKind}, who it is, where it publishes and when it first reports. Every
 * {@link Firmware} holds one, so the device classes keep only what is particular to their kind.
 *
 * @param id the device id, {@code <room>-<kind>}, as the gateway's route resolves it from the topic
 * @param room the room (or building) the device is in
 * @param topic the device's own topic, {@code <root>/<room>/<id>}; its messages go there or below
 * @param firstReportAt when the first report is due: the device's own phase within its interval
 */
record DeviceProfile(DeviceKind kind, String id, String room, String topic, long firstReportAt) {

    DeviceProfile {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(topic, "topic");
    }

    /** The routes a gateway needs for this kind; equal for every device of the kind. */
    List<TopicRoute> routes() {
        return kind.routes();
    }

    long intervalMillis() {
        return kind.intervalMillis();
    }

    Set<FaultKind> faultKinds() {
        return kind.faultKinds();
    }

    /** The birth message (availability online), or null when this firmware publishes none. */
    SimulatedMessage online(long at) {
        return kind.availability().message(topic, true, at);
    }

    /** The last will (availability offline) the broker publishes when the device dies, or null when it has none. */
    SimulatedMessage offline(long at) {
        return kind.availability().message(topic, false, at);
    }
}
