package org.smartschool.gateway.desired;

import java.util.List;
import java.util.Optional;

import org.smartschool.bridge.routing.TopicRoute;

/**
 * A desired configuration the hub sent (docs/protocol.md 3.2), validated.
 *
 * @param version increases with each change the hub makes
 * @param routes {@code south.routes}: replaces gateway.yaml's MQTT routes when present; empty when
 *               the hub sent none, and gateway.yaml's routes stay
 * @param json the payload as it arrived, kept on disk as it is
 */
public record DesiredConfig(long version, Optional<List<TopicRoute>> routes, byte[] json) {
    public DesiredConfig {
        routes = routes.map(List::copyOf);
        json = json.clone();
    }

    /** The MQTT routes to run: the hub's when it sent some, otherwise gateway.yaml's. */
    public List<TopicRoute> routesOr(List<TopicRoute> fromGatewayYaml) {
        return routes.orElse(fromGatewayYaml);
    }
}
