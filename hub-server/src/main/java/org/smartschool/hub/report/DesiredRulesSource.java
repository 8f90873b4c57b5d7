package org.smartschool.hub.report;

import java.util.List;

import org.smartschool.gateway.config.RulesSettings;
import org.smartschool.hub.config.GatewayConfig;
import org.smartschool.hub.desired.DesiredConfigSource;

/**
 * Each school's rules from the desired configuration its gateways get ({@link DesiredRules}): its first configured
 * gateway's, or, for a school without one in hub.yaml, what a gateway of it would get (the registry's room kinds,
 * the timetable's lesson hours, the default rules).
 */
public final class DesiredRulesSource implements SchoolRulesSource {
    private final DesiredConfigSource desired;
    private final List<GatewayConfig> gateways;

    public DesiredRulesSource(DesiredConfigSource desired, List<GatewayConfig> gateways) {
        this.desired = desired;
        this.gateways = List.copyOf(gateways);
    }

    @Override
    public RulesSettings rulesOf(String school) {
        GatewayConfig gateway = gateways.stream().filter(g -> g.school().equals(school)).findFirst()
                // a stand-in that only names the school: its desired configuration has no configured part
                .orElseGet(() -> new GatewayConfig("report", school, "-"));
        return DesiredRules.of(school, desired.desiredConfig(gateway));
    }
}
