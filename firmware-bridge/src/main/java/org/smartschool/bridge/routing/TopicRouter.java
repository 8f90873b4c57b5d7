package org.smartschool.bridge.routing;

import java.util.List;

import org.smartschool.bridge.codec.Codec;
import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.Ids;

/**
 * Finds, for a topic, the codec and the device it belongs to, from the configured routes
 * (first match wins). A topic no route matches is an unknown device, for the gateway to count.
 */
public final class TopicRouter {
    private final String school;
    private final List<TopicRoute> routes;
    private final CodecRegistry codecs;

    /** @throws IllegalArgumentException when a route names a codec that does not exist */
    public TopicRouter(String school, List<TopicRoute> routes, CodecRegistry codecs) {
        this.school = Ids.require("school", school);
        this.routes = List.copyOf(routes);
        this.codecs = codecs;
        for (TopicRoute route : this.routes) {
            codecs.require(route.codec());
        }
    }

    public Routing route(String topic) {
        for (TopicRoute route : routes) {
            TopicRoute.Match match = route.match(topic);
            if (match == null) {
                continue;
            }
            if (!Ids.isValid(match.room()) || !Ids.isValid(match.device())) {
                return new Routing.Unknown(topic, "topic names an invalid room or device id");
            }
            return new Routing.Routed(codecs.require(route.codec()), new DeviceRef(school, match.room(), match.device()));
        }
        return new Routing.Unknown(topic, "no route matches the topic");
    }

    /** The MQTT filters to subscribe to, one per route, without repeats. */
    public List<String> subscriptions() {
        return routes.stream().map(TopicRoute::subscription).distinct().toList();
    }

    /** Where a topic goes. */
    public sealed interface Routing {
        record Routed(Codec codec, DeviceRef device) implements Routing {
        }

        record Unknown(String topic, String reason) implements Routing {
        }
    }
}
