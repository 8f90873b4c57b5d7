package org.smartschool.bridge.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.routing.TopicRouter.Routing;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class TopicRouterTest {
    private final CodecRegistry codecs = CodecRegistry.standard();

    private static DeviceRef routedDevice(Routing routing) {
        assertThat(routing).isInstanceOf(Routing.Routed.class);
        return ((Routing.Routed) routing).device();
    }

    @Test
    void resolvesRoomAndDeviceFromPlaceholders() {
        TopicRouter router = new TopicRouter("thcs-a", List.of(new TopicRoute("zigbee2mqtt/{room}/{device}", "zigbee2mqtt")), codecs);

        Routing routing = router.route("zigbee2mqtt/r101/aq1");

        assertThat(routedDevice(routing)).isEqualTo(new DeviceRef("thcs-a", "r101", "aq1"));
        assertThat(((Routing.Routed) routing).codec().name()).isEqualTo("zigbee2mqtt");
    }

    @Test
    void matchesOnlyTopicsWithTheSameNumberOfLevels() {
        TopicRouter router = new TopicRouter("thcs-a", List.of(new TopicRoute("zigbee2mqtt/{room}/{device}", "zigbee2mqtt")), codecs);

        assertThat(router.route("zigbee2mqtt/r101/aq1/availability")).isInstanceOf(Routing.Unknown.class);
        assertThat(router.route("zigbee2mqtt/r101")).isInstanceOf(Routing.Unknown.class);
        assertThat(router.route("tasmota/r101/aq1")).isInstanceOf(Routing.Unknown.class);
    }

    @Test
    void firstMatchingRouteWins() {
        TopicRouter router = new TopicRouter("thcs-a", List.of(
                new TopicRoute("zigbee2mqtt/lab/{device}", "zigbee2mqtt", "lab1", null, null),
                new TopicRoute("zigbee2mqtt/{room}/{device}", "zigbee2mqtt")), codecs);

        assertThat(routedDevice(router.route("zigbee2mqtt/lab/fridge"))).isEqualTo(new DeviceRef("thcs-a", "lab1", "fridge"));
        assertThat(routedDevice(router.route("zigbee2mqtt/r102/aq1"))).isEqualTo(new DeviceRef("thcs-a", "r102", "aq1"));
    }

    @Test
    void usesFixedRoomAndDeviceAndWildcards() {
        TopicRouter router = new TopicRouter("thcs-a", List.of(
                new TopicRoute("sensors/+/gym/#", "zigbee2mqtt", "gym", "gym-air", null)), codecs);

        assertThat(routedDevice(router.route("sensors/floor1/gym/a/b/c"))).isEqualTo(new DeviceRef("thcs-a", "gym", "gym-air"));
        assertThat(routedDevice(router.route("sensors/floor1/gym"))).isEqualTo(new DeviceRef("thcs-a", "gym", "gym-air"));
        assertThat(router.route("sensors/floor1/hall/x")).isInstanceOf(Routing.Unknown.class);
    }

    @Test
    void reportsUnknownTopicsWithTheTopicAndAReason() {
        TopicRouter router = new TopicRouter("thcs-a", List.of(new TopicRoute("zigbee2mqtt/{room}/{device}", "zigbee2mqtt")), codecs);

        assertThat(router.route("other/x")).isEqualTo(new Routing.Unknown("other/x", "no route matches the topic"));
        assertThat(router.route("zigbee2mqtt/Phòng 101/aq1"))
                .isEqualTo(new Routing.Unknown("zigbee2mqtt/Phòng 101/aq1", "topic names an invalid room or device id"));
        assertThat(router.route("zigbee2mqtt//aq1")).isInstanceOf(Routing.Unknown.class);
    }

    @Test
    void derivesSubscriptionsWithoutRepeats() {
        TopicRouter router = new TopicRouter("thcs-a", List.of(
                new TopicRoute("zigbee2mqtt/{room}/{device}/availability", "zigbee2mqtt"),
                new TopicRoute("zigbee2mqtt/{room}/{device}", "zigbee2mqtt"),
                new TopicRoute("zigbee2mqtt/lab/{device}", "zigbee2mqtt", "lab1", null, "zigbee2mqtt/+/+")), codecs);

        assertThat(router.subscriptions()).containsExactly("zigbee2mqtt/+/+/availability", "zigbee2mqtt/+/+");
    }

    @Test
    void rejectsRoutesNamingAnUnknownCodecOrAnInvalidSchool() {
        assertThatThrownBy(() -> new TopicRouter("thcs-a", List.of(new TopicRoute("x/{room}/{device}", "nope")), codecs))
                .hasMessageContaining("unknown codec 'nope'");
        assertThatThrownBy(() -> new TopicRouter("thcs a", List.of(), codecs)).hasMessageContaining("invalid school id");
    }

    @Test
    void rejectsPatternsThatCannotNameARoomAndDevice() {
        assertThatThrownBy(() -> new TopicRoute("zigbee2mqtt/{device}", "zigbee2mqtt"))
                .hasMessageContaining("no {room} placeholder and no fixed room");
        assertThatThrownBy(() -> new TopicRoute("zigbee2mqtt/{room}", "zigbee2mqtt"))
                .hasMessageContaining("no {device} placeholder and no fixed device");
        assertThatThrownBy(() -> new TopicRoute("a/#/{room}/{device}", "zigbee2mqtt")).hasMessageContaining("level '#'");
        assertThatThrownBy(() -> new TopicRoute("a/b+/{room}/{device}", "zigbee2mqtt")).hasMessageContaining("level 'b+'");
        assertThatThrownBy(() -> new TopicRoute("a/{school}/{room}/{device}", "zigbee2mqtt")).hasMessageContaining("level '{school}'");
        assertThatThrownBy(() -> new TopicRoute(" ", "zigbee2mqtt")).hasMessageContaining("needs a topic pattern");
        assertThatThrownBy(() -> new TopicRoute("a/{room}/{device}", "")).hasMessageContaining("names no codec");
    }
}
