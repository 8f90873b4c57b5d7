package org.smartschool.bridge.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.smartschool.bridge.sim.SchoolTimetableTest.local;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.codec.DecodeResult;
import org.smartschool.bridge.codec.PlausibleRanges;
import org.smartschool.bridge.codec.RawMessage;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.routing.TopicRouter;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SchoolSimulationTest {
    /** Monday 2 March 2026, 05:00 in Ho Chi Minh City. */
    private static final long MONDAY_0500 = local("2026-03-02T05:00");

    private static List<SimulatedMessage> run(SchoolSimulation sim, long until) {
        return sim.messagesUntil(until);
    }

    /** Decodes every message through a router built from the simulation's own routes. */
    private static List<DecodeResult> decodeAll(SchoolSimulation sim, List<SimulatedMessage> messages) {
        TopicRouter router = new TopicRouter(sim.school(), sim.routes(), CodecRegistry.standard());
        List<DecodeResult> results = new ArrayList<>();
        for (SimulatedMessage m : messages) {
            TopicRouter.Routing routing = router.route(m.topic());
            assertThat(routing).as(m.topic()).isInstanceOf(TopicRouter.Routing.Routed.class);
            TopicRouter.Routing.Routed routed = (TopicRouter.Routing.Routed) routing;
            // the gateway receives it a little after the device published it
            results.add(routed.codec().decode(new RawMessage(m.topic(), null, m.payload(), m.timestamp() + 40), routed.device()));
        }
        return results;
    }

    /** CO2 of each room in the last state message at or before {@code at}. */
    private static Map<String, Double> co2At(SchoolSimulation sim, List<SimulatedMessage> messages, long at) {
        Map<String, Double> co2 = new HashMap<>();
        List<SimulatedMessage> before = messages.stream().filter(m -> m.timestamp() <= at && !m.topic().endsWith("availability")).toList();
        for (DecodeResult r : decodeAll(sim, before)) {
            r.readings().stream().filter(x -> x.quantity() == Quantity.CO2).forEach(x -> co2.put(x.room(), x.value()));
        }
        return co2;
    }

    @Test
    void sameSeedGivesTheSameBytesHoweverTheCallsAreSplit() {
        SchoolSimulation a = new SchoolSimulation("thcs-a", 4, 7, MONDAY_0500);
        SchoolSimulation b = new SchoolSimulation("thcs-a", 4, 7, MONDAY_0500);
        long end = MONDAY_0500 + 15 * 60_000;

        List<SimulatedMessage> once = run(a, end);
        List<SimulatedMessage> stepped = new ArrayList<>();
        for (long t = MONDAY_0500; t <= end; t += 7_300) {
            stepped.addAll(b.messagesUntil(t));
        }
        stepped.addAll(b.messagesUntil(end));

        assertThat(once).hasSize(4 * (1 + 90));
        assertThat(stepped).isEqualTo(once);
    }

    @Test
    void differentSeedsOrSchoolsGiveDifferentTraffic() {
        long end = MONDAY_0500 + 60_000;
        List<SimulatedMessage> base = run(new SchoolSimulation("thcs-a", 2, 7, MONDAY_0500), end);

        assertThat(run(new SchoolSimulation("thcs-a", 2, 8, MONDAY_0500), end)).isNotEqualTo(base);
        assertThat(run(new SchoolSimulation("thcs-b", 2, 7, MONDAY_0500), end)).isNotEqualTo(base);
    }

    @Test
    void startsAtTheFirstInstantAskedForWhenNoStartIsGiven() {
        SchoolSimulation lazy = new SchoolSimulation("thcs-a", 3, 7);
        SchoolSimulation explicit = new SchoolSimulation("thcs-a", 3, 7, MONDAY_0500);

        assertThat(lazy.nextMessageAt()).isEqualTo(Long.MIN_VALUE);
        List<SimulatedMessage> first = lazy.messagesUntil(MONDAY_0500);
        first.addAll(lazy.messagesUntil(MONDAY_0500 + 60_000));

        assertThat(first).isEqualTo(explicit.messagesUntil(MONDAY_0500 + 60_000));
        assertThat(lazy.start()).isEqualTo(MONDAY_0500);
    }

    @Test
    void announcesEachSensorOnlineThenPublishesEveryTenSeconds() {
        SchoolSimulation sim = new SchoolSimulation("thcs-a", 3, 1, MONDAY_0500);
        List<SimulatedMessage> messages = run(sim, MONDAY_0500 + 60_000);

        assertThat(messages.subList(0, 3)).allSatisfy(m -> {
            assertThat(m.topic()).endsWith("/availability");
            assertThat(m.payloadText()).isEqualTo("{\"state\":\"online\"}");
            assertThat(m.timestamp()).isEqualTo(MONDAY_0500);
        });
        List<Long> r102 = messages.stream().filter(m -> m.topic().equals("zigbee2mqtt/r102/r102-air"))
                .map(SimulatedMessage::timestamp).toList();
        assertThat(r102).hasSize(6);
        for (int i = 1; i < r102.size(); i++) {
            assertThat(r102.get(i) - r102.get(i - 1)).isEqualTo(10_000);
        }
        assertThat(messages).isSortedAccordingTo((x, y) -> Long.compare(x.timestamp(), y.timestamp()));
        assertThat(sim.nextMessageAt()).isGreaterThan(MONDAY_0500 + 60_000);
    }

    @Test
    void derivesTheGatewayRoutesFromTheDevices() {
        SchoolSimulation sim = new SchoolSimulation("thcs-a", 2, 1, MONDAY_0500);
        TopicRouter router = new TopicRouter("thcs-a", sim.routes(), CodecRegistry.standard());

        assertThat(router.subscriptions()).containsExactly("zigbee2mqtt/+/+/availability", "zigbee2mqtt/+/+");
        assertThat(sim.rooms()).containsExactly("r101", "r102");
    }

    @Test
    void co2IsHigherMidLessonThanAtSixInTheMorning() {
        SchoolSimulation sim = new SchoolSimulation("thcs-a", 10, 3, MONDAY_0500);
        List<SimulatedMessage> messages = run(sim, local("2026-03-02T10:15"));

        Map<String, Double> dawn = co2At(sim, messages, local("2026-03-02T06:00"));
        Map<String, Double> lesson = co2At(sim, messages, local("2026-03-02T10:15"));

        double dawnMean = dawn.values().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double lessonMean = lesson.values().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertThat(dawnMean).isBetween(400.0, 520.0);
        assertThat(lessonMean).isBetween(900.0, 2500.0);
        long higher = sim.rooms().stream().filter(r -> lesson.get(r) > dawn.get(r) + 200).count();
        assertThat(higher).isGreaterThanOrEqualTo(8);
    }

    @Test
    void co2FallsDuringTheLongBreakWhenWindowsOpen() {
        SchoolSimulation sim = new SchoolSimulation("thcs-a", 10, 3, MONDAY_0500);
        List<SimulatedMessage> messages = run(sim, local("2026-03-02T08:55"));

        Map<String, Double> endOfPeriod2 = co2At(sim, messages, local("2026-03-02T08:35"));
        Map<String, Double> endOfBreak = co2At(sim, messages, local("2026-03-02T08:55"));

        long fell = sim.rooms().stream().filter(r -> endOfBreak.get(r) < endOfPeriod2.get(r) - 150).count();
        assertThat(fell).isGreaterThanOrEqualTo(8);
    }

    @Test
    void classroomsStayNearOutdoorCo2AtTheWeekend() {
        long saturday = local("2026-03-07T05:00");
        SchoolSimulation sim = new SchoolSimulation("thcs-a", 5, 3, saturday);
        List<SimulatedMessage> messages = run(sim, local("2026-03-07T10:00"));

        assertThat(co2At(sim, messages, local("2026-03-07T10:00")).values()).allSatisfy(c -> assertThat(c).isBetween(400.0, 480.0));
    }

    @Test
    void everyPayloadOfASimulatedDayDecodesWithoutProblemsAndWithinRealisticRanges() {
        SchoolSimulation sim = new SchoolSimulation("thcs-a", 3, 11, local("2026-03-02T00:00"));
        List<SimulatedMessage> messages = run(sim, local("2026-03-03T00:00"));
        List<DecodeResult> results = decodeAll(sim, messages);

        assertThat(messages).hasSize(3 * (1 + 24 * 360));
        Map<Quantity, double[]> seen = new EnumMap<>(Quantity.class);
        int online = 0;
        for (int i = 0; i < results.size(); i++) {
            DecodeResult r = results.get(i);
            SimulatedMessage m = messages.get(i);
            assertThat(r.problems()).as(m.toString()).isEmpty();
            assertThat(r.ignored()).isFalse();
            online += (int) r.events().stream().filter(e -> e.type() == EventType.DEVICE_ONLINE).count();
            for (Reading reading : r.readings()) {
                assertThat(reading.timestamp()).as("last_seen is the publish time").isEqualTo(m.timestamp());
                assertThat(PlausibleRanges.isPlausible(reading.quantity(), reading.value())).isTrue();
                double[] range = seen.computeIfAbsent(reading.quantity(), q -> new double[] {Double.MAX_VALUE, -Double.MAX_VALUE});
                range[0] = Math.min(range[0], reading.value());
                range[1] = Math.max(range[1], reading.value());
            }
            if (!m.topic().endsWith("availability")) {
                assertThat(r.readings()).hasSize(8);
            }
        }
        assertThat(online).isEqualTo(3);
        assertThat(seen.keySet()).containsExactlyInAnyOrder(Quantity.CO2, Quantity.TEMPERATURE, Quantity.HUMIDITY,
                Quantity.PM25, Quantity.VOC, Quantity.ILLUMINANCE, Quantity.BATTERY, Quantity.LINK_QUALITY);
        assertRange(seen, Quantity.TEMPERATURE, 24.8, 34.2, 5);
        assertRange(seen, Quantity.HUMIDITY, 58, 92, 15);
        assertRange(seen, Quantity.CO2, 400, 3000, 600);
        assertRange(seen, Quantity.ILLUMINANCE, 0, 800, 250);
        assertRange(seen, Quantity.PM25, 1, 120, 10);
        assertRange(seen, Quantity.BATTERY, 1, 100, 0);
        assertRange(seen, Quantity.LINK_QUALITY, 0, 255, 0);
    }

    /** All values within [min, max], and spread over at least {@code spread} (a day is not flat). */
    private static void assertRange(Map<Quantity, double[]> seen, Quantity q, double min, double max, double spread) {
        double[] range = seen.get(q);
        assertThat(range[0]).as(q.id() + " min").isGreaterThanOrEqualTo(min);
        assertThat(range[1]).as(q.id() + " max").isLessThanOrEqualTo(max);
        assertThat(range[1] - range[0]).as(q.id() + " spread").isGreaterThanOrEqualTo(spread);
    }

    @Test
    void rejectsBadSchoolIdsAndRoomCounts() {
        assertThatThrownBy(() -> new SchoolSimulation("bad/id", 3, 1)).hasMessageContaining("school");
        assertThatThrownBy(() -> new SchoolSimulation("s", 0, 1)).hasMessageContaining("rooms must be 1-899");
        assertThatThrownBy(() -> new SchoolSimulation("s", 900, 1)).hasMessageContaining("rooms must be 1-899");
    }
}
