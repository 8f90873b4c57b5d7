package org.smartschool.bridge.codec.quantity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import org.smartschool.bridge.model.Quantity;

class NameRulesTest {
    private final NameRules defaults = NameRules.defaults();

    @Test
    void mapsTheNamesEspHomeDerivesFromItsDocumentedExamples() {
        assertThat(defaults.numeric("workshop_co2").flatMap(QuantityRule::measured)).contains(Quantity.CO2);
        assertThat(defaults.numeric("Living_Room_Temperature").flatMap(QuantityRule::measured)).contains(Quantity.TEMPERATURE);
        assertThat(defaults.numeric("particulate_matter__2_5__m_concentration").flatMap(QuantityRule::measured)).contains(Quantity.PM25);
        assertThat(defaults.numeric("particulate_matter__10_0__m_concentration").flatMap(QuantityRule::measured)).contains(Quantity.PM10);
        assertThat(defaults.numeric("particulate_matter__1_0__m_concentration")).hasValueSatisfying(r -> assertThat(r.measured()).isEmpty());
        assertThat(defaults.numeric("power_factor")).hasValueSatisfying(r -> assertThat(r.measured()).isEmpty());
        assertThat(defaults.numeric("plug_power").flatMap(QuantityRule::measured)).contains(Quantity.POWER);
        assertThat(defaults.numeric("soil_moisture")).isEmpty();
        assertThat(defaults.binary("hallway_motion")).hasValueSatisfying(r -> assertThat(r.kind()).isEqualTo(BinaryKind.OCCUPANCY));
        assertThat(defaults.binary("classroom_window")).hasValueSatisfying(r -> assertThat(r.kind()).isEqualTo(BinaryKind.WINDOW));
    }

    @Test
    void usesTheFirstMatchingRule() {
        NameRules rules = new NameRules(List.of(QuantityRule.of("*fridge*", Quantity.TEMPERATURE, "°F")), List.of()).before(defaults);

        assertThat(rules.numeric("fridge_humidity")).hasValueSatisfying(r -> {
            assertThat(r.measured()).contains(Quantity.TEMPERATURE);
            assertThat(r.unit()).isEqualTo("°F");
        });
        assertThat(rules.numeric("hall_humidity").flatMap(QuantityRule::measured)).contains(Quantity.HUMIDITY);
    }

    @Test
    void readsRulesFromYamlConfiguration() throws Exception {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        NameRules rules = yaml.readValue("""
                numeric:
                  - {pattern: "*freezer*", quantity: temperature, unit: "°F"}
                  - {pattern: "*uptime*", quantity: ignore}
                binary:
                  - {pattern: "*bell*", kind: ignore}
                """, NameRules.class);

        assertThat(rules.numeric("lab_freezer")).hasValueSatisfying(r -> assertThat(r.unit()).isEqualTo("°F"));
        assertThat(rules.numeric("lab_uptime")).hasValueSatisfying(r -> assertThat(r.measured()).isEmpty());
        assertThat(rules.binary("door_bell")).hasValueSatisfying(r -> assertThat(r.kind()).isEqualTo(BinaryKind.IGNORE));
    }

    @Test
    void rejectsABadRuleNamingTheKey() {
        assertThatThrownBy(() -> new QuantityRule("*x*", "warmth", null)).hasMessageStartingWith("quantity:").hasMessageContaining("warmth");
        assertThatThrownBy(() -> new QuantityRule("*x*", "temperature", "%")).hasMessageStartingWith("unit:");
        assertThatThrownBy(() -> new QuantityRule(" ", "temperature", null)).hasMessageStartingWith("pattern:");
        assertThatThrownBy(() -> BinaryRule.fromConfig("*x*", "alarm")).hasMessageStartingWith("kind:");
    }

    @Test
    void matchesPatternsCaseInsensitivelyAndLiterally() {
        NameRules rules = new NameRules(List.of(QuantityRule.of("co2.?", Quantity.CO2)), List.of());

        assertThat(rules.numeric("CO2.a")).isPresent();
        assertThat(rules.numeric("co2xa")).isEmpty(); // '.' is a literal dot, not a regex
    }

    @Test
    void keepsAnswersRightBeyondTheCacheBound() {
        for (int i = 0; i < 10_000; i++) {
            assertThat(defaults.numeric("room_" + i + "_co2")).isPresent();
        }
        assertThat(defaults.numeric("room_1_co2").flatMap(QuantityRule::measured)).contains(Quantity.CO2);
    }
}
