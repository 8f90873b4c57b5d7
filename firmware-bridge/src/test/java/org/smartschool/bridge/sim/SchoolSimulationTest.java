package org.smartschool.bridge.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.smartschool.bridge.sim.SchoolTimetableTest.local;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.codec.PlausibleRanges;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.routing.TopicRouter;
import org.smartschool.bridge.sim.DecodedTraffic.Decoded;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SchoolSimulationTest {
    /** Monday 2 March 2026, 05:00 in Ho Chi Minh City. */
    private static final long MONDAY_0500 = local("2026-03-02T05:00");

    private static List<SimulatedMessage> run(SchoolSimulation sim, long until) {
        return sim.messagesUntil(until);
    }

    /** CO2 of each room in the last air-sensor state at or before {@code at}. */
    private static Map<String, Double> co2At(SchoolSimulation sim, List<SimulatedMessage> messages, long at) {
        Map<String, Double> co2 = new HashMap<>();
        List<SimulatedMessage> before = messages.stream()
                .filter(m -> m.timestamp() <= at && m.topic().endsWith("-air")).toList();
        for (Reading r : DecodedTraffic.decode(sim, before).readings()) {
            if (r.quantity() == Quantity.CO2) {
                co2.put(r.room(), r.value());
            }
        }
        return co2;
    }

    @Test
    void sameSeedGivesTheSameBytesHoweverTheCallsAreSplit() {
        for (SchoolLayout layout : List.of(SchoolLayout.of(4), SchoolLayout.of(4).withFaults(FaultRates.all(6)))) {
            long start = local("2026-03-02T06:30");
            long end = local("2026-03-02T09:30");
            SchoolSimulation a = new SchoolSimulation("thcs-a", layout, 7, start);
            SchoolSimulation b = new SchoolSimulation("thcs-a", layout, 7, start);

            List<SimulatedMessage> once = run(a, end);
            List<SimulatedMessage> stepped = new ArrayList<>();
            for (long t = start; t <= end; t += 7_300) {
                stepped.addAll(b.messagesUntil(t));
            }
            stepped.addAll(b.messagesUntil(end));

            assertThat(once).hasSizeGreaterThan(4 * 3 * 360);
            assertThat(stepped).as(layout.toString()).isEqualTo(once);
            assertThat(b.faultsInjected()).isEqualTo(a.faultsInjected());
            assertThat(a.faultsInjected().isEmpty()).isEqualTo(!layout.faults().enabled());
        }
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
        assertThat(lazy.routes()).isEqualTo(explicit.routes());
        List<SimulatedMessage> first = lazy.messagesUntil(MONDAY_0500);
        first.addAll(lazy.messagesUntil(MONDAY_0500 + 60_000));

        assertThat(first).isEqualTo(explicit.messagesUntil(MONDAY_0500 + 60_000));
        assertThat(lazy.start()).isEqualTo(MONDAY_0500);
    }

    @Test
    void announcesEveryDeviceOnlineAtTheStartThenReportsAtItsOwnInterval() {
        SchoolSimulation sim = new SchoolSimulation("thcs-a", 3, 1, MONDAY_0500);
        List<SimulatedMessage> messages = run(sim, MONDAY_0500 + 30 * 60_000);

        List<String> births = messages.stream().filter(m -> m.timestamp() == MONDAY_0500).map(SimulatedMessage::topic).toList();
        // per classroom: air, noise/light node, camera; the lab's fridge, gas and smoke detectors; one building meter
        assertThat(births).hasSize(3 * 3 + 3 + 1).contains(
                "zigbee2mqtt/r102/r102-air/availability", "esphome/r102/r102-env/status", "cameras/r102/r102-cam/status",
                "tele/lab/lab-fridge/LWT", "zigbee2mqtt/lab/lab-gas/availability", "zigbee2mqtt/lab/lab-smoke/availability",
                "shelly/bldg-1/bldg-1-power/online");
        assertIntervals(messages, "zigbee2mqtt/r102/r102-air", 10_000, 180);
        assertIntervals(messages, "esphome/r102/r102-env/sensor/noise/state", 30_000, 60);
        assertIntervals(messages, "esphome/r102/r102-env/sensor/illuminance/state", 30_000, 60);
        assertIntervals(messages, "cameras/r102/r102-cam/events", 60_000, 30);
        assertIntervals(messages, "tele/lab/lab-fridge/SENSOR", 60_000, 30);
        assertIntervals(messages, "senml/lab/lab-hood", 30_000, 60);
        assertIntervals(messages, "zigbee2mqtt/lab/lab-gas", 60_000, 30);
        assertIntervals(messages, "zigbee2mqtt/lab/lab-smoke", 600_000, 3);
        assertIntervals(messages, "shelly/bldg-1/bldg-1-power/events/rpc", 60_000, 30);
        assertThat(messages).isSortedAccordingTo((x, y) -> Long.compare(x.timestamp(), y.timestamp()));
        assertThat(sim.nextMessageAt()).isGreaterThan(MONDAY_0500 + 30 * 60_000);
    }

    private static void assertIntervals(List<SimulatedMessage> messages, String topic, long interval, int count) {
        List<Long> times = messages.stream().filter(m -> m.topic().equals(topic)).map(SimulatedMessage::timestamp).toList();
        assertThat(times).as(topic).hasSize(count);
        for (int i = 1; i < times.size(); i++) {
            assertThat(times.get(i) - times.get(i - 1)).as(topic).isEqualTo(interval);
        }
    }

    @Test
    void derivesTheGatewayRoutesFromTheDeviceKinds() {
        SchoolSimulation sim = new SchoolSimulation("thcs-a", 2, 1, MONDAY_0500);
        TopicRouter router = new TopicRouter("thcs-a", sim.routes(), CodecRegistry.standard());

        assertThat(router.subscriptions()).containsExactly(
                "zigbee2mqtt/+/+/availability", "zigbee2mqtt/+/+",
                "esphome/+/+/sensor/+/state", "esphome/+/+/status",
                "doors/+/+/tag",
                "cameras/+/+/events", "cameras/+/+/status",
                "tele/+/+/SENSOR", "tele/+/+/LWT",
                "senml/+/+",
                "shelly/+/+/events/rpc", "shelly/+/+/online");
        assertThat(sim.rooms()).containsExactly("r101", "r102");

        SchoolSimulation noLab = new SchoolSimulation("thcs-a", SchoolLayout.of(2).withLab(false), 1, MONDAY_0500);
        assertThat(noLab.routes()).noneMatch(r -> r.codec().equals("tasmota") || r.codec().equals("senml"));
        assertThat(run(noLab, MONDAY_0500 + 3_600_000)).noneMatch(m -> m.topic().contains("/lab/"));
    }

    @Test
    void groupsClassroomsIntoBuildingsOfTenEachWithAPowerMeter() {
        SchoolSimulation sim = new SchoolSimulation("thcs-a", 23, 1, MONDAY_0500);

        assertThat(sim.layout().buildings()).isEqualTo(3);
        assertThat(sim.devices().stream().filter(d -> d.id().endsWith("-power")).map(SimulatedDevice::room))
                .containsExactly("bldg-1", "bldg-2", "bldg-3");
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
        assertThat(messages).noneMatch(m -> m.topic().startsWith("doors/"));
    }

    @Test
    void noiseAndPeopleCountsFollowTheLessons() {
        SchoolSimulation sim = new SchoolSimulation("thcs-a", 4, 5, MONDAY_0500);
        DecodedTraffic traffic = DecodedTraffic.decode(sim, run(sim, local("2026-03-02T23:00")),
                m -> m.topic().startsWith("esphome/") || m.topic().startsWith("cameras/"));

        for (String room : sim.rooms()) {
            List<Reading> noise = traffic.readings(room + "-env", Quantity.NOISE);
            assertThat(mean(noise, local("2026-03-02T21:00"), local("2026-03-02T23:00"))).as(room).isBetween(30.0, 42.0);
            // lessons and breaks; a period elsewhere (PE, the lab) is quiet
            assertThat(mean(noise, local("2026-03-02T07:00"), local("2026-03-02T11:25"))).as(room).isBetween(52.0, 70.0);
            List<Integer> counts = traffic.events().stream()
                    .filter(e -> e.device().equals(room + "-cam") && e.type() == EventType.PEOPLE_COUNT)
                    .filter(e -> e.timestamp() >= local("2026-03-02T10:00") && e.timestamp() < local("2026-03-02T10:30"))
                    .map(e -> Integer.parseInt(e.attributes().get("count"))).toList();
            assertThat(counts).as(room).hasSize(30);
            // the class and its teacher, less the few the camera misses; or nobody when the class is elsewhere
            assertThat(counts).as(room).allSatisfy(c -> assertThat(c == 0 || (c >= 32 && c <= 46)).isTrue());
            List<Integer> evening = traffic.events().stream()
                    .filter(e -> e.device().equals(room + "-cam") && e.timestamp() >= local("2026-03-02T20:00"))
                    .map(e -> Integer.parseInt(e.attributes().get("count"))).toList();
            assertThat(evening).isNotEmpty().containsOnly(0);
        }
    }

    private static double mean(List<Reading> readings, long from, long to) {
        return readings.stream().filter(r -> r.timestamp() >= from && r.timestamp() < to)
                .mapToDouble(Reading::value).average().orElseThrow();
    }

    @Test
    void powerMetersFollowTheLessonsAndCountEnergyUp() {
        SchoolSimulation sim = new SchoolSimulation("thcs-a", 10, 5, MONDAY_0500);
        // the meter alone, on the simulation's own classrooms: the other devices would cost the test its time
        long schoolSeed = Seeds.mix(5, "thcs-a");
        List<Classroom> rooms = sim.rooms().stream().map(r -> new Classroom(r, schoolSeed)).toList();
        SimulatedDevice meter = new PeriodicDevice(new BuildingPowerMeter("bldg-1", rooms, new Outdoors(Seeds.mix(5, "weather")),
                schoolSeed, MONDAY_0500), MONDAY_0500, FaultPlan.NONE, new FaultJournal());
        List<SimulatedMessage> messages = new ArrayList<>();
        while (meter.nextAt() <= local("2026-03-02T23:00")) {
            messages.add(meter.next());
        }
        List<SimulatedMessage> simulated = run(sim, MONDAY_0500 + 3_600_000).stream().filter(m -> m.topic().startsWith("shelly/")).toList();
        assertThat(messages.subList(0, simulated.size())).as("the meter the simulation runs").isEqualTo(simulated);
        DecodedTraffic traffic = DecodedTraffic.decode(sim, messages);

        List<Reading> lights = traffic.readings("bldg-1-power", Quantity.POWER);
        double lessonLights = mean(lights, local("2026-03-02T09:00"), local("2026-03-02T09:30"));
        double nightLights = mean(lights, local("2026-03-02T20:00"), local("2026-03-02T23:00"));
        assertThat(lessonLights).isBetween(1_500.0, 3_000.0);
        assertThat(nightLights).isZero();
        double outdoorNight = mean(traffic.readings("bldg-1-power.switch-3", Quantity.POWER), local("2026-03-02T20:00"), local("2026-03-02T23:00"));
        assertThat(outdoorNight).isBetween(300.0, 340.0);
        for (String channel : List.of("bldg-1-power", "bldg-1-power.switch-1", "bldg-1-power.switch-2", "bldg-1-power.switch-3")) {
            List<Double> totals = traffic.readings(channel, Quantity.ENERGY).stream().map(Reading::value).toList();
            assertThat(totals).as(channel).hasSizeGreaterThan(1000).isSorted();
            assertThat(traffic.readings(channel, Quantity.CURRENT)).allSatisfy(c -> assertThat(c.value()).isLessThan(16.0));
        }
    }

    @Test
    void everyMessageOfASchoolDayDecodesWithoutProblemsForEveryDeviceKind() {
        SchoolSimulation sim = new SchoolSimulation("thcs-a", 2, 11, local("2026-03-02T00:00"));
        List<SimulatedMessage> messages = run(sim, local("2026-03-03T00:00"));
        DecodedTraffic traffic = DecodedTraffic.decode(sim, messages);

        for (Decoded d : traffic.all) {
            assertThat(d.result().problems()).as(d.message().toString()).isEmpty();
            assertThat(d.result().ignored()).as(d.message().toString()).isFalse();
            assertThat(d.result().recordCount()).as(d.message().toString()).isPositive();
        }
        Set<String> codecs = traffic.all.stream().map(Decoded::codec).collect(Collectors.toCollection(TreeSet::new));
        assertThat(codecs).containsExactly(
                "camera-analytics", "card-reader", "esphome", "senml", "shelly-gen2", "tasmota", "zigbee2mqtt");
        assertThat(sim.devices()).hasSize(2 * 4 + 4 + 1);
        Set<String> silent = sim.devices().stream().map(SimulatedDevice::id).collect(Collectors.toCollection(TreeSet::new));
        traffic.readings().forEach(r -> silent.remove(r.device().replaceAll("\\.switch-\\d$", "")));
        traffic.events().forEach(e -> silent.remove(e.device()));
        assertThat(silent).as("devices that said nothing").isEmpty();
        assertThat(sim.faultsInjected()).isEmpty();
        assertThat(messages.size() / (24 * 60.0)).isCloseTo(sim.layout().messagesPerMinute(), within(0.5));
        assertThat(SchoolLayout.of(40).messagesPerMinute()).isCloseTo(40 * 11.05 + 4.1 + 4, within(0.01));

        Map<Quantity, double[]> seen = new EnumMap<>(Quantity.class);
        for (Reading reading : traffic.readings()) {
            assertThat(PlausibleRanges.isPlausible(reading.quantity(), reading.value())).isTrue();
            double[] range = seen.computeIfAbsent(reading.quantity(), q -> new double[] {Double.MAX_VALUE, -Double.MAX_VALUE});
            range[0] = Math.min(range[0], reading.value());
            range[1] = Math.max(range[1], reading.value());
        }
        assertThat(seen.keySet()).containsExactlyInAnyOrderElementsOf(EnumSet.complementOf(EnumSet.of(
                Quantity.PM10, Quantity.PRESSURE, Quantity.RSSI)));
        assertRange(seen, Quantity.TEMPERATURE, 2.0, 34.2, 25);
        assertRange(seen, Quantity.HUMIDITY, 58, 92, 15);
        assertRange(seen, Quantity.CO2, 400, 3000, 600);
        assertRange(seen, Quantity.ILLUMINANCE, 0, 800, 250);
        assertRange(seen, Quantity.NOISE, 30, 80, 25);
        assertRange(seen, Quantity.PM25, 1, 120, 10);
        assertRange(seen, Quantity.AIR_VELOCITY, 0, 0.62, 0.4);
        assertRange(seen, Quantity.GAS, 0, 12, 0);
        assertRange(seen, Quantity.POWER, 0, 3_700, 500);
        assertRange(seen, Quantity.VOLTAGE, 215, 240, 2);
        assertRange(seen, Quantity.BATTERY, 1, 100, 0);
        assertRange(seen, Quantity.LINK_QUALITY, 0, 255, 0);

        Map<EventType, Long> events = traffic.events().stream().collect(Collectors.groupingBy(DeviceEvent::type, Collectors.counting()));
        assertThat(events.keySet()).containsExactlyInAnyOrder(EventType.DEVICE_ONLINE, EventType.CARD_TAP,
                EventType.PEOPLE_COUNT, EventType.ALERT);
        assertThat(events.get(EventType.DEVICE_ONLINE)).isEqualTo(2 * 3 + 3 + 1);
        assertThat(traffic.events()).filteredOn(e -> e.type() == EventType.ALERT)
                .allSatisfy(e -> assertThat(e.attributes().get("active")).isEqualTo("false"));
        // air sensors: the state's own last_seen is the reading's time, not the receive time
        List<Reading> co2 = traffic.readings("r101-air", Quantity.CO2);
        long phase = co2.get(0).timestamp() % 10_000;
        assertThat(co2).hasSize(24 * 360).allSatisfy(r -> assertThat(r.timestamp() % 10_000).isEqualTo(phase));
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
        assertThatThrownBy(() -> new SchoolSimulation("s", SchoolLayout.of(2), 1, 0)).hasMessageContaining("after 1970");
    }
}
