package org.smartschool.gateway.desired;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.smartschool.bridge.routing.TopicRoute;
import org.smartschool.gateway.attendance.AttendancePlan;
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
 * @param rules {@code rules}: the school rules the hub sent, when it sent any
 * @param rulesKeys which keys of {@code rules} the hub sent ({@code roomKinds}, {@code lessonHours},
 *                  {@code rules}, {@code overrides}): each replaces gateway.yaml's; the others stay
 *                  gateway.yaml's (the hub adds a school's room kinds from its registry, which must not
 *                  wipe the rules a school keeps in gateway.yaml)
 * @param json the payload as it arrived, kept on disk as it is
 * @param attendance {@code attendance}: the school's roster and timetable for deciding attendance at
 *                   the doors; absent = attendance off at this gateway
 */
public record DesiredConfig(long version, Optional<List<TopicRoute>> routes,
                            Optional<List<CoapSettings.Route>> coapRoutes,
                            Optional<List<CoapSettings.DeviceKey>> coapKeys, Optional<RulesSettings> rules,
                            Set<String> rulesKeys, byte[] json, Optional<AttendancePlan> attendance) {
    /** The keys of {@code rules}, each replacing gateway.yaml's. */
    public static final Set<String> RULES_KEYS = Set.of("roomKinds", "lessonHours", "rules", "overrides");

    public DesiredConfig {
        rules = rules == null ? Optional.empty() : rules;
        rulesKeys = rules.isEmpty() ? Set.of() : Set.copyOf(rulesKeys == null ? RULES_KEYS : rulesKeys);
        routes = routes.map(List::copyOf);
        coapRoutes = coapRoutes.map(List::copyOf);
        coapKeys = coapKeys.map(List::copyOf);
        json = json.clone();
        attendance = attendance == null ? Optional.empty() : attendance;
    }

    /** Without attendance. */
    public DesiredConfig(long version, Optional<List<TopicRoute>> routes, Optional<List<CoapSettings.Route>> coapRoutes,
                         Optional<List<CoapSettings.DeviceKey>> coapKeys, Optional<RulesSettings> rules,
                         Set<String> rulesKeys, byte[] json) {
        this(version, routes, coapRoutes, coapKeys, rules, rulesKeys, json, Optional.empty());
    }

    /** Rules that replace gateway.yaml's whole {@code rules:} section when present. */
    public DesiredConfig(long version, Optional<List<TopicRoute>> routes, Optional<List<CoapSettings.Route>> coapRoutes,
                         Optional<List<CoapSettings.DeviceKey>> coapKeys, Optional<RulesSettings> rules, byte[] json) {
        this(version, routes, coapRoutes, coapKeys, rules, RULES_KEYS, json);
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

    /**
     * The school rules to run: gateway.yaml's, with each key the hub sent ({@link #rulesKeys()})
     * replaced by the hub's.
     *
     * @throws IllegalArgumentException when the two together do not hold (an override of gateway.yaml's
     *                                  rules switching off a rule the hub's list no longer has)
     */
    public RulesSettings rulesOr(RulesSettings fromGatewayYaml) {
        if (rules.isEmpty()) {
            return fromGatewayYaml;
        }
        RulesSettings hub = rules.get();
        return new RulesSettings(
                rulesKeys.contains("roomKinds") ? hub.roomKinds() : fromGatewayYaml.roomKinds(),
                rulesKeys.contains("lessonHours") ? hub.lessonHours() : fromGatewayYaml.lessonHours(),
                rulesKeys.contains("rules") ? hub.rules() : fromGatewayYaml.rules(),
                rulesKeys.contains("overrides") ? hub.overrides() : fromGatewayYaml.overrides());
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
                + rules.map(r -> "school rules: " + new java.util.TreeSet<>(rulesKeys) + " from the hub ("
                        + r.rules().size() + " rules, " + r.overrides().size() + " overrides, "
                        + r.roomKinds().size() + " room kinds)").orElse("gateway.yaml's school rules") + ", "
                + attendance.map(a -> "attendance: " + a.learners().size() + " learners, " + a.classes().size()
                        + " classes").orElse("attendance off");
    }

    @Override
    public String toString() {
        return "DesiredConfig[version=" + version + ", " + summary() + "]";
    }
}
