package org.smartschool.hub.fleet;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.hub.config.FleetConfig;

/**
 * The liveness of every gateway (also those restored from the state database) and every device heard from since the
 * hub started, in memory, and the fleet events
 * each change causes. Not thread-safe: {@link FleetMonitor} calls it under one lock and records the events it
 * returns in the order they were returned. A check costs one pass over the gateways and devices; nothing is read
 * from a store.
 */
final class Liveness {
    /** Weight of a new sample in a device's expected interval (exponential moving average). */
    private static final double ALPHA = 0.3;

    private final long gatewaySilentMillis;
    private final int sensorIntervals;
    private final long sensorDefaultMillis;
    private final long sensorMinSilentMillis;
    private final Map<String, GatewayState> gateways = new TreeMap<>();
    /** By school, then device: a batch (one school's) looks up its school once and each device by its id alone. */
    private final Map<String, Map<String, DeviceState>> devices = new HashMap<>();
    private long lastEventTime;
    private int online;
    private int silentGateways;
    private int silentSensors;

    Liveness(FleetConfig config) {
        this.gatewaySilentMillis = config.gatewaySilentSeconds() * 1000L;
        this.sensorIntervals = config.sensorSilentIntervals();
        this.sensorDefaultMillis = config.sensorDefaultIntervalSeconds() * 1000L;
        this.sensorMinSilentMillis = config.sensorMinSilentSeconds() * 1000L;
    }

    private static final class GatewayState {
        final String id;
        String school;
        Object connection;
        boolean online;
        long lastSeen;
        Long silentSince;
        HealthSummary health;

        GatewayState(String id, String school) {
            this.id = id;
            this.school = school;
        }
    }

    private static final class DeviceState {
        final String school;
        final String device;
        String room;
        String gateway;
        long lastSeen;
        long lastReadingTime;
        /** Learned from the device's reading times; 0 until two distinct times were seen. */
        double intervalMillis;
        Long silentSince;

        DeviceState(String school, String device) {
            this.school = school;
            this.device = device;
        }
    }

    /** What a batch says about one device, summarised before taking the lock. */
    record DeviceSample(String school, String room, String device, long firstTime, long lastTime, int distinctTimes) {
        /** The mean gap between the device's distinct reading times in the batch; 0 with one time. */
        double meanGap() {
            return distinctTimes < 2 ? 0 : (double) (lastTime - firstTime) / (distinctTimes - 1);
        }
    }

    /**
     * Groups a batch's readings by device (the lock is not held: cost linear in the batch). No stream, boxed long
     * or per-reading object: a batch holds its readings device by device ({@code BatchCodec}), so the device is
     * looked up only where a run of one device's readings begins, and each device keeps its distinct times in a
     * sorted array (the codec repeats a device's time column once per quantity: a repeat is found by binary search;
     * readings out of time order are sorted once at the end).
     */
    static List<DeviceSample> samples(Batch batch) {
        List<Reading> readings = batch.readings();
        Map<String, DeviceTimes> byDevice = new HashMap<>();
        List<DeviceTimes> order = new ArrayList<>();
        DeviceTimes current = null;
        for (int i = 0; i < readings.size(); i++) {
            Reading r = readings.get(i);
            if (current == null || !current.device.equals(r.device())) {
                current = byDevice.get(r.device());
                if (current == null) {
                    current = new DeviceTimes(r);
                    byDevice.put(r.device(), current);
                    order.add(current);
                }
            }
            current.add(r);
        }
        List<DeviceSample> out = new ArrayList<>(order.size());
        for (DeviceTimes device : order) {
            DeviceTimes d = device.finish();
            Reading newest = d.newest;
            out.add(new DeviceSample(newest.school(), newest.room(), newest.device(), d.times[0], d.times[d.count - 1],
                    d.count));
        }
        return out;
    }

    /** One device's readings in a batch: its newest reading (the later of equal times) and its distinct times. */
    private static final class DeviceTimes {
        final String device;
        Reading newest;
        /** Distinct times, ascending, in {@code times[0..count)}, unless {@link #unordered}. */
        long[] times = new long[4];
        int count;
        /** A time came before the newest without having been seen: every time is kept, sorted and made distinct at the end. */
        boolean unordered;

        DeviceTimes(Reading first) {
            this.device = first.device();
            this.newest = first;
        }

