package org.smartschool.bridge.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.smartschool.bridge.sim.SchoolTimetableTest.local;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.smartschool.bridge.codec.DecodeProblem;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.sim.DecodedTraffic.Decoded;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FaultInjectionTest {
    private static final long START = local("2026-03-02T00:00");
    private static final long END = local("2026-03-03T00:00");
    /** Every fault several times a day on every device: a day shows them all. */
    private static final SchoolLayout FAULTY = SchoolLayout.of(2).withFaults(FaultRates.all(3));

    private static SchoolSimulation faultySim;
    private static List<SimulatedMessage> faulty;
    private static List<SimulatedMessage> clean;
    private static List<InjectedFault> faults;

    @BeforeAll
    static void simulateOneDayWithAndWithoutFaults() {
        faultySim = new SchoolSimulation("thcs-a", FAULTY, 17, START);
        faulty = faultySim.messagesUntil(END);
        faults = faultySim.faultsInjected().stream().filter(f -> f.from() < END).toList();
        SchoolSimulation cleanSim = new SchoolSimulation("thcs-a", SchoolLayout.of(2), 17, START);
        clean = cleanSim.messagesUntil(END);
        assertThat(cleanSim.faultsInjected()).isEmpty();
    }

    /** Every topic of this simulation is {@code <kind>/<room>/<device>/...}. */
    private static String deviceOf(SimulatedMessage m) {
        return m.topic().split("/")[2];
    }

    private static List<SimulatedMessage> of(String device, long from, long toInclusive) {
        return faulty.stream().filter(m -> deviceOf(m).equals(device) && m.timestamp() >= from && m.timestamp() <= toInclusive).toList();
    }

    private static List<InjectedFault> faults(FaultKind kind) {
        return faults.stream().filter(f -> f.kind() == kind).toList();
    }

    @Test
    void everyKindOfFaultAppearsWhenEnabledOnlyOnDevicesThatCanHaveIt() {
        Map<FaultKind, Set<String>> devices = new EnumMap<>(FaultKind.class);
        faults.forEach(f -> devices.computeIfAbsent(f.kind(), k -> new HashSet<>()).add(f.device()));

        assertThat(devices.keySet()).containsExactlyInAnyOrder(FaultKind.values());
        Set<String> periodic = Set.of("r101-air", "r102-air", "r101-env", "r102-env", "r101-cam", "r102-cam",
                "lab-fridge", "lab-hood", "lab-gas", "bldg-1-power");
        assertThat(devices.get(FaultKind.SPIKE)).containsExactlyInAnyOrderElementsOf(periodic);
        assertThat(devices.get(FaultKind.STUCK)).containsExactlyInAnyOrderElementsOf(periodic);
        assertThat(devices.get(FaultKind.OFFLINE)).doesNotContain("lab-hood").contains("lab-smoke", "r101-air", "bldg-1-power");
        assertThat(devices.get(FaultKind.FALSE_ALARM)).containsExactly("lab-smoke");
        assertThat(faults).allSatisfy(f -> {
            assertThat(f.device()).doesNotEndWith("-door");
            assertThat(f.from()).isBetween(START, END);
            assertThat(f.to()).isGreaterThanOrEqualTo(f.from());
        });
    }

    @Test
    void spikesAreRejectedByTheCodecsPlausibilityChecksAsProblemsNotReadings() {
        Set<Double> absurd = new HashSet<>(List.of(AirQualitySensor.SPIKE_CO2, NoiseLightNode.SPIKE_NOISE, PeopleCountingCamera.SPIKE_COUNT,
                LabFridge.SPIKE_TEMPERATURE, FumeHood.SPIKE_VELOCITY, GasDetector.SPIKE_DENSITY, BuildingPowerMeter.SPIKE_POWER));
        List<InjectedFault> spikes = faults(FaultKind.SPIKE);
        assertThat(spikes).hasSizeGreaterThanOrEqualTo(10);

        for (InjectedFault spike : spikes) {
            List<SimulatedMessage> spiked = of(spike.device(), spike.from(), spike.from());
            assertThat(spiked).as(spike.toString()).hasSize(1);
            Decoded d = DecodedTraffic.decode(faultySim, spiked).all.get(0);
            assertThat(d.result().problems()).as(d.message().toString()).hasSize(1);
            DecodeProblem problem = d.result().problems().get(0);
            assertThat(problem.device()).isEqualTo("thcs-a/" + spike.room() + "/" + spike.device());
            assertThat(problem.message()).containsAnyOf("outside the plausible range", "a number of people must be 0..10000");
            assertThat(d.result().readings()).noneMatch(r -> absurd.contains(r.value()));
            assertThat(d.result().events()).noneMatch(e -> e.attributes().containsValue("65535"));
            if (spike.device().endsWith("-air")) { // the rest of a spiked message is still decoded
                assertThat(d.result().readings()).as(d.message().toString()).hasSize(7);
            }
        }
    }

    @Test
    void aStuckSensorRepeatsItsValuesForAnHourWithFreshTimestamps() {
        List<InjectedFault> stuck = faults(FaultKind.STUCK).stream().filter(f -> f.to() <= END).toList();
        assertThat(stuck).hasSizeGreaterThanOrEqualTo(10);

        for (InjectedFault f : stuck) {
            assertThat(f.to() - f.from()).isEqualTo(FaultPlan.STUCK_MILLIS);
            List<SimulatedMessage> during = of(f.device(), f.from(), f.to() - 1).stream()
                    .filter(m -> !isAvailability(m)).toList();
            DecodedTraffic decoded = DecodedTraffic.decode(faultySim, during);
            Map<String, Set<String>> valuesPerTopic = decoded.all.stream().collect(Collectors.groupingBy(d -> d.message().topic(),
                    Collectors.mapping(FaultInjectionTest::values, Collectors.toSet())));
            assertThat(valuesPerTopic).as(f.toString()).isNotEmpty();
            // a spike or a silent spell may fall in the hour; every other report repeats the first
            valuesPerTopic.forEach((topic, values) -> assertThat(values).as(topic).hasSizeLessThanOrEqualTo(2));
            assertThat(decoded.all.stream().map(d -> d.message().timestamp()).distinct().count()).isEqualTo(decoded.all.size());
        }
        // a busy device's hour: 360 identical air-quality reports
        InjectedFault air = stuck.stream().filter(f -> f.device().endsWith("-air")).findFirst().orElseThrow();
        List<String> payloads = of(air.device(), air.from(), air.to() - 1).stream().filter(m -> !isAvailability(m))
                .map(m -> m.payloadText().replaceAll("\"last_seen\":\"[^\"]*\"", "")).distinct().toList();
        assertThat(payloads).hasSizeBetween(1, 2);
    }

    private static boolean isAvailability(SimulatedMessage m) {
        return m.topic().endsWith("/availability") || m.topic().endsWith("/status") || m.topic().endsWith("/LWT")
                || m.topic().endsWith("/online");
    }

    /** What a decoded message says, without its time. */
    private static String values(Decoded d) {
        return d.result().readings().stream().map(r -> r.device() + " " + r.quantity().id() + "=" + r.value()).sorted().toList()
                + " " + d.result().events().stream().map(e -> e.type().id() + e.attributes()).sorted().toList();
    }

    @Test
    void aDropoutSilencesTheDeviceForMinutesThenItCarriesOn() {
        List<InjectedFault> dropouts = faults(FaultKind.DROPOUT).stream().filter(f -> f.to() < END - 3_600_000).toList();
        assertThat(dropouts).hasSizeGreaterThanOrEqualTo(10);

        for (InjectedFault f : dropouts) {
            assertThat(f.to() - f.from()).isBetween(3 * 60_000L, 20 * 60_000L);
            assertThat(of(f.device(), f.from(), f.to() - 1)).as(f.toString()).isEmpty();
            long interval = f.device().equals("lab-smoke") ? SmokeDetector.INTERVAL_MILLIS : 60_000;
            assertThat(of(f.device(), f.to(), f.to() + interval)).as(f.toString()).isNotEmpty();
        }
    }

    @Test
    void anOfflineDeviceSendsOnlyItsLastWillThenItsBirthMessageWhenItIsBack() {
        List<InjectedFault> outages = faults(FaultKind.OFFLINE).stream().filter(f -> f.to() < END).toList();
        assertThat(outages).hasSizeGreaterThanOrEqualTo(10);

        for (InjectedFault f : outages) {
            List<SimulatedMessage> during = of(f.device(), f.from(), f.to());
            assertThat(during).as(f.toString()).hasSize(2);
            List<DeviceEvent> events = DecodedTraffic.decode(faultySim, during).events();
            assertThat(events).extracting(DeviceEvent::type).containsExactly(EventType.DEVICE_OFFLINE, EventType.DEVICE_ONLINE);
            assertThat(during.get(0).timestamp()).isEqualTo(f.from() + PeriodicDevice.LAST_WILL_DELAY_MILLIS);
            assertThat(during.get(1).timestamp()).isEqualTo(f.to());
        }
    }

    @Test
    void theSmokeDetectorReportsSmokeOnlyDuringAFalseAlarm() {
        List<InjectedFault> alarms = faults(FaultKind.FALSE_ALARM);
        assertThat(alarms).isNotEmpty();
        List<DeviceEvent> smoke = DecodedTraffic.decode(faultySim, faulty, m -> m.topic().equals("zigbee2mqtt/lab/lab-smoke")).events()
                .stream().filter(e -> "smoke".equals(e.attributes().get("kind"))).toList();

        // the state's last_seen is the event's time
        for (DeviceEvent e : smoke) {
            boolean during = alarms.stream().anyMatch(a -> e.timestamp() >= a.from() && e.timestamp() < a.to());
            assertThat(e.attributes().get("active")).as(e.toString()).isEqualTo(during ? "true" : "false");
        }
        for (InjectedFault a : alarms) {
            assertThat(smoke).anyMatch(e -> e.timestamp() == a.from() && e.attributes().get("active").equals("true"));
            assertThat(smoke).anyMatch(e -> e.timestamp() == a.to() && e.attributes().get("active").equals("false"));
        }
        assertThat(smoke.stream().filter(e -> e.attributes().get("active").equals("false")).count()).isGreaterThan(100);
    }

    @Test
    void faultsChangeOnlyWhatIsPublishedDuringThemNeverTheRestOfTheTraffic() {
        Set<SimulatedMessage> withFaults = new HashSet<>(faulty);
        Map<String, List<InjectedFault>> byDevice = faults.stream().collect(Collectors.groupingBy(InjectedFault::device));
        int compared = 0;
        List<SimulatedMessage> changed = new ArrayList<>();
        for (SimulatedMessage m : clean) {
            String device = deviceOf(m);
            boolean touched = byDevice.getOrDefault(device, List.of()).stream()
                    .anyMatch(f -> m.timestamp() >= f.from() && m.timestamp() <= f.to() + 2);
            if (!touched && !device.equals("lab-smoke")) { // a false alarm's extra reports draw on the detector's own noise
                if (!withFaults.contains(m)) {
                    changed.add(m);
                }
                compared++;
            }
        }
        assertThat(changed).isEmpty();
        assertThat(compared).isGreaterThan(clean.size() / 2);
        assertThat(faulty).isNotEqualTo(clean);
    }

    @Test
    void messagesStayInTimeOrderHoweverManyFaultsCrossMidnight() {
        SchoolSimulation sim = new SchoolSimulation("thcs-a", SchoolLayout.of(1).withFaults(FaultRates.all(12)), 3,
                local("2026-03-02T21:17"));
        List<SimulatedMessage> messages = sim.messagesUntil(local("2026-03-05T03:00"));

        assertThat(messages).isSortedAccordingTo((x, y) -> Long.compare(x.timestamp(), y.timestamp()));
        assertThat(sim.faultsInjected()).anyMatch(f -> SchoolTimetable.day(f.from()).isBefore(SchoolTimetable.day(f.to())));
        assertThat(sim.faultsInjected()).allSatisfy(f -> assertThat(f.from()).isGreaterThanOrEqualTo(local("2026-03-02T21:17")));
        assertThat(sim.nextMessageAt()).isGreaterThan(local("2026-03-05T03:00"));
    }

    @Test
    void lowRatesGiveAHandfulOfFaultsADayInARealSchool() {
        // a 40-room school: 3 periodic devices per classroom, 4 in the lab, 4 meters
        List<String> devices = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            devices.addAll(List.of(SchoolSimulation.roomId(i) + "-air", SchoolSimulation.roomId(i) + "-env", SchoolSimulation.roomId(i) + "-cam"));
        }
        devices.addAll(List.of("lab-fridge", "lab-hood", "lab-gas", "lab-smoke", "bldg-1-power", "bldg-2-power", "bldg-3-power", "bldg-4-power"));
        Map<FaultKind, Integer> perKind = new EnumMap<>(FaultKind.class);
        int days = 30;
        for (int d = 0; d < days; d++) {
            LocalDate day = LocalDate.of(2026, 3, 1).plusDays(d);
            for (String device : devices) {
                Set<FaultKind> kinds = device.equals("lab-smoke") ? EnumSet.of(FaultKind.DROPOUT, FaultKind.OFFLINE, FaultKind.FALSE_ALARM)
                        : EnumSet.of(FaultKind.STUCK, FaultKind.DROPOUT, FaultKind.SPIKE, FaultKind.OFFLINE);
                new FaultPlan(FaultRates.LOW, kinds, 5, device).on(day).forEach(e -> perKind.merge(e.kind(), 1, Integer::sum));
            }
        }
        int total = perKind.values().stream().mapToInt(Integer::intValue).sum();
        // expected per day: 128 devices x (0.02 + 0.05 + 0.05 + 0.02) = about 18
        assertThat((double) total / days).isBetween(10.0, 28.0);
        assertThat(perKind.get(FaultKind.DROPOUT)).isGreaterThan(perKind.get(FaultKind.STUCK));
        assertThat(perKind.getOrDefault(FaultKind.FALSE_ALARM, 0)).isLessThanOrEqualTo(5);
        assertThat(new FaultPlan(FaultRates.NONE, EnumSet.allOf(FaultKind.class), 5, "r101-air").on(LocalDate.of(2026, 3, 2))).isEmpty();
    }

    @Test
    void faultRatesAndKindsAreValidatedNamingTheBadKey() {
        assertThatThrownBy(() -> new FaultRates(-1, 0, 0, 0, 0)).hasMessageContaining("faults.stuck").hasMessageContaining("-1");
        assertThatThrownBy(() -> new FaultRates(0, Double.NaN, 0, 0, 0)).hasMessageContaining("faults.dropout");
        assertThatThrownBy(() -> FaultRates.NONE.with(FaultKind.FALSE_ALARM, 25)).hasMessageContaining("faults.false_alarm");
        assertThatThrownBy(() -> FaultKind.require("melted")).hasMessageContaining("unknown fault 'melted'").hasMessageContaining("spike");
        assertThat(FaultRates.NONE.with(FaultKind.SPIKE, 2).spike()).isEqualTo(2);
        assertThat(FaultRates.NONE.enabled()).isFalse();
        assertThat(FaultRates.LOW.enabled()).isTrue();
        assertThat(SchoolLayout.of(3).faults()).isEqualTo(FaultRates.NONE);
        assertThat(FaultKind.require("false_alarm")).isEqualTo(FaultKind.FALSE_ALARM);
    }
}
