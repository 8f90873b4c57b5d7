package org.smartschool.hub.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** How the InfluxDB tests find their server, skip, or fail in CI. */
class TestInfluxTest {

    /** Verifies that SS_TEST_INFLUX_URL names the server. */
    @Test
    void usesTheConfiguredUrl() {
        assertThat(TestInflux.resolve(Map.of("SS_TEST_INFLUX_URL", " http://127.0.0.1:28086 "))).isEqualTo("http://127.0.0.1:28086");
    }

    /** Verifies that without a server the test is skipped with a message saying what to set. */
    @Test
    void skipsWithAMessageWithoutAServer() {
        assertThatThrownBy(() -> TestInflux.resolve(Map.of())).isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("set SS_TEST_INFLUX_URL");
    }

    /** Verifies that CI (SS_TEST_REQUIRE_SERVICES=1) fails instead of skipping. */
    @Test
    void failsWithoutAServerWhenServicesAreRequired() {
        assertThatThrownBy(() -> TestInflux.resolve(Map.of("SS_TEST_REQUIRE_SERVICES", "1"))).isInstanceOf(AssertionError.class)
                .hasMessageContaining("SS_TEST_REQUIRE_SERVICES=1");
    }

    /** Verifies that database names are unique and valid InfluxDB identifiers without quoting. */
    @Test
    void databaseNamesAreUnique() {
        String first = TestInflux.uniqueDatabase(TestInfluxTest.class);
        assertThat(first).matches("t_testinfluxtest_[0-9a-f]{8}");
        assertThat(TestInflux.uniqueDatabase(TestInfluxTest.class)).isNotEqualTo(first);
    }
}
