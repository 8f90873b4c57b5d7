package org.smartschool.bridge.sim;

import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

import org.smartschool.bridge.routing.TopicRoute;
import org.smartschool.bridge.sim.SchoolTimetable.Phase;
import org.smartschool.bridge.sim.SchoolTimetable.Slot;

/**
 * The power meter of one building (up to {@value SchoolLayout#ROOMS_PER_BUILDING} classrooms), a
 * Shelly Pro 4PM in the building's distribution board with {@code topic_prefix}
 * {@code shelly/<building>/<device>}, one metered channel per circuit: {@code switch:0} the
 * classroom lights, {@code switch:1} the ceiling fans, {@code switch:2} the sockets (projectors,
 * chargers), {@code switch:3} the corridor and yard lights. Every 60 s a {@code NotifyStatus}
 * (https://shelly-api-docs.shelly.cloud/gen2/General/Notifications) with each channel's status
 * (https://shelly-api-docs.shelly.cloud/gen2/ComponentsAndServices/Switch): {@code apower} W,
 * {@code voltage} V, {@code current} A, {@code aenergy.total} Wh, and the relay's own temperature;
 * {@code <prefix>/online} {@code true}/{@code false} as its birth message and last will:
 * <pre>
 * shelly/bldg-1/bldg-1-power/online      true
 * shelly/bldg-1/bldg-1-power/events/rpc  {"src":"shellypro4pm-a8032ab1c2d3","dst":"shelly/bldg-1/bldg-1-power/events",
 *   "method":"NotifyStatus","params":{"ts":1772413205.12,"switch:0":{"id":0,"source":"init","output":true,
 *   "apower":1180.4,"voltage":229.6,"current":5.412,"aenergy":{"total":1409312.552,"by_minute":[19672.3,19612.2,19702.0],
 *   "minute_ts":1772413200},"temperature":{"tC":41.2,"tF":106.2}},"switch:1":{...},"switch:2":{...},"switch:3":{...}}}
 * </pre>
 * Loads follow the lessons: lamps (0.6 W per lux of the room's design level) while a class is in
 * session, four 70 W fans per occupied room at a speed set by the heat, a 230 W projector in about
 * half the lessons plus 15 W of standby per room, and 320 W of outdoor lights from 17:45 to 06:15.
 * Every circuit stays under the 16 A a channel switches. A spike is an {@code apower} of 4.2 MW on
 * {@code switch:0}.
 */
final class BuildingPowerMeter implements Firmware {
    static final long INTERVAL_MILLIS = 60_000;
    static final List<TopicRoute> ROUTES = List.of(
            new TopicRoute("shelly/{room}/{device}/events/rpc", "shelly-gen2"),
            new TopicRoute("shelly/{room}/{device}/online", "shelly-gen2"));
    /** {@code <prefix>/online}: {@code true} as its birth message, {@code false} as its last will. */
    static final DeviceKind KIND = new DeviceKind("shelly", ROUTES, INTERVAL_MILLIS, DeviceKind.SENSOR_FAULTS,
            Availability.on("online", "true", "false"));
    static final double SPIKE_POWER = 4_200_000;
    static final int CHANNELS = 4;

    private static final double[] POWER_FACTOR = {0.95, 0.85, 0.9, 0.95};
    /** Per channel: apower, voltage, current, aenergy.total; then the relay temperature. */
    private static final int PER_CHANNEL = 4;
    private static final int RELAY_TEMPERATURE = CHANNELS * PER_CHANNEL;

    private final DeviceProfile profile;
    private final List<Classroom> rooms;
    private final Outdoors outdoors;
    private final long seed;
    private final SplittableRandom random;
    private final String src;
    private final double[] total = new double[CHANNELS];
    /** Energy of the last three minutes per channel, mWh, newest first: Shelly's by_minute. */
    private final double[][] byMinute = new double[CHANNELS][3];
    private long lastMeasured = Long.MIN_VALUE;

    BuildingPowerMeter(String building, List<Classroom> rooms, Outdoors outdoors, long seed, long start) {
        String id = building + "-power";
        this.rooms = List.copyOf(rooms);
        this.outdoors = outdoors;
        this.seed = seed;
        this.random = Seeds.random(seed, building, id);
        byte[] mac = new byte[6];
        for (int i = 0; i < mac.length; i++) {
            mac[i] = (byte) random.nextInt(256);
        }
        this.src = "shellypro4pm-" + HexFormat.of().formatHex(mac);
        for (int c = 0; c < CHANNELS; c++) {
            total[c] = 100_000 + random.nextDouble() * 2_000_000;
        }
        this.profile = KIND.device(building, id, start, random);
    }

    @Override
    public DeviceProfile profile() {
        return profile;
    }

