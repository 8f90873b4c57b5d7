package org.smartschool.bridge.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;

import org.smartschool.bridge.model.Ids;
import org.smartschool.bridge.routing.TopicRoute;
import org.smartschool.bridge.sim.SchoolTimetable.Session;

/**
 * The virtual firmware of one school ({@link SchoolLayout}): per classroom {@code r101, r102, ...} a
 * Zigbee2MQTT air-quality sensor, an ESPHome noise and light node, a people-counting camera and an
 * RFID door reader; in the lab a Tasmota fridge probe, a SenML fume-hood monitor and Zigbee2MQTT gas
 * and smoke detectors; per building a Shelly power meter. They live a Vietnamese school day
 * ({@link SchoolTimetable}, {@link Classroom}, {@link ClassroomAir}, {@link Outdoors}); the package
 * documentation lists every topic and payload.
 *
 * <p>Pure and deterministic: no threads, no clock. Time is whatever the caller asks for: it calls
 * {@link #messagesUntil(long)} with a simulated instant and gets every message due up to it, in
 * time order. The same school, layout, seed and start give the same bytes, however the calls are
 * split. To run in real time, pass the wall clock; to run faster, pass a scaled clock.
 *
 * <p>Not thread-safe: one caller drives a simulation.
 */
public final class SchoolSimulation {
    public static final int MAX_ROOMS = SchoolLayout.MAX_ROOMS;

    private final String school;
    private final SchoolLayout layout;
    private final long seed;
    private final long schoolSeed;
    private final List<Classroom> classrooms = new ArrayList<>();
    private final List<ClassRoster> rosters = new ArrayList<>();
    private final List<SimulatedDevice> devices = new ArrayList<>();
    private final FaultJournal journal = new FaultJournal();
    private Scenario scenario = Scenario.NONE;
    private final PriorityQueue<Scheduled> queue = new PriorityQueue<>(
            Comparator.comparingLong(Scheduled::at).thenComparingInt(Scheduled::order));
    private long start = Long.MIN_VALUE;

    private record Scheduled(long at, int order, SimulatedDevice device) {
    }

    /**
     * A simulation of {@code rooms} classrooms with a lab and no faults ({@link SchoolLayout#of}) that
     * starts at the first instant {@link #messagesUntil(long)} is asked for (convenient for running in real time).
     */
    public SchoolSimulation(String school, int rooms, long seed) {
        this(school, SchoolLayout.of(rooms), seed);
    }

    /** A simulation of {@code rooms} classrooms with a lab and no faults, whose devices start publishing at {@code startEpochMillis}. */
    public SchoolSimulation(String school, int rooms, long seed, long startEpochMillis) {
        this(school, SchoolLayout.of(rooms), seed, startEpochMillis);
    }

    /** A simulation of {@code layout} that starts at the first instant {@link #messagesUntil(long)} is asked for. */
    public SchoolSimulation(String school, SchoolLayout layout, long seed) {
        this.school = Ids.require("school", school);
        this.layout = Objects.requireNonNull(layout, "layout");
        this.seed = seed;
        // the school's seed mixes in its id, so two schools with one seed still differ
        this.schoolSeed = Seeds.mix(seed, school);
        for (int i = 1; i <= layout.rooms(); i++) {
            Classroom room = new Classroom(roomId(i), schoolSeed);
            classrooms.add(room);
            rosters.add(ClassRoster.of(room, i, Session.MORNING, schoolSeed));
            if (room.hasClass(Session.AFTERNOON)) {
                rosters.add(ClassRoster.of(room, i, Session.AFTERNOON, schoolSeed));
            }
        }
    }

    /** A simulation of {@code layout} whose devices start publishing at {@code startEpochMillis}. */
    public SchoolSimulation(String school, SchoolLayout layout, long seed, long startEpochMillis) {
        this(school, layout, seed);
        begin(startEpochMillis);
    }

