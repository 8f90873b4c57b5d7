package org.smartschool.bridge.sim;

import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import org.smartschool.bridge.routing.TopicRoute;

/**
 * What every device behind the school's Zigbee2MQTT shares: its topics
 * ({@code zigbee2mqtt/<friendly_name>}, the friendly name being {@code <room>/<device>}), the
 * availability message (https://www.zigbee2mqtt.io/guide/configuration/device-availability.html),
 * JSON since Zigbee2MQTT 2.0, published by the bridge itself when it stops hearing from a device,
 * and the link quality it adds to every state.
 */
final class Zigbee2Mqtt {
    static final String ROOT = "zigbee2mqtt";
    static final List<TopicRoute> ROUTES = List.of(
            new TopicRoute("zigbee2mqtt/{room}/{device}/availability", "zigbee2mqtt"),
            new TopicRoute("zigbee2mqtt/{room}/{device}", "zigbee2mqtt"));
    /** {@code <base>/<friendly_name>/availability}. */
    static final Availability AVAILABILITY = Availability.on("availability",
            "{\"state\":\"online\"}", "{\"state\":\"offline\"}");

    private Zigbee2Mqtt() {
    }

    /** A kind of Zigbee device reporting every {@code intervalMillis}, with these faults. */
    static DeviceKind kind(long intervalMillis, Set<FaultKind> faultKinds) {
        return new DeviceKind(ROOT, ROUTES, intervalMillis, faultKinds, AVAILABILITY);
    }

    /** A link quality (0-255) around the device's own {@code base}, as the coordinator hears it now. */
    static double linkQuality(double base, SplittableRandom random, double sigma) {
        return Math.max(0, Math.min(255, Math.round(base + Seeds.gaussian(random, sigma))));
    }
}