        void add(Reading r) {
            long t = r.timestamp();
            if (t >= newest.timestamp()) {
                newest = r;
            }
            if (unordered || count == 0 || t > times[count - 1]) {
                append(t);
            } else if (Arrays.binarySearch(times, 0, count, t) < 0) {
                // readings out of time order: no insertion into the middle (quadratic in a hostile batch)
                unordered = true;
                append(t);
            }
        }

        /** Sorts and removes repeats if needed; then {@code times[0..count)} are the distinct times, ascending. */
        DeviceTimes finish() {
            if (unordered) {
                Arrays.sort(times, 0, count);
                int distinct = 1;
                for (int k = 1; k < count; k++) {
                    if (times[k] != times[distinct - 1]) {
                        times[distinct++] = times[k];
                    }
                }
                count = distinct;
                unordered = false;
            }
            return this;
        }

        private void append(long t) {
            if (count == times.length) {
                times = Arrays.copyOf(times, count * 2);
            }
            times[count++] = t;
        }
    }

    /** A gateway the previous hub process knew: offline here until it connects. */
    void restore(GatewayLiveness known) {
        GatewayState g = gateway(known.gateway(), known.school());
        g.lastSeen = Math.max(g.lastSeen, known.lastSeen());
        g.health = known.health();
        if (known.silentSince() != null && g.silentSince == null) {
            g.silentSince = known.silentSince();
            silentGateways++;
        }
    }

    List<FleetEvent> connected(String gateway, String school, Object connection, long now) {
        List<FleetEvent> events = new ArrayList<>();
        GatewayState g = gateway(gateway, school);
        g.connection = connection;
        seen(g, now, events, "connected");
        return events;
    }

    List<FleetEvent> disconnected(String gateway, Object connection, OfflineCause cause, String detail, long now) {
        GatewayState g = gateways.get(gateway);
        if (g == null || g.connection != connection) {
            // a connection taken over: its gateway stays online on the new one
            return List.of();
        }
        g.connection = null;
        List<FleetEvent> events = new ArrayList<>();
        if (g.online) {
            g.online = false;
            online--;
            events.add(new FleetEvent(time(now), g.id, g.school, FleetEventType.GATEWAY_OFFLINE, cause.label(), null,
                    null, detail));
        }
        return events;
    }

    List<FleetEvent> contact(String gateway, String school, long now) {
        List<FleetEvent> events = new ArrayList<>();
        seen(gateway(gateway, school), now, events, "sent a message");
        return events;
    }

    List<FleetEvent> health(String gateway, String school, HealthSummary health, long now) {
        List<FleetEvent> events = new ArrayList<>();
        GatewayState g = gateway(gateway, school);
        g.health = health;
        seen(g, now, events, "sent a health report");
        return events;
    }

    List<FleetEvent> stored(String gateway, String school, List<DeviceSample> samples, long now) {
        List<FleetEvent> events = new ArrayList<>();
        seen(gateway(gateway, school), now, events, "sent a batch");
        String schoolOfDevices = null;
        Map<String, DeviceState> schoolDevices = null;
        for (DeviceSample s : samples) {
            if (schoolDevices == null || !s.school().equals(schoolOfDevices)) {
                schoolOfDevices = s.school();
                schoolDevices = devices.computeIfAbsent(schoolOfDevices, k -> new HashMap<>());
            }
            DeviceState d = schoolDevices.get(s.device());
            if (d == null) {
                d = new DeviceState(s.school(), s.device());
                schoolDevices.put(s.device(), d);
            }
            learn(d, s);
            d.gateway = gateway;
            d.lastSeen = now;
            if (s.lastTime() >= d.lastReadingTime) {
                d.room = s.room();
                d.lastReadingTime = s.lastTime();
            }
            if (d.silentSince != null) {
                events.add(new FleetEvent(time(now), gateway, d.school, FleetEventType.SENSOR_BACK, null, d.room,
                        d.device, "reading stored again after silence since " + Instant.ofEpochMilli(d.silentSince)));
                d.silentSince = null;
                silentSensors--;
            }
        }
        return events;
    }

