package org.smartschool.gateway.desired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.gateway.config.RulesSettings;
import org.smartschool.gateway.rules.RuleBook;
import org.smartschool.gateway.support.TestJsonCodec;

/** Verifies the {@code rules} key of the hub's desired configuration (docs/protocol.md 3.2): gateway.yaml's shape, as strict. */
class DesiredRulesParserTest {
    private final DesiredConfigParser parser = new DesiredConfigParser("s1", new CodecRegistry(List.of(new TestJsonCodec())));

    private DesiredConfig parse(String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theExampleOfTheProtocolDocParsesIntoTheRulesItDescribes() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.exists(root.resolve("docs/protocol.md"))) {
            root = root.getParent();
        }
        String doc = Files.readString(root.resolve("docs/protocol.md"));
        int section = doc.indexOf("**`rules`: the school's rules.**");
        int start = doc.indexOf("```json", section) + "```json".length();
        String example = doc.substring(start, doc.indexOf("```", start));

        RulesSettings rules = parse(example).rules().orElseThrow();
        RuleBook book = rules.toRuleBook();
        assertThat(rules.roomKinds()).containsEntry("srv", "technical");
        assertThat(book.rulesFor("lab1", "co2-1", Quantity.CO2)).singleElement()
                .satisfies(r -> assertThat(r.levels()).hasSize(1));
        assertThat(book.rulesFor("r101", "co2-1", Quantity.CO2)).singleElement()
                .satisfies(r -> assertThat(r.levels()).hasSize(3)); // co2-stuck is switched off
        assertThat(book.rulesFor("srv", "rack-1", Quantity.TEMPERATURE)).extracting(r -> r.id()).containsExactly("server-heat");
        assertThat(book.rulesFor("r101", "lux-1", Quantity.ILLUMINANCE)).isEmpty();
    }

    @Test
    void withoutRulesTheGatewayYamlRulesStay() {
        DesiredConfig config = parse("{\"version\":1}");
        assertThat(config.rules()).isEmpty();
        RulesSettings local = RulesSettings.defaults();
        assertThat(config.rulesOr(local)).isSameAs(local);
    }

    @Test
    void eachKeyTheHubSendsReplacesGatewayYamlsAndTheOthersStay() {
        // gateway.yaml: a rule of the school's own and r101 a lab; the hub's registry: r101 a classroom, r102 an office
        RulesSettings local = new RulesSettings(java.util.Map.of("r101", "lab"), null,
                List.of(new RulesSettings.RuleSettings("server-heat", "temperature", List.of(), "rack-*", null, null, null,
                        List.of(new RulesSettings.LevelSettings("major", "above", 35.0, null, null, 1.0, null, null, null,
                                null, null, null, null)))), List.of());
        DesiredConfig config = parse("{\"version\":3,\"rules\":{\"roomKinds\":{\"r101\":\"classroom\",\"r102\":\"office\"}}}");
        assertThat(config.rulesKeys()).containsExactly("roomKinds");

        RulesSettings running = config.rulesOr(local);
        assertThat(running.roomKinds()).containsExactlyInAnyOrderEntriesOf(
                java.util.Map.of("r101", "classroom", "r102", "office"));
        assertThat(running.rules()).isEqualTo(local.rules());
        assertThat(running.toRuleBook().rulesFor("srv", "rack-1", Quantity.TEMPERATURE)).extracting(r -> r.id())
                .containsExactly("server-heat");

        // the hub's own list of rules replaces the school's
        RulesSettings replaced = parse("{\"version\":4,\"rules\":{\"rules\":[]}}").rulesOr(local);
        assertThat(replaced.rules()).isEmpty();
        assertThat(replaced.roomKinds()).isEqualTo(local.roomKinds());
    }

    @Test
    void aBadRuleIsRefusedWithOneLineNamingTheKeyPath() {
        assertThatThrownBy(() -> parse("{\"version\":2,\"rules\":{\"overrides\":[{\"roomKind\":\"lab\",\"rule\":\"co2\","
                + "\"replacement\":{\"quantity\":\"co2\",\"levels\":[{\"severity\":\"loud\",\"condition\":\"above\",\"limit\":1}]}}]}}"))
                .isInstanceOf(DesiredConfigException.class)
                .hasMessage("rules.overrides[0].replacement.levels[0]: severity: unknown severity 'loud' (warning, minor, major or critical)");
        assertThatThrownBy(() -> parse("{\"version\":2,\"rules\":{\"rules\":[{\"id\":\"x\",\"quantity\":\"co2\",\"levls\":[]}]}}"))
                .hasMessage("rules.rules[0].levls: unknown key");
        assertThatThrownBy(() -> parse("{\"version\":2,\"rules\":{\"roomKinds\":[\"r101\"]}}"))
                .hasMessageStartingWith("rules.roomKinds: must be");
        assertThatThrownBy(() -> parse("{\"version\":2,\"rules\":{\"rules\":[{\"id\":\"x\",\"quantity\":\"co2\",\"levels\":["
                + "{\"severity\":\"major\",\"condition\":\"above\",\"limit\":\"high\"}]}]}}"))
                .hasMessage("rules.rules[0].levels[0].limit: must be a number");
        assertThatThrownBy(() -> parse("{\"version\":2,\"rules\":[]}")).hasMessage("rules: must be an object, not array []");
    }
}
