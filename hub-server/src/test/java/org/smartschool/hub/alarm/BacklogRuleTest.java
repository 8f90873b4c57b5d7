package org.smartschool.hub.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.smartschool.hub.config.HubRulesConfig;

/** The outbox backlog rule on sequences of health reports (defaults: 15 min, 3 growing reports, clear at 5 min). */
class BacklogRuleTest {
    private static final long T0 = 1_800_000_000_000L;
    private static final long REPORT = 30_000;

    private final BacklogRule rule = new BacklogRule(HubRulesConfig.DEFAULT);

    private List<RuleVerdict> report(int i, long records, Long ageSeconds) {
        return rule.report("gw-1", "s1", new HealthSignals(records, ageSeconds, null, null), T0 + i * REPORT);
    }

    /** Verifies that a backlog past 15 min raises once after three growing reports, and clears below 5 min. */
    @Test
    void aGrowingOldBacklogRaisesOnceAndClearsWhenItDrains() {
        assertThat(report(0, 1000, 900L)).isEmpty();
        assertThat(report(1, 1100, 930L)).isEmpty();
        assertThat(report(2, 1200, 960L)).isEmpty();
        List<RuleVerdict> raised = report(3, 1300, 990L);
        assertThat(raised).singleElement().satisfies(v -> {
            assertThat(v.kind()).isEqualTo(RuleVerdict.Kind.RAISE);
            assertThat(v.rule()).isEqualTo("gateway-backlog");
            assertThat(v.school()).isEqualTo("s1");
            assertThat(v.room()).isEqualTo("gateway");
            assertThat(v.device()).isEqualTo("gw-1");
            assertThat(v.at()).isEqualTo(T0 + 3 * REPORT);
            assertThat(v.value()).isEqualTo(990.0);
            assertThat(v.detail()).isEqualTo("outbox of gateway gw-1 1300 records waiting, oldest 16 min old, growing"
                    + " over the last 3 health reports");
        });
        assertThat(report(4, 1400, 1020L)).as("raised once").isEmpty();
        assertThat(report(5, 500, 400L)).as("draining but above the clear level").isEmpty();
        assertThat(report(6, 10, 300L)).singleElement().satisfies(v -> {
            assertThat(v.kind()).isEqualTo(RuleVerdict.Kind.CLEAR);
            assertThat(v.detail()).isEqualTo("outbox of gateway gw-1 drained: 10 records waiting, oldest 5 min old");
        });
        assertThat(rule.raised()).isZero();
    }

    /** Verifies that a link that came back replays an old backlog without an alarm: age and count fall. */
    @Test
    void aReplayAfterAnOutageIsNoBacklogAlarm() {
        long age = 7200;
        long records = 50_000;
        for (int i = 0; i < 20; i++) {
            assertThat(report(i, records, age)).isEmpty();
            age -= 400;
            records -= 2500;
        }
        assertThat(rule.raised()).isZero();
    }

    /** Verifies that one report that does not grow restarts the count of growing reports. */
    @Test
    void growingMeansConsecutiveReports() {
        report(0, 100, 1000L);
        report(1, 110, 1030L);
        report(2, 120, 1060L);
        assertThat(report(3, 120, 1060L)).as("flat: not growing").isEmpty();
        assertThat(report(4, 130, 1090L)).isEmpty();
        assertThat(report(5, 140, 1120L)).isEmpty();
        assertThat(report(6, 150, 1150L)).hasSize(1);
    }

    /** Verifies that a report without outbox fields is not judged, and that an empty outbox clears a restored alarm. */
    @Test
    void aRestoredAlarmClearsOnTheNextEmptyOutbox() {
        rule.restoreRaised(new RuleSource("s1", "gateway", "gw-1"));
        assertThat(rule.report("gw-1", "s1", new HealthSignals(null, null, null, null), T0)).isEmpty();
        assertThat(rule.raised()).isEqualTo(1);
        assertThat(rule.report("gw-1", "s1", HealthSignals.of("{\"outboxRecords\":0,\"outboxOldestMillis\":null}"), T0))
                .singleElement().extracting(RuleVerdict::kind).isEqualTo(RuleVerdict.Kind.CLEAR);
    }

    /** Verifies how the age is read from a report: the age field, else time minus the oldest record's time. */
    @Test
    void healthSignalsReadTheOutboxAgeAndTheUnknownDevices() {
        assertThat(HealthSignals.of("{\"outboxRecords\":5,\"outboxOldestAgeSeconds\":61,\"unknownDevices\":{\"mqtt\":3,\"coap\":4}}"))
                .isEqualTo(new HealthSignals(5L, 61L, 7L, null));
        assertThat(HealthSignals.of("{\"time\":100000,\"outboxRecords\":5,\"outboxOldestMillis\":40000,\"uptimeSeconds\":9,"
                + "\"counters\":{\"unknown_devices\":2}}")).isEqualTo(new HealthSignals(5L, 60L, 2L, 9L));
        assertThat(HealthSignals.of("{\"outboxRecords\":\"many\"}")).isEqualTo(new HealthSignals(null, null, null, null));
        assertThat(HealthSignals.of("[1]")).isEqualTo(new HealthSignals(null, null, null, null));
    }
}