    /**
     * A simulation of {@code layout} whose devices start publishing at {@code startEpochMillis}, with
     * {@code scenario}'s scripted episodes on top (the demo's alarms); {@link Scenario#NONE} is the
     * same as the constructor without one.
     *
     * @throws IllegalArgumentException when the scenario names a room or device the layout lacks
     */
    public SchoolSimulation(String school, SchoolLayout layout, long seed, long startEpochMillis, Scenario scenario) {
        this(school, layout, seed);
        this.scenario = Objects.requireNonNull(scenario, "scenario");
        checkScenario();
        begin(startEpochMillis);
    }

    private void checkScenario() {
        Set<String> rooms = new java.util.HashSet<>(rooms());
        for (Scenario.Co2Surge surge : scenario.co2Surges()) {
            if (!rooms.contains(surge.room())) {
                throw new IllegalArgumentException("scenario: CO2 surge in '" + surge.room() + "', which is not a classroom of "
                        + school + " (" + rooms() + ")");
            }
        }
        if (!scenario.fridgeWarmings().isEmpty() && !layout.lab()) {
            throw new IllegalArgumentException("scenario: the fridge warms, but " + school + " has no lab");
        }
    }

    private void begin(long at) {
        if (at <= 0) {
            throw new IllegalArgumentException("the simulation must start after 1970, got " + at);
        }
        start = at;
        Outdoors outdoors = new Outdoors(Seeds.mix(seed, "weather"));
        int r = 0;
        for (Classroom room : classrooms) {
            add(periodic(new AirQualitySensor(room, outdoors, schoolSeed, at, scenario.co2SurgesIn(room.id()))));
            add(periodic(new NoiseLightNode(room, outdoors, schoolSeed, at)));
            add(periodic(new PeopleCountingCamera(room, schoolSeed, at)));
            ClassRoster morning = rosters.get(r++);
            ClassRoster afternoon = room.hasClass(Session.AFTERNOON) ? rosters.get(r++) : null;
            add(new DoorCardReader(room, morning, afternoon, schoolSeed, at));
        }
        if (layout.lab()) {
            add(periodic(new LabFridge(new LabSchedule(schoolSeed), schoolSeed, at, scenario.fridgeWarmings())));
            add(periodic(new FumeHood(new LabSchedule(schoolSeed), schoolSeed, at)));
            add(periodic(new GasDetector(new LabSchedule(schoolSeed), schoolSeed, at)));
            add(periodic(new SmokeDetector(schoolSeed, at)));
        }
        for (int b = 1; b <= layout.buildings(); b++) {
            int from = (b - 1) * SchoolLayout.ROOMS_PER_BUILDING;
            List<Classroom> inBuilding = classrooms.subList(from, Math.min(classrooms.size(), from + SchoolLayout.ROOMS_PER_BUILDING));
            add(periodic(new BuildingPowerMeter(buildingId(b), inBuilding, outdoors, schoolSeed, at)));
        }
        for (Scenario.Silence silence : scenario.silences()) {
            if (devices.stream().noneMatch(d -> d.id().equals(silence.device()) && d instanceof PeriodicDevice)) {
                throw new IllegalArgumentException("scenario: silence of '" + silence.device()
                        + "', which is not a periodic device of " + school);
            }
        }
    }

    private SimulatedDevice periodic(Firmware firmware) {
        DeviceProfile profile = firmware.profile();
        FaultPlan plan = (layout.faults().enabled()
                ? new FaultPlan(layout.faults(), profile.faultKinds(), schoolSeed, profile.id())
                : FaultPlan.NONE).withScripted(scenario.silencesOf(profile.id()));
        return new PeriodicDevice(firmware, start, plan, journal);
    }

    private void add(SimulatedDevice device) {
        devices.add(device);
        queue.add(new Scheduled(device.nextAt(), devices.size() - 1, device));
    }

    /** The id of the n-th classroom, 1-based: r101, r102, ... */
    public static String roomId(int n) {
        return "r" + (100 + n);
    }

    /** The id of the n-th building, 1-based: bldg-1, bldg-2, ... (the room of its power meter). */
    public static String buildingId(int n) {
        return "bldg-" + n;
    }

