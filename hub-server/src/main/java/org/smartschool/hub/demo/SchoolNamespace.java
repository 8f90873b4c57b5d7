package org.smartschool.hub.demo;

import java.util.List;

import org.smartschool.bridge.routing.TopicRoute;

/**
 * Keeps the schools apart on the demo's one device broker, where in reality each school has its
 * own: the school id becomes the first level of each Zigbee2MQTT friendly name, so
 * {@code zigbee2mqtt/r101/r101-air} of school-01 is published as
 * {@code zigbee2mqtt/school-01/r101/r101-air}, exactly what a Zigbee2MQTT whose devices are named
 * {@code school-01/r101/r101-air} would send. The topic's first level (the base topic) stays first,
 * so codecs that look at it still see it.
 */
final class SchoolNamespace {
    private final String school;

    SchoolNamespace(String school) {
        this.school = school;
    }

    /** {@code base/rest} becomes {@code base/school/rest}. */
    String topic(String deviceTopic) {
        int slash = deviceTopic.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("topic '" + deviceTopic + "' has no base level to put the school after");
        }
        return deviceTopic.substring(0, slash + 1) + school + deviceTopic.substring(slash);
    }

    /** The gateway's routes for the namespaced topics: the same codecs, rooms and devices. */
    List<TopicRoute> routes(List<TopicRoute> deviceRoutes) {
        return deviceRoutes.stream()
                .map(r -> new TopicRoute(topic(r.pattern()), r.codec(), r.room(), r.device(), null))
                .toList();
    }
}
