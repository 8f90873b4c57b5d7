package org.smartschool.hub.config;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.smartschool.bridge.config.ConfigException;
import org.smartschool.bridge.config.YamlConfigLoader;

/**
 * The hub's whole configuration. Every option has a default; see {@code hub-server/config/hub.example.yaml}.
 * Environment variables override options: {@code mqtt.maxMessageBytes} is {@code SS_HUB_MQTT_MAX_MESSAGE_BYTES}.
 */
public record HubConfig(HttpConfig http, MqttConfig mqtt, StoreConfig store, List<GatewayConfig> gateways) {
    public static final String ENV_PREFIX = "SS_HUB";

    public HubConfig {
        http = Objects.requireNonNullElse(http, HttpConfig.DEFAULT);
        mqtt = Objects.requireNonNullElse(mqtt, MqttConfig.DEFAULT);
        store = Objects.requireNonNullElse(store, StoreConfig.DEFAULT);
        gateways = gateways == null ? List.of() : List.copyOf(gateways);
        Set<String> ids = new HashSet<>();
        for (GatewayConfig gateway : gateways) {
            if (!ids.add(gateway.id())) {
                throw new IllegalArgumentException("gateway id '" + gateway.id() + "' is listed twice");
            }
        }
    }

    public static HubConfig defaults() {
        return new HubConfig(HttpConfig.DEFAULT, MqttConfig.DEFAULT, StoreConfig.DEFAULT, List.of());
    }

    /**
     * Loads {@code file} (only the defaults when null) and the environment overrides in {@code env}.
     *
     * @throws ConfigException naming the file and the path of the bad key
     */
    public static HubConfig load(Path file, Map<String, String> env) {
        return loader().load(file, env);
    }

    /** Loads YAML text, for tests and embedding. */
    public static HubConfig loadString(String yaml, Map<String, String> env) {
        return loader().loadString(yaml, env);
    }

    private static YamlConfigLoader<HubConfig> loader() {
        return new YamlConfigLoader<>(HubConfig.class, HubConfig::defaults, ENV_PREFIX);
    }

    /** The gateway with this id, if it is allowed to connect. */
    public Optional<GatewayConfig> gateway(String id) {
        return gateways.stream().filter(g -> g.id().equals(id)).findFirst();
    }

    public HubConfig withHttp(HttpConfig http) {
        return new HubConfig(http, mqtt, store, gateways);
    }

    public HubConfig withMqtt(MqttConfig mqtt) {
        return new HubConfig(http, mqtt, store, gateways);
    }

    public HubConfig withStore(StoreConfig store) {
        return new HubConfig(http, mqtt, store, gateways);
    }

    public HubConfig withGateways(List<GatewayConfig> gateways) {
        return new HubConfig(http, mqtt, store, gateways);
    }
}
