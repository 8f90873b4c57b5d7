package org.smartschool.bridge.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.smartschool.bridge.sim.SchoolTimetableTest.local;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;

/**
 * The demo's scripted episodes, as a gateway decodes them: they happen at the same minutes whatever
 * the hour the demo starts (a lesson or the middle of the night), and leave every other device alone.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ScenarioTest {
    private static final long MINUTE = 60_000;
    private static final long SEED = 20_240_905L;

    /** A demo started at {@code live} after {@code history} of simulated past, with the demo's whole scenario. */
    private static SchoolSimulation demo(long live, long history) {
        return new SchoolSimulation("school-01", SchoolLayout.of(8), SEED, live - history,
                Scenario.demoAlarms(live).and(Scenario.demoSilence(live)));
    }

    /**
     * Verifies that the full classroom's CO2 passes 1000 ppm within 2 minutes and 1500 ppm within 5, that
     * its 15-minute mean passes 1500 ppm within 15 minutes, that it never reaches 2000 ppm, and that once
     * aired it is below 900 ppm from 29 minutes on, in a lesson and at night alike.
     */
    @ParameterizedTest
    @ValueSource(strings = {"2026-03-02T09:10", "2026-03-08T02:00", "2026-03-04T14:40"})
    void fullClassroomPassesTheCo2LimitsThenIsAired(String localStart) {
        long live = local(localStart);
        SchoolSimulation sim = demo(live, 30 * MINUTE);
        List<SimulatedMessage> messages = sim.messagesUntil(live + 45 * MINUTE);
        List<Reading> co2 = DecodedTraffic.decode(sim, messages, m -> m.topic().equals("zigbee2mqtt/r101/r101-air"))
                .readings("r101-air", Quantity.CO2);

        assertThat(firstAbove(co2, live, 1000)).isBetween(live + MINUTE, live + 2 * MINUTE);
        assertThat(firstAbove(co2, live, 1500)).isBetween(live + 3 * MINUTE, live + 5 * MINUTE);
        long meanAbove1500 = firstMeanAbove(co2, live, 15 * MINUTE, 1500);
        assertThat(meanAbove1500).isBetween(live + 12 * MINUTE, live + 15 * MINUTE);
        assertThat(during(co2, live, live + 40 * MINUTE)).allSatisfy(r -> assertThat(r.value()).isLessThan(2000));
        assertThat(during(co2, live + 29 * MINUTE, live + 40 * MINUTE))
                .hasSizeGreaterThan(60).allSatisfy(r -> assertThat(r.value()).isLessThan(900));
    }

    /**
     * Verifies that the lab fridge reads above 8 Cel for more than 5 minutes without a break, then
     * below 7.5 (the rule's hysteresis) again within 14 minutes and within 2-8 Cel from then on.
     */
    @ParameterizedTest
    @ValueSource(strings = {"2026-03-02T09:10", "2026-03-08T02:00"})
    void labFridgeLeavesTwoToEightForMoreThanFiveMinutesAndComesBack(String localStart) {
        long live = local(localStart);
        SchoolSimulation sim = demo(live, 30 * MINUTE);
        List<SimulatedMessage> messages = sim.messagesUntil(live + 40 * MINUTE);
        List<Reading> fridge = DecodedTraffic.decode(sim, messages, m -> m.topic().equals("tele/lab/lab-fridge/SENSOR"))
                .readings("lab-fridge", Quantity.TEMPERATURE);

        assertThat(during(fridge, live - 30 * MINUTE, live)).isNotEmpty()
                .allSatisfy(r -> assertThat(r.value()).isBetween(2.0, 8.0));
        List<Reading> warm = new ArrayList<>();
        for (Reading r : during(fridge, live, live + 40 * MINUTE)) {
            if (r.value() > 8) {
                warm.add(r);
            } else if (!warm.isEmpty()) {
                break; // the first warm spell, unbroken
            }
        }
        assertThat(warm).hasSizeGreaterThanOrEqualTo(7);
        assertThat(warm.get(warm.size() - 1).timestamp() - warm.get(0).timestamp()).isGreaterThan(5 * MINUTE);
        assertThat(warm.get(0).timestamp()).isLessThan(live + 2 * MINUTE);
        long back = during(fridge, warm.get(warm.size() - 1).timestamp(), live + 40 * MINUTE).stream()
                .filter(r -> r.value() < 7.5).findFirst().orElseThrow().timestamp();
        assertThat(back).isLessThan(live + 14 * MINUTE);
        assertThat(during(fridge, back, live + 40 * MINUTE)).hasSizeGreaterThan(20)
                .allSatisfy(r -> assertThat(r.value()).isBetween(2.0, 8.0));
    }

    /**
     * Verifies that the silent sensor publishes before, nothing between 30 s and 6 min after the
     * start (not even its availability), and again after, that the journal holds the silence as a
     * dropout, and that every other device publishes the very bytes it would without the scenario.
     */
    @Test
    void silentSensorPublishesNothingBetweenItsTimesAndOthersAreUntouched() {
        long live = local("2026-03-02T10:00");
        long history = 20 * MINUTE;
        SchoolSimulation sim = demo(live, history);
        SchoolSimulation plain = new SchoolSimulation("school-01", SchoolLayout.of(8), SEED, live - history);
        long until = live + 45 * MINUTE;
        List<SimulatedMessage> messages = sim.messagesUntil(until);
        List<SimulatedMessage> without = plain.messagesUntil(until);

        long t1 = live + MINUTE / 2;
        long t2 = live + 6 * MINUTE;
        List<Long> silent = messages.stream().filter(m -> m.topic().startsWith("zigbee2mqtt/r102/r102-air"))
                .map(SimulatedMessage::timestamp).toList();
        assertThat(silent).noneMatch(t -> t >= t1 && t < t2);
        assertThat(silent).anyMatch(t -> t >= t1 - 10_000 && t < t1);
        assertThat(silent).anyMatch(t -> t >= t2 && t < t2 + 10_000);
        assertThat(silent.stream().filter(t -> t >= t2).count()).isGreaterThan(200);
        assertThat(sim.faultsInjected()).containsExactly(new InjectedFault("r102", "r102-air", FaultKind.DROPOUT, t1, t2));
        assertThat(plain.faultsInjected()).isEmpty();

        // the scenario's three devices aside, byte for byte what the school publishes without it
        List<String> scripted = List.of("zigbee2mqtt/r101/r101-air", "zigbee2mqtt/r102/r102-air", "tele/lab/lab-fridge/SENSOR");
        assertThat(bytes(messages, scripted)).isEqualTo(bytes(without, scripted));
        // and before the scenario began, those three too
        assertThat(bytes(before(messages, live), List.of())).isEqualTo(bytes(before(without, live), List.of()));
    }

    /** Verifies that the same seed and start give the same bytes with a scenario too, however the calls are split. */
    @Test
    void sameSeedGivesTheSameBytesWithAScenario() {
        long live = local("2026-03-02T10:00");
        SchoolSimulation a = demo(live, 10 * MINUTE);
        SchoolSimulation b = demo(live, 10 * MINUTE);
        List<SimulatedMessage> all = a.messagesUntil(live + 30 * MINUTE);
        List<SimulatedMessage> split = new ArrayList<>();
        for (long t = live - 10 * MINUTE; t <= live + 30 * MINUTE; t += 37_000) {
            split.addAll(b.messagesUntil(t));
        }
        split.addAll(b.messagesUntil(live + 30 * MINUTE));
        assertThat(bytes(split, List.of())).isEqualTo(bytes(all, List.of()));
    }

    /** Verifies that a scenario naming a room, lab or device the school lacks is refused, naming it. */
    @Test
    void refusesAScenarioForRoomsAndDevicesTheSchoolLacks() {
        long start = local("2026-03-02T10:00");
        assertThatThrownBy(() -> new SchoolSimulation("s", SchoolLayout.of(2), 1, start, Scenario.demoAlarms(start).and(
                new Scenario(List.of(new Scenario.Co2Surge("r109", start)), List.of(), List.of()))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'r109'");
        assertThatThrownBy(() -> new SchoolSimulation("s", SchoolLayout.of(2).withLab(false), 1, start, Scenario.demoAlarms(start)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no lab");
        assertThatThrownBy(() -> new SchoolSimulation("s", SchoolLayout.of(1), 1, start, Scenario.demoSilence(start)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'r102-air'");
        assertThatThrownBy(() -> new Scenario.Silence("r101-air", start, start))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must end after it begins");
    }

    private static long firstAbove(List<Reading> readings, long from, double limit) {
        return readings.stream().filter(r -> r.timestamp() >= from && r.value() > limit).findFirst().orElseThrow().timestamp();
    }

    /** The first reading time from {@code from} on at which the mean of the readings of the last {@code window} passes the limit. */
    private static long firstMeanAbove(List<Reading> readings, long from, long window, double limit) {
        for (Reading r : readings) {
            if (r.timestamp() < from) {
                continue;
            }
            double mean = during(readings, r.timestamp() - window, r.timestamp() + 1).stream()
                    .mapToDouble(Reading::value).average().orElseThrow();
            if (mean > limit) {
                return r.timestamp();
            }
        }
        throw new AssertionError("the " + window / MINUTE + "-minute mean never passed " + limit);
    }

    private static List<Reading> during(List<Reading> readings, long from, long to) {
        return readings.stream().filter(r -> r.timestamp() >= from && r.timestamp() < to).toList();
    }

    private static List<SimulatedMessage> before(List<SimulatedMessage> messages, long t) {
        return messages.stream().filter(m -> m.timestamp() < t).toList();
    }

    private static List<String> bytes(List<SimulatedMessage> messages, List<String> excludedTopics) {
        return messages.stream().filter(m -> excludedTopics.stream().noneMatch(x -> m.topic().startsWith(x)))
                .map(m -> m.timestamp() + " " + m.topic() + " " + new String(m.payload(), java.nio.charset.StandardCharsets.UTF_8))
                .toList();
    }
}
