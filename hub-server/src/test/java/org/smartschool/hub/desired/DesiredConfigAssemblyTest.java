package org.smartschool.hub.desired;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** How hub.yaml's desired configuration and the registry's room kinds make one (docs/protocol.md 3.2). */
class DesiredConfigAssemblyTest {
    private static final Map<String, String> REGISTRY = Map.of("r101", "classroom", "lab", "lab", "bldg-1", "technical");

    /** Verifies that the registry's kinds join the configured keys, under a version that is the larger of the two. */
    @Test
    void addsTheRegistrysKindsToTheConfiguredKeys() {
        Map<String, Object> out = DesiredConfigAssembly.withRoomKinds(
                Map.of("version", 3, "healthIntervalSeconds", 60), REGISTRY, 1_796_300_000L);

        assertThat(out).containsEntry("version", 1_796_300_000L).containsEntry("healthIntervalSeconds", 60);
        assertThat(out.get("rules")).isEqualTo(Map.of("roomKinds", REGISTRY));
        assertThat(DesiredConfigAssembly.withRoomKinds(Map.of("version", 1_900_000_000), REGISTRY, 1_796_300_000L))
                .containsEntry("version", 1_900_000_000L);
    }

    /** Verifies that hub.yaml's rules.roomKinds wins room by room and its other rules keys stay. */
    @Test
    void configuredRoomKindsWinRoomByRoom() {
        Map<String, Object> rules = new LinkedHashMap<>();
        rules.put("overrides", Map.of("co2", Map.of("enabled", false)));
        rules.put("roomKinds", Map.of("lab", "computer-room", "r999", "hall"));

        Map<String, Object> out = DesiredConfigAssembly.withRoomKinds(Map.of("rules", rules), REGISTRY, 7);

        assertThat(out).containsEntry("version", 7L);
        assertThat(out.get("rules")).isEqualTo(Map.of(
                "overrides", Map.of("co2", Map.of("enabled", false)),
                "roomKinds", Map.of("r101", "classroom", "lab", "computer-room", "bldg-1", "technical", "r999", "hall")));
    }

    /** Verifies that a malformed configured rules is passed on untouched, for the gateway to refuse naming the key. */
    @Test
    void leavesAMalformedConfiguredRulesAsItIs() {
        assertThat(DesiredConfigAssembly.withRoomKinds(Map.of("rules", "all"), REGISTRY, 7)).containsEntry("rules", "all");
        assertThat(DesiredConfigAssembly.withRoomKinds(Map.of("rules", Map.of("roomKinds", 5)), REGISTRY, 7))
                .containsEntry("rules", Map.of("roomKinds", 5));
    }

    /** Verifies that without the registry the configured map goes out as before: version 1 unless it names an integer. */
    @Test
    void configuredAloneKeepsItsVersionOrOne() {
        assertThat(DesiredConfigAssembly.configured(Map.of("version", 3, "a", 1))).isEqualTo(Map.of("version", 3, "a", 1));
        assertThat(DesiredConfigAssembly.configured(Map.of("version", "x"))).isEqualTo(Map.of("version", 1));
        assertThat(DesiredConfigAssembly.configured(Map.of())).isEqualTo(Map.of("version", 1));
    }
}
