package org.smartschool.gateway.desired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.routing.TopicRoute;
import org.smartschool.gateway.support.TestJsonCodec;

class DesiredConfigParserTest {
    private final DesiredConfigParser parser =
            new DesiredConfigParser("school-1", new CodecRegistry(List.of(new TestJsonCodec())));

    @Test
    void readsTheVersionAndTheRoutesWithTheirFixedRoomAndDevice() {
        DesiredConfig config = parser.parse(bytes("""
                {"version":12,"healthIntervalSeconds":60,"south":{"routes":[
                  {"pattern":"sensors/{room}/{device}","codec":"test-json"},
                  {"pattern":"hall/door","codec":"test-json","room":"hall","device":"door-1","subscription":"hall/#"}]}}"""));

        assertThat(config.version()).isEqualTo(12);
        assertThat(config.routes()).hasValueSatisfying(routes -> assertThat(routes).containsExactly(
                new TopicRoute("sensors/{room}/{device}", "test-json", null, null, "sensors/+/+"),
                new TopicRoute("hall/door", "test-json", "hall", "door-1", "hall/#")));
    }

    @Test
    void withoutSouthRoutesGatewayYamlRoutesStay() {
        DesiredConfig config = parser.parse(bytes("{\"version\":3,\"rules\":{}}"));
        List<TopicRoute> yaml = List.of(new TopicRoute("a/{room}/{device}", "test-json"));

        assertThat(config.routes()).isEmpty();
        assertThat(config.routesOr(yaml)).isEqualTo(yaml);
        assertThat(new String(config.json(), StandardCharsets.UTF_8)).isEqualTo("{\"version\":3,\"rules\":{}}");
    }

    @Test
    void anEmptyRouteListIsARouteList() {
        assertThat(parser.parse(bytes("{\"version\":1,\"south\":{\"routes\":[]}}")).routes()).hasValue(List.of());
    }

    @Test
    void refusesWithOneLineNamingTheKey() {
        assertRefused("{\"version\":2,\"south\":{\"routes\":[{\"pattern\":\"a/{room}/{device}\",\"codec\":\"test-json\"},"
                        + "{\"pattern\":\"b/{room}/{device}\",\"codec\":\"nope\"}]}}",
                "south.routes[1].codec: unknown codec 'nope': known codecs are [test-json]");
        assertRefused("{\"version\":2,\"south\":{\"routes\":[{\"pattern\":\"a/x+/{device}\",\"codec\":\"test-json\",\"room\":\"r\"}]}}",
                "south.routes[0]: route 'a/x+/{device}': level 'x+' must be a plain word, '+', a final '#', {room} or {device}");
        assertRefused("{\"version\":2,\"south\":{\"routes\":[{\"pattern\":\"a/{device}\",\"codec\":\"test-json\"}]}}",
                "south.routes[0]: route 'a/{device}' has no {room} placeholder and no fixed room");
        assertRefused("{\"version\":2,\"south\":{\"routes\":[{\"pattern\":\"a/{room}/{device}\",\"codek\":\"test-json\"}]}}",
                "south.routes[0].codek: unknown key; known keys are [codec, device, pattern, room, subscription]");
        assertRefused("{\"version\":2,\"south\":{\"routes\":[{\"pattern\":\"a/{room}/{device}\"}]}}",
                "south.routes[0].codec: route 'a/{room}/{device}' names no codec");
        assertRefused("{\"version\":2,\"south\":{\"routes\":[{\"pattern\":\"a/{device}\",\"codec\":\"test-json\",\"room\":\"bad room\"}]}}",
                "south.routes[0].room: invalid room id 'bad room'");
        assertRefused("{\"version\":2,\"south\":{\"routes\":[{\"pattern\":\"a/{room}/{device}\",\"codec\":\"test-json\",\"subscription\":\"a/#/x\"}]}}",
                "south.routes[0].subscription: 'a/#/x' is not an MQTT topic filter");
        assertRefused("{\"version\":2,\"south\":{\"routes\":[{\"pattern\":7,\"codec\":\"test-json\"}]}}",
                "south.routes[0].pattern: must be text, not number 7");
        assertRefused("{\"version\":2,\"south\":{\"url\":\"tcp://evil:1883\"}}",
                "south.url: unknown key; the hub may set only south.routes");
        assertRefused("{\"version\":2,\"south\":{\"routes\":{}}}", "south.routes: must be a list, not object {}");
        assertRefused("{\"version\":\"7\"}", "version: must be an integer of 0 or more, not string \\\"7\\\"");
        assertRefused("{\"rules\":{}}", "version: must be an integer of 0 or more, not missing");
        assertRefused("[1]", "must be a JSON object with an integer \"version\"");
        assertThatThrownBy(() -> parser.parse(bytes("{\"version\":"))).isInstanceOf(DesiredConfigException.class)
                .hasMessageStartingWith("not JSON: ");
    }

    @Test
    void readsTheVersionOfAConfigurationItWouldRefuse() {
        assertThat(DesiredConfigParser.versionOf(bytes("{\"version\":9,\"south\":{\"routes\":7}}"))).hasValue(9);
        assertThat(DesiredConfigParser.versionOf(bytes("not json"))).isEmpty();
        assertThat(DesiredConfigParser.versionOf(bytes("{\"version\":1.5}"))).isEmpty();
    }

    private void assertRefused(String json, String reason) {
        assertThatThrownBy(() -> parser.parse(bytes(json))).isInstanceOf(DesiredConfigException.class)
                .hasMessage(reason);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
