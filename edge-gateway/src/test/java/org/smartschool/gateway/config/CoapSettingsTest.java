package org.smartschool.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.config.ConfigException;
import org.smartschool.gateway.coap.DeviceKeys;

/** Verifies the {@code coap:} section: defaults, YAML, environment, and errors that name the key. */
class CoapSettingsTest {
    private final GatewayConfigLoader loader = new GatewayConfigLoader();
    /** Every gateway names its id and school; these tests are about other sections. */
    private static final Map<String, String> IDS = Map.of("SS_GATEWAY_GATEWAY_ID", "gw-1", "SS_GATEWAY_SCHOOL", "s1");
    @TempDir
    Path dir;

    @Test
    void isOffByDefaultWithOneSenmlRoute() {
        CoapSettings coap = loader.load(null, IDS).coap();

        assertThat(coap).isEqualTo(CoapSettings.defaults());
        assertThat(coap.enabled()).isFalse();
        assertThat(coap.allowPlain()).isFalse();
        assertThat(coap.securePort()).isEqualTo(5684);
        assertThat(coap.port()).isEqualTo(5683);
        assertThat(coap.routes()).singleElement().satisfies(r -> {
            assertThat(r.pattern()).isEqualTo("{room}/{device}");
            assertThat(r.codec()).isEqualTo("senml");
            assertThat(r.jsonCodec()).isNull();
        });
    }

    @Test
    void readsRoutesKeysAndObservationsFromYamlAndTheEnvironment() {
        GatewayConfig config = loader.loadString("""
                gatewayId: gw-7
                school: thpt-nguyen-du
                coap:
                  enabled: true
                  securePort: 15684
                  routes:
                    - pattern: "sensors/{room}/{device}"
                      codec: senml
                      jsonCodec: zigbee2mqtt
                  keys:
                    - identity: r101-air
                      room: r101
                      device: air
                      secret: "hex:00112233445566778899"
                  observe:
                    - uri: coap://192.168.10.51/sensors/air
                      room: lab-chem
                      device: hood-1
                """, withIds("SS_GATEWAY_COAP_ALLOW_PLAIN", "true", "SS_GATEWAY_COAP_PORT", "15683"));

        CoapSettings coap = config.coap();
        assertThat(coap.enabled()).isTrue();
        assertThat(coap.allowPlain()).isTrue();
        assertThat(coap.port()).isEqualTo(15683);
        assertThat(coap.securePort()).isEqualTo(15684);
        assertThat(coap.routes()).singleElement().extracting(CoapSettings.Route::jsonCodec).isEqualTo("zigbee2mqtt");
        assertThat(coap.keys()).singleElement().satisfies(k -> {
            assertThat(k.room()).isEqualTo("r101");
            assertThat(k.secretBytes()).hasSize(10).startsWith(0x00, 0x11);
        });
        assertThat(coap.observe()).singleElement().satisfies(o -> {
            assertThat(o.codec()).isEqualTo("senml");
            assertThat(o.device()).isEqualTo("hood-1");
        });
        assertThat(coap.toString()).doesNotContain("00112233");
    }

    @Test
    void badValuesFailNamingTheKey() {
        assertThatThrownBy(() -> loader.loadString("""
                coap:
                  securePort: 70000
                """, IDS)).isInstanceOf(ConfigException.class).hasMessageContaining("coap.securePort");
        assertThatThrownBy(() -> loader.loadString("""
                coap:
                  keys:
                    - identity: r101-air
                      room: "bad room"
                      device: air
                      secret: "long-enough-secret"
                """, IDS)).isInstanceOf(ConfigException.class).hasMessageContaining("coap.keys[r101-air].room");
        assertThatThrownBy(() -> loader.loadString("""
                coap:
                  enabled: true
                """, IDS)).isInstanceOf(ConfigException.class).hasMessageContaining("coap.allowPlain");
        assertThatThrownBy(() -> loader.loadString("""
                coap:
                  observe:
                    - uri: coaps://10.0.0.9/air
                      room: r1
                      device: air
                """, IDS)).isInstanceOf(ConfigException.class).hasMessageContaining("needs identity and secret");
    }

    @Test
    void readsAKeyFileAndNamesTheLineOfABadEntry() throws Exception {
        Path good = dir.resolve("keys");
        Files.writeString(good, """
                # identity  room  device  secret
                r101-air    r101  air     secret-of-r101-air
                lab-hood    lab-1 hood-1  hex:0011223344556677
                """);
        Path bad = dir.resolve("bad-keys");
        Files.writeString(bad, "r101-air r101 air\n");

        DeviceKeys keys = DeviceKeys.load(java.util.List.of(), good.toString());

        assertThat(keys.all()).hasSize(2);
        assertThat(keys.find("lab-hood")).get().extracting(CoapSettings.DeviceKey::device).isEqualTo("hood-1");
        assertThatThrownBy(() -> DeviceKeys.load(java.util.List.of(), bad.toString()))
                .hasMessageContaining(bad + " line 1").hasMessageContaining("identity room device secret");
    }

    private static Map<String, String> withIds(String... keysAndValues) {
        Map<String, String> env = new java.util.HashMap<>(IDS);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            env.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return env;
    }
}
