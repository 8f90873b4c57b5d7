package org.smartschool.gateway.desired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.routing.TopicRoute;
import org.smartschool.gateway.config.CoapSettings;
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

    private final DesiredConfigParser standard = new DesiredConfigParser("school-1", CodecRegistry.standard());

    @Test
    void readsCoapResourcesAndDeviceKeys() {
        DesiredConfig config = standard.parse(bytes("""
                {"version":9,"coap":{"routes":[
                  {"pattern":"lab-3/{device}","room":"r305","jsonCodec":"esphome"},
                  {"pattern":"{room}/{device}","codec":"senml"}],
                 "keys":[{"identity":"r202-co2","room":"r202","device":"co2","secret":"hex:00112233445566778899"},
                  {"identity":"r101-air","room":"r101","device":"air","secret":"secret-of-r101-air"}]}}"""));

        assertThat(config.coapRoutes()).hasValueSatisfying(routes -> assertThat(routes).containsExactly(
                new CoapSettings.Route("lab-3/{device}", "senml", "esphome", "r305", null),
                new CoapSettings.Route("{room}/{device}", "senml", null, null, null)));
        assertThat(config.coapKeys()).hasValueSatisfying(keys -> {
            assertThat(keys).extracting(CoapSettings.DeviceKey::identity).containsExactly("r202-co2", "r101-air");
            assertThat(keys.get(0).secretBytes()).hasSize(10);
        });
        assertThat(config.routes()).isEmpty();
        assertThat(config.toString()).doesNotContain("secret-of-r101-air").doesNotContain("0011223344");
        assertThat(standard.parse(bytes("{\"version\":1,\"coap\":{\"keys\":[]}}")).coapKeys()).hasValue(List.of());
    }

    @Test
    void refusesBadCoapSettingsWithOneLineThatNeverShowsAKey() {
        String key = "{\"identity\":\"r1-a\",\"room\":\"r1\",\"device\":\"a\",\"secret\":";
        assertRefusedBy("{\"version\":2,\"coap\":{\"keys\":[" + key + "\"hex:0g11223344556677\"}]}}",
                "coap.keys[0].secret: not valid hex after 'hex:' (an even number of 0-9, a-f)");
        assertRefusedBy("{\"version\":2,\"coap\":{\"keys\":[" + key + "\"base64:%%%%-secret\"}]}}",
                "coap.keys[0].secret: not valid base64 after 'base64:'");
        assertRefusedBy("{\"version\":2,\"coap\":{\"keys\":[" + key + "\"short\"}]}}",
                "coap.keys[0].secret: must be 8-64 bytes, got 5");
        assertRefusedBy("{\"version\":2,\"coap\":{\"keys\":[" + key + "7}]}}", "coap.keys[0].secret: must be text");
        assertRefusedBy("{\"version\":2,\"coap\":{\"keys\":[" + key + "\"long-enough-1\"}," + key
                + "\"long-enough-2\"}]}}", "coap.keys[1].identity: 'r1-a' is listed twice");
        assertRefusedBy("{\"version\":2,\"coap\":{\"keys\":[{\"identity\":\"x\",\"room\":\"r1\",\"device\":\"a\","
                        + "\"secert\":\"long-enough-1\"}]}}",
                "coap.keys[0].secert: unknown key; known keys are [device, identity, room, secret]");
        assertRefusedBy("{\"version\":2,\"coap\":{\"keys\":[\"long-enough-secret\"]}}",
                "coap.keys[0]: must be an object, not text");
        assertRefusedBy("{\"version\":2,\"coap\":{\"routes\":[{\"pattern\":\"{room}/{device}\",\"codec\":\"nope\"}]}}",
                "coap.routes[0].codec: unknown codec 'nope': known codecs are "
                        + CodecRegistry.standard().all().stream().map(org.smartschool.bridge.codec.Codec::name).sorted().toList());
        assertRefusedBy("{\"version\":2,\"coap\":{\"routes\":[{\"pattern\":\"/a/{device}\",\"room\":\"r1\"}]}}",
                "coap.routes[0]: pattern '/a/{device}' must be a path without a leading '/', made of words, {room} and {device}");
        assertRefusedBy("{\"version\":2,\"coap\":{\"url\":\"coap://x\"}}",
                "coap.url: unknown key; the hub may set only coap.routes and coap.keys");
        assertRefusedBy("{\"version\":2,\"coap\":{\"keys\":[{\"identity\":\"x\",\"room\":\"r1\",\"secret\":\"hex:zz\"}]}}",
                "coap.keys[0].device: missing");
        // Jackson's own message would quote the payload, and a key with it
        assertThatThrownBy(() -> standard.parse(bytes("{\"version\":2,\"coap\":{\"keys\":[" + key + "top-secret-key}]}}")))
                .isInstanceOf(DesiredConfigException.class).hasMessageStartingWith("not JSON: syntax error at line 1, column ")
                .message().doesNotContain("top-secret");
    }

    private void assertRefusedBy(String json, String reason) {
        assertThatThrownBy(() -> standard.parse(bytes(json))).isInstanceOf(DesiredConfigException.class)
                .hasMessage(reason);
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
