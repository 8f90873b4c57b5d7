package org.smartschool.gateway.config;

import java.nio.file.Path;
import java.util.Map;

import org.smartschool.bridge.config.ConfigException;
import org.smartschool.bridge.config.YamlConfigLoader;

/**
 * Reads a {@link GatewayConfig} from YAML on top of the defaults; environment variables
 * {@code SS_GATEWAY_<KEY>} override single options ({@code SS_GATEWAY_NORTH_PASSWORD},
 * {@code SS_GATEWAY_UPLINK_BATCH_MAX_RECORDS}), so secrets need not sit in the file.
 */
public final class GatewayConfigLoader {
    public static final String ENV_PREFIX = "SS_GATEWAY";

    private final YamlConfigLoader<GatewayConfig> loader =
            new YamlConfigLoader<>(GatewayConfig.class, GatewayConfig::defaults, ENV_PREFIX);

    /**
     * @param file the YAML file, or null for defaults and environment only
     * @throws ConfigException naming the file and the path of the bad key
     */
    public GatewayConfig load(Path file, Map<String, String> env) {
        return loader.load(file, env);
    }

    /** For tests and embedding: YAML text instead of a file. */
    public GatewayConfig loadString(String yaml, Map<String, String> env) {
        return loader.loadString(yaml, env);
    }

    /** The environment variable that overrides {@code key}, e.g. {@code north.password}. */
    public String envName(String key) {
        return loader.envName(key);
    }
}
