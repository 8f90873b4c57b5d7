package org.smartschool.hub.config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.smartschool.bridge.config.ConfigException;
import org.smartschool.bridge.config.YamlConfigLoader;

/**
 * The hub's whole configuration. Every option has a default; see {@code hub-server/config/hub.example.yaml}.
 * Environment variables override options: {@code mqtt.maxMessageBytes} is {@code SS_HUB_MQTT_MAX_MESSAGE_BYTES};
 * an {@code SS_HUB_*} variable that names no option stops the hub, as an unknown key in the file does.
 */
public record HubConfig(HttpConfig http, MqttConfig mqtt, StoreConfig store, List<GatewayConfig> gateways,
                        StateConfig state, RegistryConfig registry, FleetConfig fleet, AlarmsConfig alarms,
                        EdfiConfig edfi, AuthConfig auth, RosterConfig roster) {
    public static final String ENV_PREFIX = "SS_HUB";
    /** {@code SS_HUB_*} variables the hub reads itself, not options: the password of {@code users add}. */
    static final java.util.Set<String> READ_ELSEWHERE = java.util.Set.of("SS_HUB_NEW_USER_PASSWORD");

    public HubConfig {
        http = Objects.requireNonNullElse(http, HttpConfig.DEFAULT);
        mqtt = Objects.requireNonNullElse(mqtt, MqttConfig.DEFAULT);
        store = Objects.requireNonNullElse(store, StoreConfig.DEFAULT);
        gateways = gateways == null ? List.of() : List.copyOf(gateways);
        state = Objects.requireNonNullElse(state, StateConfig.DEFAULT);
        registry = Objects.requireNonNullElse(registry, RegistryConfig.DEFAULT);
        fleet = Objects.requireNonNullElse(fleet, FleetConfig.DEFAULT);
        alarms = Objects.requireNonNullElse(alarms, AlarmsConfig.DEFAULT);
        edfi = Objects.requireNonNullElse(edfi, EdfiConfig.DEFAULT);
        auth = Objects.requireNonNullElse(auth, AuthConfig.DEFAULT);
        roster = Objects.requireNonNullElse(roster, RosterConfig.DEFAULT);
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < gateways.size(); i++) {
            Integer first = seen.putIfAbsent(gateways.get(i).id(), i);
            if (first != null) {
                // the record is validated as a whole, so the message names the entries itself
                throw new IllegalArgumentException("gateways[" + i + "].id: gateway id '" + gateways.get(i).id()
                        + "' is listed twice (also gateways[" + first + "])");
            }
        }
    }

    /** Without the scoped-access and roster options: they take their defaults. */
    public HubConfig(HttpConfig http, MqttConfig mqtt, StoreConfig store, List<GatewayConfig> gateways,
                     StateConfig state, RegistryConfig registry, FleetConfig fleet, AlarmsConfig alarms, EdfiConfig edfi) {
        this(http, mqtt, store, gateways, state, registry, fleet, alarms, edfi, AuthConfig.DEFAULT, RosterConfig.DEFAULT);
    }

    /** Without the Ed-Fi connector: it is off. */
    public HubConfig(HttpConfig http, MqttConfig mqtt, StoreConfig store, List<GatewayConfig> gateways,
                     StateConfig state, RegistryConfig registry, FleetConfig fleet, AlarmsConfig alarms) {
        this(http, mqtt, store, gateways, state, registry, fleet, alarms, EdfiConfig.DEFAULT);
    }

    /** Without the registry's options: the state database and registry take their defaults. */
    public HubConfig(HttpConfig http, MqttConfig mqtt, StoreConfig store, List<GatewayConfig> gateways) {
        this(http, mqtt, store, gateways, StateConfig.DEFAULT, RegistryConfig.DEFAULT, FleetConfig.DEFAULT,
                AlarmsConfig.DEFAULT);
    }

    /** Without the fleet options: they take their defaults. */
    public HubConfig(HttpConfig http, MqttConfig mqtt, StoreConfig store, List<GatewayConfig> gateways,
                     StateConfig state, RegistryConfig registry) {
        this(http, mqtt, store, gateways, state, registry, FleetConfig.DEFAULT, AlarmsConfig.DEFAULT);
    }

    /** Without the alarm options: they take their defaults. */
    public HubConfig(HttpConfig http, MqttConfig mqtt, StoreConfig store, List<GatewayConfig> gateways,
                     StateConfig state, RegistryConfig registry, FleetConfig fleet) {
        this(http, mqtt, store, gateways, state, registry, fleet, AlarmsConfig.DEFAULT);
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
        return new YamlConfigLoader<>(HubConfig.class, HubConfig::defaults, ENV_PREFIX, "the hub", READ_ELSEWHERE);
    }

    /** The gateway with this id, if it is allowed to connect. */
    public Optional<GatewayConfig> gateway(String id) {
        return gateways.stream().filter(g -> g.id().equals(id)).findFirst();
    }

    public HubConfig withHttp(HttpConfig http) {
        return new HubConfig(http, mqtt, store, gateways, state, registry, fleet, alarms, edfi, auth, roster);
    }

    public HubConfig withMqtt(MqttConfig mqtt) {
        return new HubConfig(http, mqtt, store, gateways, state, registry, fleet, alarms, edfi, auth, roster);
    }

    public HubConfig withStore(StoreConfig store) {
        return new HubConfig(http, mqtt, store, gateways, state, registry, fleet, alarms, edfi, auth, roster);
    }

    public HubConfig withGateways(List<GatewayConfig> gateways) {
        return new HubConfig(http, mqtt, store, gateways, state, registry, fleet, alarms, edfi, auth, roster);
    }

    public HubConfig withState(StateConfig state) {
        return new HubConfig(http, mqtt, store, gateways, state, registry, fleet, alarms, edfi, auth, roster);
    }

    public HubConfig withRegistry(RegistryConfig registry) {
        return new HubConfig(http, mqtt, store, gateways, state, registry, fleet, alarms, edfi, auth, roster);
    }

    public HubConfig withFleet(FleetConfig fleet) {
        return new HubConfig(http, mqtt, store, gateways, state, registry, fleet, alarms, edfi, auth, roster);
    }

    public HubConfig withAlarms(AlarmsConfig alarms) {
        return new HubConfig(http, mqtt, store, gateways, state, registry, fleet, alarms, edfi, auth, roster);
    }

    public HubConfig withEdfi(EdfiConfig edfi) {
        return new HubConfig(http, mqtt, store, gateways, state, registry, fleet, alarms, edfi, auth, roster);
    }

    public HubConfig withAuth(AuthConfig auth) {
        return new HubConfig(http, mqtt, store, gateways, state, registry, fleet, alarms, edfi, auth, roster);
    }

    public HubConfig withRoster(RosterConfig roster) {
        return new HubConfig(http, mqtt, store, gateways, state, registry, fleet, alarms, edfi, auth, roster);
    }
}
