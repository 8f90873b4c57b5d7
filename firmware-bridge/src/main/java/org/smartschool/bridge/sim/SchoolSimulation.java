package org.smartschool.bridge.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;

import org.smartschool.bridge.model.Ids;
import org.smartschool.bridge.routing.TopicRoute;

/**
 * The virtual firmware of one school: N classrooms {@code r101, r102, ...}, each with a Zigbee
 * air-quality sensor behind Zigbee2MQTT ({@link AirQualitySensor}), living a Vietnamese school day
 * ({@link SchoolTimetable}, {@link Classroom}, {@link ClassroomAir}).
 *
 * <p>Pure and deterministic: no threads, no clock. Time is whatever the caller asks for: it calls
 * {@link #messagesUntil(long)} with a simulated instant and gets every message due up to it, in
 * time order. The same school, rooms, seed and start give the same bytes, however the calls are
 * split. To run in real time, pass the wall clock; to run faster, pass a scaled clock.
 *
 * <p>Not thread-safe: one caller drives a simulation.
 */
public final class SchoolSimulation {
    public static final int MAX_ROOMS = 899;

    private final String school;
    private final int roomCount;
    private final long seed;
    private final List<SimulatedDevice> devices = new ArrayList<>();
    private final PriorityQueue<Scheduled> queue = new PriorityQueue<>(
            Comparator.comparingLong(Scheduled::at).thenComparingInt(Scheduled::order));
    private long start = Long.MIN_VALUE;

    private record Scheduled(long at, int order, SimulatedDevice device) {
    }

    /**
     * A simulation that starts at the first instant {@link #messagesUntil(long)} is asked for
     * (convenient for running in real time).
     */
    public SchoolSimulation(String school, int rooms, long seed) {
        this.school = Ids.require("school", school);
        if (rooms < 1 || rooms > MAX_ROOMS) {
            throw new IllegalArgumentException("rooms must be 1-" + MAX_ROOMS + ", got " + rooms);
        }
        this.roomCount = rooms;
        this.seed = seed;
    }

    /** A simulation whose devices start publishing at {@code startEpochMillis}. */
    public SchoolSimulation(String school, int rooms, long seed, long startEpochMillis) {
        this(school, rooms, seed);
        begin(startEpochMillis);
    }

    private void begin(long at) {
        if (at <= 0) {
            throw new IllegalArgumentException("the simulation must start after 1970, got " + at);
        }
        start = at;
        // the school's seed mixes in its id, so two schools with one seed still differ
        long schoolSeed = Seeds.mix(seed, school);
        Outdoors outdoors = new Outdoors(Seeds.mix(seed, "weather"));
        for (int i = 1; i <= roomCount; i++) {
            Classroom room = new Classroom(roomId(i), schoolSeed);
            SimulatedDevice sensor = new AirQualitySensor(room, outdoors, schoolSeed, at);
            devices.add(sensor);
            queue.add(new Scheduled(sensor.nextAt(), devices.size() - 1, sensor));
        }
    }

    /** The id of the n-th classroom, 1-based: r101, r102, ... */
    public static String roomId(int n) {
        return "r" + (100 + n);
    }

    public String school() {
        return school;
    }

    public List<String> rooms() {
        List<String> rooms = new ArrayList<>();
        for (int i = 1; i <= roomCount; i++) {
            rooms.add(roomId(i));
        }
        return rooms;
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
     * The routes a gateway needs to decode this school's traffic, derived from the device kinds
     * simulated: {@code zigbee2mqtt/{room}/{device}/availability} and
     * {@code zigbee2mqtt/{room}/{device}}, codec {@code zigbee2mqtt}.
     */
    public List<TopicRoute> routes() {
        Set<TopicRoute> routes = new LinkedHashSet<>(AirQualitySensor.ROUTES);
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
     * (ties in room order). The first call of a simulation without a start time starts it there.
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
