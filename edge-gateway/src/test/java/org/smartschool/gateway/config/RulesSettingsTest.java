package org.smartschool.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.smartschool.bridge.config.ConfigException;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.gateway.rules.DefaultRules;
import org.smartschool.gateway.rules.RuleBook;

/** Verifies gateway.yaml's {@code rules:} section: the shape, its defaults, and errors that name the key. */
class RulesSettingsTest {
    private final GatewayConfigLoader loader = new GatewayConfigLoader();

    private GatewayConfig load(String rules) {
        return loader.loadString("gatewayId: gw-1\nschool: s1\nrules:\n" + rules, Map.of());
    }

    @Test
    void withoutARulesSectionTheDefaultsRunWithNoRoomKinds() {
        GatewayConfig config = loader.loadString("gatewayId: gw-1\nschool: s1\n", Map.of());
        RuleBook book = config.rules().toRuleBook();

        assertThat(book.rules()).extracting(r -> r.id()).containsExactlyElementsOf(DefaultRules.all().stream().map(r -> r.id()).toList());
        // no room has a kind: the classroom CO2 rule judges nothing, the stuck-sensor rule does
        assertThat(book.rulesFor("r101", "co2-1", Quantity.CO2)).extracting(r -> r.id()).containsExactly("co2-stuck");
        assertThat(config.rules().toLessonHours().contains(1_764_727_200_000L)).isTrue(); // Wednesday 2025-12-03 09:00 in Hanoi
    }

    @Test
    void roomKindsOwnRulesAndOverridesBuildTheRuleBook() {
        GatewayConfig config = load("""
                  roomKinds: {r101: classroom, lab1: lab}
                  rules:
                    - id: co2
                      quantity: co2
                      roomKinds: [classroom]
                      levels:
                        - {severity: major, condition: above, limit: 1200, hysteresis: 50, forSeconds: 30}
                    - id: co2-stuck
                      disabled: true
                    - id: server-heat
                      quantity: temperature
                      devices: "rack-*"
                      levels: [{severity: critical, condition: above, limit: 35, forMinutes: 2}]
                  overrides:
                    - {room: r101, rule: illuminance, disabled: true}
                    - roomKind: lab
                      rule: co2
                      replacement: {quantity: co2, levels: [{severity: warning, condition: above, limit: 800}]}
                """);
        RuleBook book = config.rules().toRuleBook();

        assertThat(book.rulesFor("r101", "co2-1", Quantity.CO2)).singleElement().satisfies(r -> {
            assertThat(r.levels()).singleElement().satisfies(l -> assertThat(l.forMillis()).isEqualTo(30_000));
        });
        assertThat(book.rulesFor("lab1", "co2-1", Quantity.CO2)).singleElement()
                .satisfies(r -> assertThat(r.levels().get(0).severity().id()).isEqualTo("warning"));
        assertThat(book.rulesFor("r101", "lux-1", Quantity.ILLUMINANCE)).isEmpty();
        assertThat(book.rulesFor("r999", "rack-2", Quantity.TEMPERATURE)).extracting(r -> r.id()).containsExactly("server-heat");
    }

    @Test
    void aBadRuleIsRefusedNamingItsKey() {
        assertThatThrownBy(() -> load("  rules:\n    - id: co2\n      quantity: co2\n      levels:\n"
                + "        - {severity: warning, condition: above}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("bad key 'rules.rules[0].levels[0]'").hasMessageContaining("limit: missing");
        assertThatThrownBy(() -> load("  rules:\n    - id: co2\n      quantity: co2\n      levels:\n"
                + "        - {severity: warning, condition: silent, limit: 3, afterMinutes: 5}\n"))
                .hasMessageContaining("bad key 'rules.rules[0].levels[0]'")
                .hasMessageContaining("limit: not a parameter of condition 'silent'");
        assertThatThrownBy(() -> load("  rules:\n    - id: co2\n      quantity: carbon\n      levels: []\n"))
                .hasMessageContaining("bad key 'rules.rules[0]'").hasMessageContaining("unknown quantity 'carbon'");
        assertThatThrownBy(() -> load("  roomKinds: {r101: Class Room}\n"))
                .hasMessageContaining("bad key 'rules'").hasMessageContaining("roomKinds.r101: room kind 'Class Room'");
        assertThatThrownBy(() -> load("  overrides:\n    - {room: r101, rule: lihgt, disabled: true}\n"))
                .hasMessageContaining("overrides[0].rule: no rule 'lihgt' to switch off");
        assertThatThrownBy(() -> load("  lessonHours: {windows: [\"7-11\"]}\n"))
                .hasMessageContaining("bad key 'rules.lessonHours'").hasMessageContaining("windows[0]");
        assertThatThrownBy(() -> load("  rulez: []\n")).hasMessageContaining("bad key 'rules.rulez'");
        // a misspelt key is named as such, not as the level it left missing
        assertThatThrownBy(() -> load("  rules:\n    - id: co2\n      quantity: co2\n      levls: []\n"))
                .hasMessageEndingWith("bad key 'rules.rules[0].levls': unknown option");
    }

    @Test
    void theExampleFileDescribesTheDefaults() {
        GatewayConfig config = loader.load(Path.of("config/gateway.example.yaml"), Map.of());
        assertThat(config.rules()).isEqualTo(RulesSettings.defaults());
    }
}