    @Override
    public double[] measure(long at) {
        double[] power = loads(at);
        double load = power[0] + power[1] + power[2] + power[3];
        double hour = (at / 3_600_000.0 + 7) % 24;
        // the grid sags in the evening peak and under the building's own load
        double voltage = 229 - 3 * Math.exp(-Math.pow(hour - 19, 2) / 4) - 0.0006 * load + Seeds.gaussian(random, 0.4);
        double elapsedHours = lastMeasured == Long.MIN_VALUE ? 0 : (at - lastMeasured) / 3_600_000.0;
        lastMeasured = at;
        double[] values = new double[RELAY_TEMPERATURE + 1];
        for (int c = 0; c < CHANNELS; c++) {
            double wattHours = power[c] * elapsedHours;
            total[c] += wattHours;
            byMinute[c][2] = byMinute[c][1];
            byMinute[c][1] = byMinute[c][0];
            byMinute[c][0] = wattHours * 1000;
            double v = voltage + Seeds.gaussian(random, 0.05);
            values[c * PER_CHANNEL] = power[c];
            values[c * PER_CHANNEL + 1] = v;
            values[c * PER_CHANNEL + 2] = power[c] / (v * POWER_FACTOR[c]);
            values[c * PER_CHANNEL + 3] = total[c];
        }
        values[RELAY_TEMPERATURE] = outdoors.temperature(at) + 6 + 0.002 * load + Seeds.gaussian(random, 0.2);
        return values;
    }

    /** Watts per channel: lights, fans, sockets, outdoor lights. */
    private double[] loads(long at) {
        Slot slot = SchoolTimetable.at(at);
        double fanSpeed = Math.max(0.35, Math.min(1, (outdoors.temperature(at) - 25) / 6));
        double lights = 0;
        double fans = 0;
        double sockets = 0;
        for (Classroom room : rooms) {
            if (room.lightsOn(slot)) {
                lights += 0.6 * room.lightLevel();
            }
            int occupants = room.occupants(slot);
            if (occupants > 0) {
                fans += 4 * 70 * fanSpeed;
            }
            sockets += 15;
            if (occupants > 0 && slot.phase() == Phase.LESSON
                    && Seeds.uniform(seed, room.id(), slot.day().toString(), slot.session().name(), "p" + slot.period(), "projector") < 0.55) {
                sockets += 230;
            }
        }
        double hour = (at / 3_600_000.0 + 7) % 24; // UTC+7 all year
        double outdoor = hour >= 17.75 || hour < 6.25 ? 320 : 0;
        return new double[] {
                jitter(lights, 0.01), jitter(fans, 0.02), jitter(sockets, 0.02), jitter(outdoor, 0.005)};
    }

    private double jitter(double watts, double share) {
        double noise = Seeds.gaussian(random, share);
        return watts == 0 ? 0 : Math.max(0, watts * (1 + noise));
    }

    @Override
    public double[] inject(FaultKind kind, double[] values) {
        return Firmware.replaced(values, 0, SPIKE_POWER);
    }

    @Override
    public List<SimulatedMessage> report(long at, double[] v) {
        StringBuilder json = new StringBuilder(1200);
        json.append("{\"src\":\"").append(src).append("\",\"dst\":\"").append(profile.topic())
                .append("/events\",\"method\":\"NotifyStatus\",\"params\":{\"ts\":").append(Payloads.decimals(at / 1000.0, 2));
        double tC = v[RELAY_TEMPERATURE];
        for (int c = 0; c < CHANNELS; c++) {
            int i = c * PER_CHANNEL;
            json.append(",\"switch:").append(c).append("\":{\"id\":").append(c)
                    .append(",\"source\":\"init\",\"output\":true,\"apower\":").append(Payloads.decimals(v[i], 1))
                    .append(",\"voltage\":").append(Payloads.decimals(v[i + 1], 1))
                    .append(",\"current\":").append(Payloads.decimals(v[i + 2], 3))
                    .append(",\"aenergy\":{\"total\":").append(Payloads.decimals(v[i + 3], 3))
                    .append(",\"by_minute\":[").append(Payloads.decimals(byMinute[c][0], 3))
                    .append(',').append(Payloads.decimals(byMinute[c][1], 3))
                    .append(',').append(Payloads.decimals(byMinute[c][2], 3))
                    .append("],\"minute_ts\":").append(at / 60_000 * 60)
                    .append("},\"temperature\":{\"tC\":").append(Payloads.decimals(tC, 1))
                    .append(",\"tF\":").append(Payloads.decimals(tC * 9 / 5 + 32, 1)).append("}}");
        }
        json.append("}}");
        return List.of(new SimulatedMessage(profile.topic() + "/events/rpc", Payloads.utf8(json.toString()), at));
    }
}
