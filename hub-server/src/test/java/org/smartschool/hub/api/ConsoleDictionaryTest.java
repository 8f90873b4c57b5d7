package org.smartschool.hub.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * The console's two dictionaries: the same keys in both, every key the page and its scripts use present, and the
 * Vietnamese written with its diacritics (precomposed, as browsers and fonts expect).
 */
class ConsoleDictionaryTest {
    private static final Pattern DATA_I18N = Pattern.compile("data-i18n=\"([^\"]+)\"");
    /** t("key") and t("key", ...) with a literal key; keys built at run time ("q." + quantity) are checked below. */
    private static final Pattern LITERAL = Pattern.compile("\"([a-z]+\\.[a-zA-Z0-9_. -]*)\"");
    private static final Pattern T_CALL = Pattern.compile("\\bt\\(\"([a-zA-Z0-9_.\\- ]+)\"\\s*[,)]");

    /** Verifies that both languages have exactly the same keys, none empty. */
    @Test
    void bothLanguagesHaveTheSameKeys() throws IOException {
        Map<String, String> vi = dictionary("vi");
        Map<String, String> en = dictionary("en");
        assertThat(vi.keySet()).isEqualTo(en.keySet());
        assertThat(vi).hasSizeGreaterThan(100).allSatisfy((k, v) -> assertThat(v).as(k).isNotBlank());
        assertThat(en).allSatisfy((k, v) -> assertThat(v).as(k).isNotBlank());
    }

    /** Verifies that every key of the page's markup and of its scripts' literal t() calls is in the dictionary. */
    @Test
    void everyKeyThePageUsesIsDefined() throws IOException {
        Map<String, String> vi = dictionary("vi");
        Set<String> used = new TreeSet<>();
        collect(DATA_I18N, resource("index.html"), used);
        for (String script : new String[] {"console.js", "map.js", "chart.js", "i18n.js", "detail.js"}) {
            collect(T_CALL, resource(script), used);
        }
        assertThat(used).hasSizeGreaterThan(50);
        // keys handed to t() through a table ({online: "status.online", ...}): any literal "prefix.rest" of a prefix
        // the dictionary has
        Set<String> prefixes = new TreeSet<>();
        vi.keySet().forEach(k -> prefixes.add(k.substring(0, k.indexOf('.'))));
        Set<String> literals = new TreeSet<>();
        collect(LITERAL, resource("console.js"), literals);
        literals.stream().filter(l -> prefixes.contains(l.substring(0, l.indexOf('.'))) && !l.endsWith(".")).forEach(used::add);
        assertThat(used).contains("status.online", "status.no data", "live.connected", "live.offline");
        assertThat(vi.keySet()).containsAll(used);
        // keys made from the API's words: roles, alarm states and severities, quantities, fleet events, sessions
        for (String role : new String[] {"school-viewer", "school-operator", "district-viewer", "district-operator", "admin"}) {
            assertThat(vi).containsKey("role." + role);
        }
        for (String state : new String[] {"active", "acknowledged", "cleared"}) {
            assertThat(vi).containsKey("state." + state);
        }
        for (org.smartschool.bridge.alarm.Severity severity : org.smartschool.bridge.alarm.Severity.values()) {
            assertThat(vi).as("severity %s", severity.id()).containsKey("severity." + severity.id());
        }
        for (org.smartschool.bridge.model.Quantity quantity : org.smartschool.bridge.model.Quantity.values()) {
            assertThat(vi).as("quantity %s", quantity.id()).containsKey("q." + quantity.id());
        }
        for (org.smartschool.hub.fleet.FleetEventType type : org.smartschool.hub.fleet.FleetEventType.values()) {
            assertThat(vi).containsKey("fleet." + type.label());
        }
        // the spans of an alarm's detail ("10 min mean ...", "no reading for 1 h"), as the edge gateway writes them
        for (String span : new String[] {"h", "min", "s"}) {
            assertThat(vi).containsKey("detail.span." + span);
        }
        for (org.smartschool.hub.fleet.OfflineCause cause : org.smartschool.hub.fleet.OfflineCause.values()) {
            assertThat(vi).containsKey("fleet.cause." + cause.label());
        }
        for (org.smartschool.hub.registry.MaintenanceKind kind : org.smartschool.hub.registry.MaintenanceKind.values()) {
            assertThat(vi).containsKey("equipment.maintenance." + kind.id());
        }
        for (org.smartschool.hub.registry.EquipmentStatus status : org.smartschool.hub.registry.EquipmentStatus.values()) {
            assertThat(vi).containsKey("equipment.status." + status.id());
        }
    }

    /** Verifies that the Vietnamese is Vietnamese: diacritics present, precomposed (NFC), a few labels as written. */
    @Test
    void vietnameseIsWrittenWithItsDiacritics() throws IOException {
        Map<String, String> vi = dictionary("vi");
        vi.forEach((k, v) -> assertThat(Normalizer.isNormalized(v, Normalizer.Form.NFC)).as("%s is NFC: %s", k, v).isTrue());
        assertThat(vi.get("login.submit")).isEqualTo("Đăng nhập");
        assertThat(vi.get("user.logout")).isEqualTo("Đăng xuất");
        assertThat(vi.get("attendance.title")).isEqualTo("Chuyên cần hôm nay");
        assertThat(vi.get("alarms.ack")).isEqualTo("Xác nhận");
        assertThat(vi.get("q.temperature")).isEqualTo("Nhiệt độ");
        long marked = vi.values().stream().filter(v -> v.chars().anyMatch(c -> c > 0x7f)).count();
        assertThat(marked).as("labels with Vietnamese letters").isGreaterThan(vi.size() * 3 / 4);
    }

    private static void collect(Pattern pattern, String text, Set<String> into) {
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            into.add(m.group(1));
        }
    }

    private static Map<String, String> dictionary(String language) throws IOException {
        return new ObjectMapper().readValue(resource("i18n/" + language + ".json"), new TypeReference<Map<String, String>>() { });
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ConsoleDictionaryTest.class.getClassLoader().getResourceAsStream(ConsoleRoutes.ROOT + "/" + name)) {
            assertThat(in).as("%s on the classpath", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
