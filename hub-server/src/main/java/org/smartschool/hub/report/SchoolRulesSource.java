package org.smartschool.hub.report;

import org.smartschool.gateway.config.RulesSettings;

/**
 * A school's rules as its gateways run them: the defaults of DESIGN.md, hub.yaml's {@code desiredConfig.rules}, the
 * registry's room kinds and the timetable's lesson hours. Blocking.
 */
@FunctionalInterface
public interface SchoolRulesSource {
    /** Nothing configured: the default rules and lesson hours, no room kinds. */
    SchoolRulesSource DEFAULTS = school -> RulesSettings.defaults();

    RulesSettings rulesOf(String school);
}
