package org.smartschool.hub.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.smartschool.hub.config.HubRulesConfig;

/** The school security rule (defaults: 20 events within 10 min, clear after 30 quiet min). */
class SchoolSecurityRuleTest {
    private static final long T0 = 1_800_000_000_000L;
    private static final long MIN = 60_000;

    private final SchoolSecurityRule rule = new SchoolSecurityRule(HubRulesConfig.DEFAULT);

    private static HealthSignals unknown(long total, long uptime) {
        return new HealthSignals(0L, 0L, total, uptime);
    }

    /** Verifies that unknown-device increments and refused topics add up per school, and clear after a quiet window. */
    @Test
    void unknownDevicesAndRefusedTopicsOfOneSchoolRaiseAndClearAfterQuiet() {
        assertThat(rule.report("gw-1", "s1", unknown(500, 100), T0)).as("the first report is the baseline").isEmpty();
        assertThat(rule.report("gw-1", "s1", unknown(512, 130), T0 + MIN)).isEmpty();
        for (int i = 0; i < 7; i++) {
            assertThat(rule.topicRefused("s1", T0 + 2 * MIN)).isEmpty();
        }
        assertThat(rule.topicRefused("s2", T0 + 2 * MIN)).as("another school counts apart").isEmpty();
        assertThat(rule.topicRefused("s1", T0 + 3 * MIN)).singleElement().satisfies(v -> {
            assertThat(v.kind()).isEqualTo(RuleVerdict.Kind.RAISE);
            assertThat(v.rule()).isEqualTo("school-security");
            assertThat(v.school()).isEqualTo("s1");
            assertThat(v.room()).isEqualTo("school");
            assertThat(v.device()).isEqualTo("s1");
            assertThat(v.value()).isEqualTo(20.0);
            assertThat(v.detail()).isEqualTo("12 messages of unknown devices and 8 refused topics from school s1 within"
                    + " 10 min (limit 20)");
        });
        assertThat(rule.topicRefused("s1", T0 + 4 * MIN)).as("raised once").isEmpty();
        assertThat(rule.check(T0 + 33 * MIN)).as("29 min quiet").isEmpty();
        assertThat(rule.check(T0 + 34 * MIN)).singleElement().satisfies(v -> {
            assertThat(v.kind()).isEqualTo(RuleVerdict.Kind.CLEAR);
            assertThat(v.device()).isEqualTo("s1");
        });
        assertThat(rule.raised()).isZero();
    }

    /** Verifies that events spread wider than the window do not add up. */
    @Test
    void eventsOutsideTheWindowDoNotCount() {
        for (int i = 0; i < 40; i++) {
            assertThat(rule.topicRefused("s1", T0 + i * 2 * MIN)).as("one every 2 min: 5 per window").isEmpty();
        }
    }

    /** Verifies that a total that fell (the gateway restarted) counts from zero, and a restored alarm clears when quiet. */
    @Test
    void aGatewayRestartCountsItsNewTotalAndARestoredAlarmClears() {
        rule.report("gw-1", "s1", unknown(1000, 5000), T0);
        assertThat(rule.report("gw-1", "s1", unknown(25, 20), T0 + MIN)).hasSize(1);

        SchoolSecurityRule restarted = new SchoolSecurityRule(HubRulesConfig.DEFAULT);
        restarted.restoreRaised(new RuleSource("s1", "school", "s1"), T0);
        assertThat(restarted.check(T0 + 29 * MIN)).isEmpty();
        assertThat(restarted.check(T0 + 30 * MIN)).singleElement().extracting(RuleVerdict::kind)
                .isEqualTo(RuleVerdict.Kind.CLEAR);
    }
}
