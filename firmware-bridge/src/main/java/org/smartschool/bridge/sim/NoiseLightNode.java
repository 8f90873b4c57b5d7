package org.smartschool.bridge.sim;

import java.util.List;
import java.util.SplittableRandom;

import org.smartschool.bridge.routing.TopicRoute;
import org.smartschool.bridge.sim.SchoolTimetable.Slot;

/**
 * An ESPHome board on the classroom wall with an I2S microphone (a sound-level sensor reporting the
 * A-weighted level over its update interval) and a BH1750 light sensor, {@code topic_prefix}
 * {@code esphome/<room>/<device>}: its birth message, then every 30 s each sensor's state as plain
 * text with one decimal (https://esphome.io/components/mqtt.html):
 * <pre>
 * esphome/r101/r101-env/status                    online
 * esphome/r101/r101-env/sensor/noise/state        58.3
 * esphome/r101/r101-env/sensor/illuminance/state  412.5
 * </pre>
 * The object ids {@code noise} and {@code illuminance} are the ones the esphome codec's default
 * name rules map to dBA and lx; the last will is {@code offline}.
 *
 * <p>Noise: a quiet room is 32-40 dBA (traffic outside by day; the microphone's floor is 30 dBA); a lesson is the room's own level,
 * 55-63 dBA (a teacher's voice at a few metres, the class working), give or take 3 dBA per period;
 * a short break with the class in the room 68-72 dBA; arrivals and dismissals in between. Light is
 * what the desks get ({@link ClassroomAir#illuminance}), as seen from where the board hangs. A
 * spike is a glitching microphone's 180 dBA.
 */
final class NoiseLightNode implements Firmware {
    static final long INTERVAL_MILLIS = 30_000;
    static final List<TopicRoute> ROUTES = List.of(
            new TopicRoute("esphome/{room}/{device}/sensor/+/state", "esphome"),
            new TopicRoute("esphome/{room}/{device}/status", "esphome"));
    static final DeviceKind KIND = new DeviceKind("esphome", ROUTES, INTERVAL_MILLIS, DeviceKind.SENSOR_FAULTS,
            Availability.on("status", "online", "offline"));
    static final double SPIKE_NOISE = 180.0;

    private static final int NOISE = 0;
    private static final int ILLUMINANCE = 1;

    private final DeviceProfile profile;
    private final Classroom room;
    private final Outdoors outdoors;
    private final long seed;
    private final SplittableRandom random;
    private final double lessonLevel;
    private final double lightFactor;

    NoiseLightNode(Classroom room, Outdoors outdoors, long seed, long start) {
        String id = room.id() + "-env";
        this.room = room;
        this.outdoors = outdoors;
        this.seed = seed;
        this.random = Seeds.random(seed, room.id(), id);
        this.lessonLevel = 55 + random.nextDouble() * 8;
        // the board hangs by the door, not on a desk: it sees a little less or more light
        this.lightFactor = 0.85 + random.nextDouble() * 0.25;
        this.profile = KIND.device(room.id(), id, start, random);
    }

    @Override
    public DeviceProfile profile() {
        return profile;
    }

    @Override
    public double[] measure(long at) {
        Slot slot = SchoolTimetable.at(at);
        double background = 32 + 8 * Math.min(1, outdoors.daylight(at) / 150);
        double people = peopleLevel(slot);
        double noise = people > 0 ? 10 * Math.log10(Math.pow(10, background / 10) + Math.pow(10, people / 10)) : background;
        noise += Seeds.gaussian(random, 1.2);
        double light = ClassroomAir.illuminance(room, outdoors, at) * lightFactor;
        double illuminance = Math.max(0, light + Seeds.gaussian(random, 0.5 + 0.01 * light));
        // a MEMS microphone's own noise floor is about 30 dBA
        return new double[] {Math.max(30, noise), illuminance};
    }

    /** The level the people in the room make, dBA; 0 when nobody is there. */
    private double peopleLevel(Slot slot) {
        int occupants = room.occupants(slot);
        if (occupants == 0) {
            return 0;
        }
        return switch (slot.phase()) {
            case LESSON -> lessonLevel + (Seeds.uniform(seed, room.id(), slot.day().toString(), slot.session().name(),
                    "p" + slot.period(), "noise") - 0.5) * 6;
            case SHORT_BREAK -> 70;
            case LONG_BREAK -> 60;
            case ARRIVAL -> 50 + 14 * slot.fraction();
            case DISMISSAL -> 64 - 12 * slot.fraction();
            default -> 45;
        };
    }

    @Override
    public double[] inject(FaultKind kind, double[] values) {
        return Firmware.replaced(values, NOISE, SPIKE_NOISE);
    }

    @Override
    public List<SimulatedMessage> report(long at, double[] v) {
        // both sensors update in the same loop pass; ESPHome publishes them one after the other
        return List.of(
                new SimulatedMessage(profile.topic() + "/sensor/noise/state", Payloads.utf8(Payloads.decimals(v[NOISE], 1)), at),
                new SimulatedMessage(profile.topic() + "/sensor/illuminance/state", Payloads.utf8(Payloads.decimals(v[ILLUMINANCE], 1)), at + 2));
    }
}
