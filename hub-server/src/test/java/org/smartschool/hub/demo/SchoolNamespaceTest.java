package org.smartschool.hub.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.smartschool.bridge.routing.TopicRoute;

class SchoolNamespaceTest {
    private final SchoolNamespace namespace = new SchoolNamespace("school-07");

    @Test
    void putsTheSchoolAfterTheBaseTopic() {
        assertThat(namespace.topic("zigbee2mqtt/r101/r101-air")).isEqualTo("zigbee2mqtt/school-07/r101/r101-air");
        assertThat(namespace.topic("zigbee2mqtt/r101/r101-air/availability"))
                .isEqualTo("zigbee2mqtt/school-07/r101/r101-air/availability");
    }

    @Test
    void routesMatchTheNamespacedTopicsWithTheSameCodec() {
        List<TopicRoute> routes = namespace.routes(List.of(new TopicRoute("zigbee2mqtt/{room}/{device}", "zigbee2mqtt")));

        assertThat(routes).extracting(TopicRoute::pattern, TopicRoute::codec, TopicRoute::subscription)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(
                        "zigbee2mqtt/school-07/{room}/{device}", "zigbee2mqtt", "zigbee2mqtt/school-07/+/+"));
    }

    @Test
    void refusesATopicWithoutBaseLevel() {
        assertThatThrownBy(() -> namespace.topic("sensor")).hasMessageContaining("'sensor'");
    }
}
