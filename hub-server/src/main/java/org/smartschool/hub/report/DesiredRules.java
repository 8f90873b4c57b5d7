package org.smartschool.hub.report;

import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.bridge.text.SafeText;
import org.smartschool.gateway.config.RulesSettings;

/**
 * A school's rules from the desired configuration its gateways get ({@code rules}: hub.yaml's, with the registry's
 * room kinds and the timetable's lesson hours merged in by {@code DesiredConfigAssembly}), read as the gateway reads
 * them. A {@code rules} the gateway would refuse is reported on the defaults, with a warning.
 */
public final class DesiredRules {
    private static final Logger LOG = LoggerFactory.getLogger(DesiredRules.class);
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private DesiredRules() {
    }

    public static RulesSettings of(String school, Map<String, Object> desiredConfig) {
        Object rules = desiredConfig.get("rules");
        if (!(rules instanceof Map)) {
            return RulesSettings.defaults();
        }
        try {
            return JSON.convertValue(rules, RulesSettings.class);
        } catch (IllegalArgumentException e) {
            LOG.warn("[school: {}] the report uses the default rules: its desired rules cannot be read: {}", school,
                    SafeText.clean(String.valueOf(e.getMessage()), 200));
            return RulesSettings.defaults();
        }
    }
}
