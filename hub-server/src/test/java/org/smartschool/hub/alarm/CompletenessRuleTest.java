package org.smartschool.hub.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.hub.config.HubRulesConfig;

/** The data completeness rule (defaults: 60-min window, raise below 80 %, clear at 90 %), devices every 10 s. */
class CompletenessRuleTest {
    /** A multiple of the 5-min bucket. */
    private static final long T0 = 1_800_000_000_000L;
    private static final long MIN = 60_000;
    private static final CompletenessRule.Intervals EVERY_10_S = (school, device) -> 10_000;

    private final CompletenessRule rule = new CompletenessRule(HubRulesConfig.DEFAULT);

    /** Readings of one device every 10 s in [from, to), stored at {@code to}. */
    private void store(String school, String device, long from, long to) {
        long[] times = LongStream.iterate(from, t -> t < to, t -> t + 10_000).toArray();
        rule.stored(school, Map.of(device, times), to);
    }

    /**
     * Verifies that a device silent for half of the window takes the school below 80 % (one alarm, naming the least
     * complete device), and that its readings replayed later fill the window in and clear it.
     */
    @Test
    void missingReadingsRaiseAndTheirReplayClears() {
        store("s1", "co2-a", T0, T0 + 70 * MIN);
        store("s1", "co2-b", T0, T0 + 30 * MIN);
        List<RuleVerdict> raised = rule.check(T0 + 62 * MIN, EVERY_10_S, s -> true);
        assertThat(raised).singleElement().satisfies(v -> {
            assertThat(v.kind()).isEqualTo(RuleVerdict.Kind.RAISE);
            assertThat(v.rule()).isEqualTo("data-completeness");
            assertThat(v.school()).isEqualTo("s1");
            assertThat(v.room()).isEqualTo("school");
            assertThat(v.device()).isEqualTo("s1");
            assertThat(v.at()).as("the end of the window judged").isEqualTo(T0 + 60 * MIN);
            assertThat(v.value()).isEqualTo(75.0);
            assertThat(v.detail()).isEqualTo("school s1: 75% of the expected readings stored over the last 60 min"
                    + " (540 of 720), below 80%; least complete: co2-b 50%, co2-a 100%");
        });
        assertThat(rule.check(T0 + 63 * MIN, EVERY_10_S, s -> true)).as("raised once").isEmpty();

        store("s1", "co2-b", T0 + 30 * MIN, T0 + 72 * MIN);
        store("s1", "co2-a", T0 + 70 * MIN, T0 + 72 * MIN);
        assertThat(rule.check(T0 + 72 * MIN, EVERY_10_S, s -> true)).singleElement().satisfies(v -> {
            assertThat(v.kind()).isEqualTo(RuleVerdict.Kind.CLEAR);
            assertThat(v.value()).isEqualTo(100.0);
            assertThat(v.detail()).isEqualTo("school s1: 100% of the expected readings stored over the last 60 min"
                    + " (720 of 720)");
        });
    }

    /** Verifies the hysteresis: 85 % neither raises a new alarm nor clears a raised one. */
    @Test
    void betweenTheLevelsNothingChanges() {
        store("s1", "a", T0, T0 + 60 * MIN);
        store("s1", "b", T0, T0 + 42 * MIN);
        // a: 360 of 360, b: 252 of 360 -> 85 %
        assertThat(rule.check(T0 + 62 * MIN, EVERY_10_S, s -> true)).isEmpty();
        rule.restoreRaised(new RuleSource("s1", "school", "s1"));
        assertThat(rule.check(T0 + 62 * MIN, EVERY_10_S, s -> true)).isEmpty();
        assertThat(rule.raised()).isEqualTo(1);
    }

    /** Verifies that a chatty device is counted at most at its expected count, so it cannot hide a silent one. */
    @Test
    void aChattyDeviceDoesNotHideASilentOne() {
        store("s1", "a", T0, T0 + 60 * MIN);
        rule.stored("s1", Map.of("a", LongStream.iterate(T0 + 5_000, t -> t < T0 + 60 * MIN, t -> t + 10_000).toArray()),
                T0 + 60 * MIN);
        store("s1", "b", T0, T0 + 10 * MIN);
        assertThat(rule.check(T0 + 62 * MIN, EVERY_10_S, s -> true)).singleElement()
                .satisfies(v -> assertThat(v.value()).isCloseTo(58.3, org.assertj.core.data.Offset.offset(0.1)));
    }

    /** Verifies that a school whose gateway is unreachable, or that should have sent too little, is not judged. */
    @Test
    void unreachableOrTinySchoolsAreNotJudged() {
        store("s1", "a", T0, T0 + 10 * MIN);
        assertThat(rule.check(T0 + 62 * MIN, EVERY_10_S, s -> false)).isEmpty();
        rule.stored("s2", Map.of("x", new long[] {T0 + 59 * MIN}), T0 + 59 * MIN);
        assertThat(rule.check(T0 + 62 * MIN, (s, d) -> 3_600_000, s -> s.equals("s2"))).as("1 expected").isEmpty();
        assertThat(rule.check(T0 + 62 * MIN, EVERY_10_S, s -> true)).extracting(RuleVerdict::school)
                .containsExactly("s1");
    }

    /** Verifies that a device counts from its first reading, so a hub that just started does not see a gap. */
    @Test
    void aDeviceCountsFromItsFirstReading() {
        store("s1", "a", T0 + 40 * MIN, T0 + 62 * MIN);
        assertThat(rule.check(T0 + 62 * MIN, EVERY_10_S, s -> true)).isEmpty();
        assertThat(rule.devices()).isEqualTo(1);
        assertThat(rule.check(T0 + 24 * 60 * MIN + 62 * MIN, EVERY_10_S, s -> true)).isEmpty();
        assertThat(rule.devices()).as("silent for a day: forgotten").isZero();
    }

    /** Verifies that a batch's readings count once per device and timestamp, whatever the number of quantities. */
    @Test
    void distinctTimesCountOneReadingPerDeviceAndTime() {
        DeviceRef a = new DeviceRef("s1", "r1", "a");
        DeviceRef b = new DeviceRef("s1", "r1", "b");
        Batch batch = new Batch("b-1", "gw-1", "s1", List.of(Reading.of(a, Quantity.CO2, 600, T0),
                Reading.of(a, Quantity.TEMPERATURE, 27, T0), Reading.of(a, Quantity.CO2, 610, T0 + 10_000),
                Reading.of(b, Quantity.CO2, 700, T0), Reading.of(a, Quantity.HUMIDITY, 55, T0)), List.of());
        Map<String, long[]> times = CompletenessRule.distinctTimes(batch);
        assertThat(times.keySet()).containsExactlyInAnyOrder("a", "b");
        assertThat(times.get("a")).containsExactly(T0, T0 + 10_000);
        assertThat(times.get("b")).containsExactly(T0);
    }
}
