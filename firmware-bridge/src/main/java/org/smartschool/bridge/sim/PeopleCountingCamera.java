package org.smartschool.bridge.sim;

import java.time.LocalDate;
import java.util.List;
import java.util.SplittableRandom;

import org.smartschool.bridge.routing.TopicRoute;
import org.smartschool.bridge.sim.SchoolTimetable.Phase;
import org.smartschool.bridge.sim.SchoolTimetable.Slot;

/**
 * A ceiling camera with people-counting analytics over the classroom, publishing the generic
 * camera-analytics JSON (docs/camera-analytics.md) every 60 s, and {@code online}/{@code offline}
 * on its status topic (its birth message and last will, as Frigate's {@code frigate/available}):
 * <pre>
 * cameras/r101/r101-cam/status  online
 * cameras/r101/r101-cam/events  {"type":"people_count","count":38,"in":41,"out":3,"zone":"classroom",
 *                                "time":"2026-03-02T07:05:00+07:00"}
 * </pre>
 * {@code count} is who is in the room ({@link Classroom#occupants}, the teacher included), less the
 * one or two a camera misses behind others in a full room; {@code in} and {@code out} count the
 * entries and exits seen since local midnight (AXIS live-sum style). A spike is a decoder glitch
 * counting 65535 people.
 */
final class PeopleCountingCamera implements Firmware {
    static final long INTERVAL_MILLIS = 60_000;
    static final List<TopicRoute> ROUTES = List.of(
            new TopicRoute("cameras/{room}/{device}/events", "camera-analytics"),
            new TopicRoute("cameras/{room}/{device}/status", "camera-analytics"));
    /** Online and offline on its status topic, as Frigate's {@code frigate/available}. */
    static final DeviceKind KIND = new DeviceKind("cameras", ROUTES, INTERVAL_MILLIS, DeviceKind.SENSOR_FAULTS,
            Availability.on("status", "online", "offline"));
    static final double SPIKE_COUNT = 65_535;

    private static final int COUNT = 0;
    private static final int IN = 1;
    private static final int OUT = 2;

    private final DeviceProfile profile;
    private final Classroom room;
    private final SplittableRandom random;
    private LocalDate counterDay;
    private int seen;
    private int in;
    private int out;

    PeopleCountingCamera(Classroom room, long seed, long start) {
        String id = room.id() + "-cam";
        this.room = room;
        this.random = Seeds.random(seed, room.id(), id);
        this.profile = KIND.device(room.id(), id, start, random);
    }

    @Override
    public DeviceProfile profile() {
        return profile;
    }

    @Override
    public double[] measure(long at) {
        Slot slot = SchoolTimetable.at(at);
        if (!slot.day().equals(counterDay)) {
            counterDay = slot.day(); // the live-sum counters restart at midnight
            in = 0;
            out = 0;
        }
        int present = room.occupants(slot);
        if (present > seen) {
            in += present - seen;
        } else {
            out += seen - present;
        }
        seen = present;
        int missed = slot.phase() == Phase.LESSON && present > 20 ? random.nextInt(3) : 0;
        return new double[] {present - missed, in, out};
    }

    @Override
    public double[] inject(FaultKind kind, double[] values) {
        return Firmware.replaced(values, COUNT, SPIKE_COUNT);
    }

    @Override
    public List<SimulatedMessage> report(long at, double[] v) {
        String json = "{\"type\":\"people_count\",\"count\":" + (long) v[COUNT]
                + ",\"in\":" + (long) v[IN]
                + ",\"out\":" + (long) v[OUT]
                + ",\"zone\":\"classroom\",\"time\":\"" + Payloads.isoLocalWithOffset(at) + "\"}";
        return List.of(new SimulatedMessage(profile.topic() + "/events", Payloads.utf8(json), at));
    }
}
