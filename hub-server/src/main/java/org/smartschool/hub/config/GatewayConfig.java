package org.smartschool.hub.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.smartschool.bridge.model.Ids;

/**
 * A gateway allowed to connect: its credential and the one school it speaks for.
 *
 * @param schoolName    how people call the school, shown on the overview page; defaults to the school id
 * @param secret        the MQTT password; never printed (see {@link #toString()})
 * @param desiredConfig sent to the gateway when it subscribes to its config topic; may be empty
 */
public record GatewayConfig(String id, String school, String schoolName, String secret,
                            Map<String, Object> desiredConfig) {

    public GatewayConfig {
        Ids.require("gateway", id);
        Ids.require("school", school);
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("gateway '" + id + "' has no secret");
        }
        schoolName = schoolName == null || schoolName.isBlank() ? school : schoolName.strip();
        // values may be null in YAML ("key: ~"), which Map.copyOf refuses
        desiredConfig = desiredConfig == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(desiredConfig));
    }

    public GatewayConfig(String id, String school, String secret) {
        this(id, school, null, secret, null);
    }

    @Override
    public String toString() {
        return "GatewayConfig[id=" + id + ", school=" + school + ", secret=***]";
    }
}
