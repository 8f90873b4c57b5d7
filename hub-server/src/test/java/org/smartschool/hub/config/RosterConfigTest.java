package org.smartschool.hub.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Period;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.smartschool.bridge.config.ConfigException;

/** The roster options: the example file's values are the defaults, the environment overrides them, bad values name their key. */
class RosterConfigTest {

    /** Verifies that hub.example.yaml's roster section is the defaults, and that an env variable overrides the rotation. */
    @Test
    void exampleIsTheDefaultsAndTheEnvironmentOverrides() {
        assertThat(HubConfig.load(Path.of("config/hub.example.yaml"), Map.of()).roster()).isEqualTo(RosterConfig.DEFAULT);
        assertThat(RosterConfig.DEFAULT.rotation()).isEqualTo(Period.ofDays(90));

        HubConfig config = HubConfig.load(Path.of("config/hub.example.yaml"), Map.of("SS_HUB_ROSTER_CARD_KEY_ROTATION", "P30D",
                "SS_HUB_ROSTER_GRACE_MINUTES", "5"));

        assertThat(config.roster().rotation()).isEqualTo(Period.ofDays(30));
        assertThat(config.roster().graceMinutes()).isEqualTo(5);
    }

    /** Verifies that a bad period, time zone or cutoff below the grace is refused naming the key. */
    @Test
    void badValuesNameTheirKey() {
        assertThatThrownBy(() -> HubConfig.loadString("roster:\n  cardKeyRotation: 90 days\n", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("roster.cardKeyRotation");
        assertThatThrownBy(() -> HubConfig.loadString("roster:\n  timeZone: Mars/Olympus\n", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("roster.timeZone");
        assertThatThrownBy(() -> HubConfig.loadString("roster:\n  graceMinutes: 30\n  cutoffMinutes: 20\n", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("roster.cutoffMinutes");
    }
}
