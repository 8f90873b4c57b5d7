package org.smartschool.gateway.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** Verifies how tests find their broker, and that CI cannot skip them silently. */
class TestBrokerTest {

    @Test
    void theConfiguredUrlWins() {
        assertThat(TestBroker.resolve(Map.of("SS_TEST_MQTT_URL", " tcp://127.0.0.1:18830 "), () -> "tcp://docker:1"))
                .isEqualTo("tcp://127.0.0.1:18830");
    }

    @Test
    void dockerIsUsedWhenNoUrlIsConfigured() {
        assertThat(TestBroker.resolve(Map.of(), () -> "tcp://localhost:32768")).isEqualTo("tcp://localhost:32768");
    }

    @Test
    void withoutABrokerTheTestIsSkippedWithAnExplanation() {
        assertThatThrownBy(() -> TestBroker.resolve(Map.of(), () -> null))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("set SS_TEST_MQTT_URL")
                .hasMessageContaining("or run Docker");
    }

    @Test
    void whenServicesAreRequiredAMissingBrokerFailsTheTest() {
        assertThatThrownBy(() -> TestBroker.resolve(Map.of("SS_TEST_REQUIRE_SERVICES", "1"), () -> null))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("SS_TEST_REQUIRE_SERVICES=1");
    }
}