    public String school() {
        return school;
    }

    public SchoolLayout layout() {
        return layout;
    }

    /** The scripted episodes on top of the school's day; {@link Scenario#NONE} unless one was given. */
    public Scenario scenario() {
        return scenario;
    }

    /** The classrooms' ids, in order. The lab ({@code lab}) and the buildings ({@code bldg-N}) are not classrooms. */
    public List<String> rooms() {
        return classrooms.stream().map(Classroom::id).toList();
    }

    /**
     * The rosters of the classes the door readers see, synthetic ({@link ClassRoster}): one per
     * classroom for the morning session and one for each classroom that also hosts an afternoon class.
     */
    public List<ClassRoster> rosters() {
        return List.copyOf(rosters);
    }

    /** When the devices started, or {@link Long#MIN_VALUE} before the first call. */
    public long start() {
        return start;
    }

    /** The devices, once started. */
    public List<SimulatedDevice> devices() {
        return List.copyOf(devices);
    }

    /**
     * The faults the devices have injected so far (the most recent {@value FaultJournal#CAPACITY}),
     * in the order the devices reached them, a scenario's silences among them ({@link FaultKind#DROPOUT});
     * empty when the layout's faults are off and the scenario has no silence. A device may
     * have reached a fault a few seconds past the last instant asked for.
     */
    public List<InjectedFault> faultsInjected() {
        return journal.all();
    }

    /**
     * The routes a gateway needs to decode all of this school's traffic, one pair per device kind
     * (topic pattern to codec; room and device from the topic), the same before and after the start:
     * <pre>
     * zigbee2mqtt/{room}/{device}/availability  zigbee2mqtt       air, gas and smoke availability
     * zigbee2mqtt/{room}/{device}               zigbee2mqtt       air, gas and smoke state
     * esphome/{room}/{device}/sensor/+/state    esphome           noise and light
     * esphome/{room}/{device}/status            esphome
     * doors/{room}/{device}/tag                 card-reader       card taps
     * cameras/{room}/{device}/events            camera-analytics  people counts
     * cameras/{room}/{device}/status            camera-analytics
     * tele/{room}/{device}/SENSOR               tasmota           lab fridge (with a lab)
     * tele/{room}/{device}/LWT                  tasmota
     * senml/{room}/{device}                     senml             fume hood (with a lab)
     * shelly/{room}/{device}/events/rpc         shelly-gen2       building power meters
     * shelly/{room}/{device}/online             shelly-gen2
     * </pre>
     */
    public List<TopicRoute> routes() {
        Set<TopicRoute> routes = new LinkedHashSet<>(Zigbee2Mqtt.ROUTES);
        routes.addAll(NoiseLightNode.ROUTES);
        routes.addAll(DoorCardReader.ROUTES);
        routes.addAll(PeopleCountingCamera.ROUTES);
        if (layout.lab()) {
            routes.addAll(LabFridge.ROUTES);
            routes.addAll(FumeHood.ROUTES);
        }
        routes.addAll(BuildingPowerMeter.ROUTES);
        for (SimulatedDevice device : devices) {
            routes.addAll(device.routes());
        }
        return List.copyOf(routes);
    }

    /** When the next message is due; {@link Long#MIN_VALUE} before the simulation has started. */
    public long nextMessageAt() {
        return queue.isEmpty() ? Long.MIN_VALUE : queue.peek().at();
    }

    /**
     * Every message due at or before {@code epochMillis} that was not returned yet, in time order
     * (ties in device order). The first call of a simulation without a start time starts it there.
     */
    public List<SimulatedMessage> messagesUntil(long epochMillis) {
        if (start == Long.MIN_VALUE) {
            begin(epochMillis);
        }
        List<SimulatedMessage> out = new ArrayList<>();
        while (!queue.isEmpty() && queue.peek().at() <= epochMillis) {
            Scheduled next = queue.poll();
            out.add(next.device().next());
            queue.add(new Scheduled(next.device().nextAt(), next.order(), next.device()));
        }
        return out;
    }
}
