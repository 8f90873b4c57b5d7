package org.smartschool.hub.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.gateway.config.RulesSettings;
import org.smartschool.gateway.rules.Rule;
import org.smartschool.gateway.rules.RuleBook;
import org.smartschool.hub.config.GatewayConfig;

/**
 * The limits and lesson hours a report judges by are the school's own, as its gateways get them: hub.yaml's
 * {@code desiredConfig.rules} (a school's own CO2 limit, room kinds, lesson hours), the defaults otherwise.
 */
class DesiredRulesTest {

    /** Verifies that a school's own rule, room kinds and lesson hours from its desired configuration are the report's. */
    @Test
    void aSchoolsOwnRulesAndLessonHoursComeFromItsDesiredConfiguration() {
        Map<String, Object> rules = Map.of(
                "roomKinds", Map.of("r101", "classroom"),
                "lessonHours", Map.of("timeZone", "Asia/Bangkok", "days", List.of("MONDAY", "SATURDAY"),
                        "windows", List.of("08:00-09:00")),
                "rules", List.of(Map.of("id", "co2", "quantity", "co2", "roomKinds", List.of("classroom"),
                        "levels", List.of(Map.of("severity", "warning", "condition", "above", "limit", 1200)))));
        GatewayConfig gateway = new GatewayConfig("gw-1", "school-01", null, "secret", Map.of("rules", rules));
        SchoolRulesSource source = new DesiredRulesSource(g -> Map.of("version", 1, "rules", g.desiredConfig().get("rules")),
                List.of(gateway));

        RulesSettings settings = source.rulesOf("school-01");
        RuleBook book = settings.toRuleBook();
        List<Rule> co2 = book.rulesFor("r101", "air-1", Quantity.CO2);
        assertThat(co2).extracting(Rule::id).contains("co2");
        assertThat(ComplianceLimit.of(co2.get(0)).orElseThrow().describe()).isEqualTo("≤ 1200 ppm");
        assertThat(settings.toLessonHours().zone()).isEqualTo(ZoneId.of("Asia/Bangkok"));
        assertThat(settings.toLessonHours().days()).isEqualTo(Set.of(DayOfWeek.MONDAY, DayOfWeek.SATURDAY));
        assertThat(book.rulesFor("r999", "air-1", Quantity.CO2)).as("a room without a kind: no classroom rule")
                .extracting(Rule::id).containsExactly("co2-stuck");
    }

    /** Verifies that a school without configured rules, or with rules the gateway would refuse, is judged by the defaults. */
    @Test
    void withoutUsableRulesTheDefaultsApply() {
        RulesSettings none = DesiredRules.of("school-02", Map.of("version", 1));
        assertThat(none.toLessonHours().zone()).isEqualTo(ZoneId.of("Asia/Ho_Chi_Minh"));
        assertThat(none.toRuleBook().rules()).extracting(Rule::id).contains("co2", "temperature", "pm25");
        RulesSettings bad = DesiredRules.of("school-02", Map.of("rules", Map.of("lessonHours", Map.of("windows", List.of("7-11")))));
        assertThat(bad.toLessonHours().windows()).hasSize(2);
    }
}
