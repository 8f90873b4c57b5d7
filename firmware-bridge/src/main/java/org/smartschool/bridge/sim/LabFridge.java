package org.smartschool.bridge.sim;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

import org.smartschool.bridge.routing.TopicRoute;
import org.smartschool.bridge.sim.SchoolTimetable.Lesson;

/**
 * The lab's reagent fridge, watched by a Tasmota board with a DS18B20 probe, {@code FullTopic}
 * {@code %prefix%/lab/%topic%/}, {@code TelePeriod 60}: its LWT {@code Online} (retained) when it
 * connects, then its telemetry (https://tasmota.github.io/docs/DS18x20/; Tasmota's {@code Time} is
 * local time without a zone):
 * <pre>
 * tele/lab/lab-fridge/LWT     Online
 * tele/lab/lab-fridge/SENSOR  {"Time":"2026-03-02T07:00:00","DS18B20":{"Id":"01144A0CB2AA","Temperature":4.2},"TempUnit":"C"}
 * </pre>
 *
 * <p>The thermostat keeps the cabinet between 3.0 and 5.5 Cel: the compressor cools it 0.2 Cel a
 * minute and switches off at 3.0; off, the cabinet warms 0.07 Cel a minute. Each door opening
 * (1-3 per lab lesson, 0-2 more by staff during the day) brings 1-2 Cel of warm air that decays
 * with a 4-minute time constant and starts the compressor early. Healthy, the probe therefore reads
 * 2.9-7.6 Cel, inside the 2-8 Cel storage range. A spike is the DS18B20 driver's -127 ("disconnected").
 */
final class LabFridge implements Firmware {
    static final long INTERVAL_MILLIS = 60_000;
    static final List<TopicRoute> ROUTES = List.of(
            new TopicRoute("tele/{room}/{device}/SENSOR", "tasmota"),
            new TopicRoute("tele/{room}/{device}/LWT", "tasmota"));
    /** Tasmota's LWT: {@code Online} (retained) when it connects, {@code Offline} as its last will. */
    static final DeviceKind KIND = new DeviceKind("tele", ROUTES, INTERVAL_MILLIS, DeviceKind.SENSOR_FAULTS,
            Availability.on("LWT", "Online", "Offline"));
    static final double SPIKE_TEMPERATURE = -127.0;
    static final double THERMOSTAT_OFF = 3.0;
    static final double THERMOSTAT_ON = 5.5;

    private static final long STEP_MILLIS = 10_000;
    private static final double DOOR_DECAY_MILLIS = 4 * 60_000.0;

    private record Opening(long at, double warmth) {
    }

    private final String id = LabSchedule.ROOM + "-fridge";
    private final DeviceProfile profile;
    private final long seed;
    private final LabSchedule labs;
    private final SplittableRandom random;
    private final String probeId;
    private double cabinet;
    private boolean compressor;
    private long time;
    private LocalDate openingsDay;
    private List<Opening> openings = List.of();
    /** Scripted warm spells ({@link Scenario}): the probe reads at least their curve. */
    private final List<Scenario.FridgeWarming> warmings;

    LabFridge(LabSchedule labs, long seed, long start) {
        this(labs, seed, start, List.of());
    }

    LabFridge(LabSchedule labs, long seed, long start, List<Scenario.FridgeWarming> warmings) {
        this.warmings = List.copyOf(warmings);
        this.labs = labs;
        this.seed = seed;
        this.random = Seeds.random(seed, LabSchedule.ROOM, id);
        byte[] rom = new byte[6];
        for (int i = 0; i < rom.length; i++) {
            rom[i] = (byte) random.nextInt(256);
        }
        this.probeId = HexFormat.of().withUpperCase().formatHex(rom);
        this.cabinet = 3.2 + random.nextDouble() * 2.1;
        this.compressor = random.nextBoolean();
        this.time = start;
        this.profile = KIND.device(LabSchedule.ROOM, id, start, random);
    }

    @Override
    public DeviceProfile profile() {
        return profile;
    }

    @Override
    public double[] measure(long at) {
        while (time < at) {
            long step = Math.min(STEP_MILLIS, at - time);
            double minutes = step / 60_000.0;
            double warmAir = doorWarmth(time);
            if (compressor) {
                cabinet -= 0.2 * minutes;
                compressor = cabinet > THERMOSTAT_OFF;
            } else {
                cabinet += (0.07 + 0.02 * warmAir) * minutes;
                compressor = cabinet + 0.5 * warmAir >= THERMOSTAT_ON;
            }
            time += step;
        }
        double probe = cabinet + doorWarmth(at);
        for (Scenario.FridgeWarming warming : warmings) {
            double scripted = warming.celsius(at);
            if (!Double.isNaN(scripted)) {
                probe = Math.max(probe, scripted);
            }
        }
        return new double[] {probe + Seeds.gaussian(random, 0.03)};
    }

    /** The warm air let in by recent door openings, Cel above the cabinet. */
    double doorWarmth(long at) {
        double warmth = 0;
        for (Opening o : openings(SchoolTimetable.day(at))) {
            if (o.at() > at) {
                break;
            }
            warmth = Math.max(warmth, o.warmth() * Math.exp(-(at - o.at()) / DOOR_DECAY_MILLIS));
        }
        return warmth;
    }

    private List<Opening> openings(LocalDate day) {
        if (!day.equals(openingsDay)) {
            SplittableRandom r = Seeds.random(seed, id, day.toString(), "door");
            List<Opening> out = new ArrayList<>();
            for (Lesson lesson : labs.lessons(day)) {
                int n = 1 + r.nextInt(3);
                for (int i = 0; i < n; i++) {
                    out.add(new Opening(lesson.start() + r.nextLong(lesson.end() - lesson.start()), 1 + r.nextDouble()));
                }
            }
            if (SchoolTimetable.isSchoolDay(day)) {
                long from = SchoolTimetable.sessionStart(day, SchoolTimetable.Session.MORNING);
                int staff = r.nextInt(3);
                for (int i = 0; i < staff; i++) {
                    out.add(new Opening(from + r.nextLong(9L * 3600_000 + 30 * 60_000), 1 + r.nextDouble()));
                }
            }
            out.sort((a, b) -> Long.compare(a.at(), b.at()));
            openings = List.copyOf(out);
            openingsDay = day;
        }
        return openings;
    }

    @Override
    public double[] inject(FaultKind kind, double[] values) {
        return new double[] {SPIKE_TEMPERATURE};
    }

    @Override
    public List<SimulatedMessage> report(long at, double[] v) {
        String json = "{\"Time\":\"" + Payloads.localWithoutZone(at) + "\",\"DS18B20\":{\"Id\":\"" + probeId
                + "\",\"Temperature\":" + Payloads.decimals(v[0], 1) + "},\"TempUnit\":\"C\"}";
        return List.of(new SimulatedMessage(profile.topic() + "/SENSOR", Payloads.utf8(json), at));
    }
}
