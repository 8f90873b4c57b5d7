package org.smartschool.gateway.desired;

import java.util.List;
import java.util.Optional;

import org.smartschool.bridge.routing.TopicRoute;
import org.smartschool.gateway.config.CoapSettings;
import org.smartschool.gateway.config.RulesSettings;

/**
 * A desired configuration the hub sent (docs/protocol.md 3.2), validated.
 *
 * @param version increases with each change the hub makes
 * @param routes {@code south.routes}: replaces gateway.yaml's MQTT routes when present; empty when
 *               the hub sent none, and gateway.yaml's routes stay
 * @param coapRoutes {@code coap.routes}: replaces gateway.yaml's CoAP resource map when present
 * @param coapKeys {@code coap.keys}: replaces gateway.yaml's device keys ({@code coap.keys} and the
 *                 {@code coap.keyFile}) when present; secrets, never logged
 * @param rules {@code rules}: replaces gateway.yaml's school rules (the whole {@code rules:} section) when present
 * @param json the payload as it arrived, kept on disk as it is
 */
public record DesiredConfig(long version, Optional<List<TopicRoute>> routes,
                            Optional<List<CoapSettings.Route>> coapRoutes,
                            Optional<List<CoapSettings.DeviceKey>> coapKeys, Optional<RulesSettings> rules, byte[] json) {
    public DesiredConfig {
        rules = rules == null ? Optional.empty() : rules;
        routes = routes.map(List::copyOf);
        coapRoutes = coapRoutes.map(List::copyOf);
        coapKeys = coapKeys.map(List::copyOf);
        json = json.clone();
    }

    /** Without school rules. */
    public DesiredConfig(long version, Optional<List<TopicRoute>> routes, Optional<List<CoapSettings.Route>> coapRoutes,
                         Optional<List<CoapSettings.DeviceKey>> coapKeys, byte[] json) {
        this(version, routes, coapRoutes, coapKeys, Optional.empty(), json);
    }

    /** Without CoAP settings. */
    public DesiredConfig(long version, Optional<List<TopicRoute>> routes, byte[] json) {
        this(version, routes, Optional.empty(), Optional.empty(), Optional.empty(), json);
    }

    /** The school rules to run: the hub's when it sent some, otherwise gateway.yaml's. */
    public RulesSettings rulesOr(RulesSettings fromGatewayYaml) {
        return rules.orElse(fromGatewayYaml);
    }

    /** The MQTT routes to run: the hub's when it sent some, otherwise gateway.yaml's. */
    public List<TopicRoute> routesOr(List<TopicRoute> fromGatewayYaml) {
        return routes.orElse(fromGatewayYaml);
    }

    /** What it sets, for a log line: counts only, never a key. */
    public String summary() {
        return routes.map(r -> r.size() + " MQTT routes").orElse("gateway.yaml's MQTT routes") + ", "
                + coapRoutes.map(r -> r.size() + " CoAP routes").orElse("gateway.yaml's CoAP routes") + ", "
                + coapKeys.map(k -> k.size() + " CoAP device keys").orElse("gateway.yaml's CoAP device keys") + ", "
                + rules.map(r -> r.rules().size() + " school rules, " + r.overrides().size() + " overrides, "
                        + r.roomKinds().size() + " room kinds").orElse("gateway.yaml's school rules");
    }

    @Override
    public String toString() {
        return "DesiredConfig[version=" + version + ", " + summary() + "]";
    }
}