    /** Finds who fell silent since the last check; each becomes one event until it is heard from again. */
    List<FleetEvent> check(long now) {
        List<FleetEvent> events = new ArrayList<>();
        for (GatewayState g : gateways.values()) {
            if (g.silentSince == null && now - g.lastSeen >= gatewaySilentMillis) {
                g.silentSince = now;
                silentGateways++;
                long t = time(now);
                events.add(new FleetEvent(t, g.id, g.school, FleetEventType.GATEWAY_SILENT, null, null, null,
                        "no batch and no health report for " + (now - g.lastSeen) / 1000 + " s, since "
                                + Instant.ofEpochMilli(g.lastSeen)));
                if (g.online) {
                    g.online = false;
                    online--;
                    events.add(new FleetEvent(t, g.id, g.school, FleetEventType.GATEWAY_OFFLINE,
                            OfflineCause.SILENT.label(), null, null, "connected but silent"));
                }
            }
        }
        for (Map<String, DeviceState> schoolDevices : devices.values()) {
            for (DeviceState d : schoolDevices.values()) {
                checkDevice(d, now, events);
            }
        }
        return events;
    }

    private void checkDevice(DeviceState d, long now, List<FleetEvent> events) {
        GatewayState g = gateways.get(d.gateway);
        // while its gateway is silent, the gateway's event says it all: one event, not one per sensor
        if (d.silentSince != null || (g != null && g.silentSince != null)) {
            return;
        }
        long expected = expectedMillis(d);
        long threshold = Math.max(sensorIntervals * expected, sensorMinSilentMillis);
        if (now - d.lastSeen >= threshold) {
            d.silentSince = now;
            silentSensors++;
            events.add(new FleetEvent(time(now), d.gateway, d.school, FleetEventType.SENSOR_SILENT, null, d.room,
                    d.device, "no reading stored for " + (now - d.lastSeen) / 1000 + " s (expected every "
                            + Math.round(expected / 1000.0) + " s, silent after " + threshold / 1000 + " s)"));
        }
    }

    List<GatewayLiveness> gateways() {
        List<GatewayLiveness> out = new ArrayList<>(gateways.size());
        for (GatewayState g : gateways.values()) {
            out.add(new GatewayLiveness(g.id, g.school, g.online, g.lastSeen, g.silentSince, g.health));
        }
        return out;
    }

    int online() {
        return online;
    }

    int silentGateways() {
        return silentGateways;
    }

    int silentSensors() {
        return silentSensors;
    }

    /** The device's expected interval: learned from its readings, else the configured default. */
    long expectedMillis(String school, String device) {
        Map<String, DeviceState> schoolDevices = devices.get(school);
        DeviceState d = schoolDevices == null ? null : schoolDevices.get(device);
        return d == null ? sensorDefaultMillis : expectedMillis(d);
    }

    private long expectedMillis(DeviceState d) {
        return d.intervalMillis > 0 ? Math.round(d.intervalMillis) : sensorDefaultMillis;
    }

    private void learn(DeviceState d, DeviceSample s) {
        // the gap from the previous batch's newest reading, then the batch's own mean gap
        if (d.lastReadingTime > 0 && s.firstTime() > d.lastReadingTime) {
            sample(d, s.firstTime() - d.lastReadingTime);
        }
        if (s.distinctTimes() > 1) {
            sample(d, s.meanGap());
        }
    }

    private static void sample(DeviceState d, double gap) {
        d.intervalMillis = d.intervalMillis <= 0 ? gap : d.intervalMillis + ALPHA * (gap - d.intervalMillis);
    }

    private GatewayState gateway(String id, String school) {
        GatewayState g = gateways.computeIfAbsent(id, k -> new GatewayState(id, school));
        g.school = school;
        return g;
    }

    /** Contact: clears silence, and a connected gateway that is not online is online again. */
    private void seen(GatewayState g, long now, List<FleetEvent> events, String what) {
        g.lastSeen = Math.max(g.lastSeen, now);
        if (g.silentSince != null) {
            events.add(new FleetEvent(time(now), g.id, g.school, FleetEventType.GATEWAY_BACK, null, null, null,
                    what + " after silence since " + Instant.ofEpochMilli(g.silentSince)));
            g.silentSince = null;
            silentGateways--;
        }
        if (!g.online && g.connection != null) {
            g.online = true;
            online++;
            events.add(new FleetEvent(time(now), g.id, g.school, FleetEventType.GATEWAY_ONLINE, null, null, null, what));
        }
    }

    /** Event times never go backwards, so that time order is the order of the changes. */
    private long time(long now) {
        lastEventTime = Math.max(lastEventTime, now);
        return lastEventTime;
    }
}
