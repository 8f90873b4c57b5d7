package org.smartschool.hub.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.smartschool.hub.config.HubRulesConfig;

/** The authentication failure rule (defaults: 10 per claimed id or 50 unknown ids within 10 min; 30 quiet min). */
class AuthFailureRuleTest {
    private static final long T0 = 1_800_000_000_000L;
    private static final long MIN = 60_000;

    /** Verifies that ten failures of a known gateway id raise one alarm for its school, cleared after a quiet window. */
    @Test
    void repeatedFailuresOfAKnownIdRaiseForItsSchoolAndClearWhenQuiet() {
        AuthFailureRule rule = new AuthFailureRule(HubRulesConfig.DEFAULT);
        for (int i = 0; i < 9; i++) {
            assertThat(rule.failed("gw-1", "s1", T0 + i * 30_000)).isEmpty();
        }
        assertThat(rule.failed("gw-1", "s1", T0 + 9 * 30_000)).singleElement().satisfies(v -> {
            assertThat(v.kind()).isEqualTo(RuleVerdict.Kind.RAISE);
            assertThat(v.rule()).isEqualTo("auth-failures");
            assertThat(v.school()).isEqualTo("s1");
            assertThat(v.room()).isEqualTo("gateway");
            assertThat(v.device()).isEqualTo("gw-1");
            assertThat(v.detail()).isEqualTo("10 refused CONNECTs claiming gateway id gw-1 of school s1 within 10 min (limit 10)");
        });
        assertThat(rule.failed("gw-1", "s1", T0 + 5 * MIN)).isEmpty();
        assertThat(rule.check(T0 + 34 * MIN)).isEmpty();
        assertThat(rule.check(T0 + 35 * MIN)).singleElement().satisfies(v -> {
            assertThat(v.kind()).isEqualTo(RuleVerdict.Kind.CLEAR);
            assertThat(v.device()).isEqualTo("gw-1");
        });
        assertThat(rule.check(T0 + 60 * MIN)).isEmpty();
        assertThat(rule.tracked()).as("forgotten once quiet").isZero();
    }

    /** Verifies that unknown and invalid ids are alarms of the district school; an invalid id is one key. */
    @Test
    void unknownIdsAreDistrictAlarmsAndInvalidIdsShareOneKey() {
        AuthFailureRule rule = new AuthFailureRule(HubRulesConfig.DEFAULT);
        List<RuleVerdict> out = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            out.addAll(rule.failed("gw-x", null, T0 + i));
            out.addAll(rule.failed("bad id\n" + i, null, T0 + i));
        }
        assertThat(out).extracting(RuleVerdict::school, RuleVerdict::device)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("district", "gw-x"),
                        org.assertj.core.groups.Tuple.tuple("district", "invalid-gateway-id"));
        assertThat(rule.tracked()).isEqualTo(2);
    }

    /**
     * Verifies that an attacker cycling through many ids is bounded to authFailureTrackedIds keys, and still raises
     * the district-wide alarm of unknown ids.
     */
    @Test
    void manyClaimedIdsAreBoundedAndRaiseTheDistrictWideAlarm() {
        AuthFailureRule rule = new AuthFailureRule(HubRulesConfig.DEFAULT);
        List<RuleVerdict> out = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            out.addAll(rule.failed("scan-" + i, null, T0 + i));
        }
        assertThat(rule.tracked()).isEqualTo(200);
        assertThat(out).singleElement().satisfies(v -> {
            assertThat(v.school()).isEqualTo("district");
            assertThat(v.device()).isEqualTo("unknown-gateway-ids");
            assertThat(v.value()).isEqualTo(50.0);
            assertThat(v.detail()).isEqualTo("50 refused CONNECTs claiming unknown gateway ids within 10 min (limit 50)");
        });
    }

    /** Verifies that a raised id is not evicted by newer ids, and that failures spread over hours never raise. */
    @Test
    void raisedIdsStayTrackedAndSlowFailuresDoNotRaise() {
        AuthFailureRule rule = new AuthFailureRule(HubRulesConfig.DEFAULT);
        for (int i = 0; i < 10; i++) {
            rule.failed("gw-old", null, T0 + i);
        }
        for (int i = 0; i < 1000; i++) {
            rule.failed("n-" + i, null, T0 + 1000 + i);
        }
        assertThat(rule.raised()).as("gw-old and the unknown-ids total").isEqualTo(2);
        assertThat(rule.check(T0 + 31 * MIN)).extracting(RuleVerdict::device)
                .containsExactlyInAnyOrder("gw-old", "unknown-gateway-ids");

        AuthFailureRule slow = new AuthFailureRule(HubRulesConfig.DEFAULT);
        for (int i = 0; i < 100; i++) {
            assertThat(slow.failed("gw-1", "s1", T0 + i * 2 * MIN)).isEmpty();
        }
    }
}
