package org.smartschool.hub.fleet;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    /** Replicas on one state database: contacts heard here since the last {@link #drainContacts()}; off for one hub. */
    private boolean trackContacts;
    private final Map<String, GatewayState> heardGateways = new LinkedHashMap<>();
    private final Set<DeviceState> heardDevices = new LinkedHashSet<>();

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
        /** Another hub replica holds its connection (as of the last {@link #sync}). */
        boolean connectedElsewhere;
        long lastSeen;
        /** The latest contact on this hub's own connections (lastSeen may come from another replica). */
        long lastContactHere;
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
            // replicas: a contact another replica reported may be a little ahead of this clock
            d.lastSeen = trackContacts ? Math.max(d.lastSeen, now) : now;
            if (trackContacts) {
                heardDevices.add(d);
            }
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
            // online at another replica counts too, so every replica answers alike (not once silent: a replica
            // that died holds its gateways' connections in the shared state until they connect elsewhere)
            boolean online = g.online || (g.connectedElsewhere && g.silentSince == null);
            out.add(new GatewayLiveness(g.id, g.school, online, g.lastSeen, g.silentSince, g.health));
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
        g.lastContactHere = Math.max(g.lastContactHere, now);
        if (trackContacts) {
            heardGateways.put(g.id, g);
        }
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

    // ---- replicas on one state database (SharedLiveness): FleetMonitor calls these only when it shares

    /** Remember what is heard here, for {@link #drainContacts()}. */
    void trackContacts() {
        trackContacts = true;
    }

    /** What was heard here since the last drain. */
    record Contacts(List<SharedLiveness.GatewayContact> gateways, List<SharedLiveness.DeviceContact> devices) {
    }

    Contacts drainContacts() {
        List<SharedLiveness.GatewayContact> g = new ArrayList<>(heardGateways.size());
        for (GatewayState state : heardGateways.values()) {
            g.add(new SharedLiveness.GatewayContact(state.id, state.school, state.lastContactHere));
        }
        List<SharedLiveness.DeviceContact> d = new ArrayList<>(heardDevices.size());
        for (DeviceState state : heardDevices) {
            d.add(contact(state));
        }
        heardGateways.clear();
        heardDevices.clear();
        return new Contacts(g, d);
    }

    /** Contacts that could not be written: written with the next drain. */
    void undrain(Contacts contacts) {
        for (SharedLiveness.GatewayContact c : contacts.gateways()) {
            GatewayState g = gateways.get(c.gateway());
            if (g != null) {
                heardGateways.put(g.id, g);
            }
        }
        for (SharedLiveness.DeviceContact c : contacts.devices()) {
            DeviceState d = device(c.school(), c.device());
            if (d != null) {
                heardDevices.add(d);
            }
        }
    }

    private static SharedLiveness.DeviceContact contact(DeviceState d) {
        return new SharedLiveness.DeviceContact(d.school, d.device, d.room, d.gateway, d.lastSeen);
    }

    /**
     * Takes in what the replicas together know before a check: a gateway heard by another replica is not silent
     * here (a gateway only another replica knew is judged here too, offline here); a silence here that another
     * replica heard the end of (and recorded it) ends here without an event.
     */
    void sync(Map<String, SharedLiveness.GatewayRow> rows, List<SharedLiveness.DeviceRow> deviceRows) {
        for (SharedLiveness.GatewayRow row : rows.values()) {
            GatewayState g = gateways.get(row.gateway());
            if (g == null) {
                g = gateway(row.gateway(), row.school());
                if (row.silentSince() != null) {
                    g.silentSince = row.silentSince();
                    silentGateways++;
                }
            }
            g.lastSeen = Math.max(g.lastSeen, row.lastSeen());
            g.connectedElsewhere = row.connectedElsewhere();
            if (g.silentSince != null && row.silentSince() == null && row.lastSeen() > g.silentSince) {
                g.silentSince = null;
                silentGateways--;
            }
        }
        for (SharedLiveness.DeviceRow row : deviceRows) {
            DeviceState d = device(row.school(), row.device());
            if (d == null) {
                continue;
            }
            d.lastSeen = Math.max(d.lastSeen, row.lastSeen());
            if (d.silentSince != null && row.silentSince() == null && row.lastSeen() > d.silentSince) {
                d.silentSince = null;
                silentSensors--;
            }
        }
    }

    /** The devices silent here, as (school, device): their silence may have ended at another replica. */
    List<Map.Entry<String, String>> silentDevices() {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (Map<String, DeviceState> schoolDevices : devices.values()) {
            for (DeviceState d : schoolDevices.values()) {
                if (d.silentSince != null) {
                    out.add(Map.entry(d.school, d.device));
                }
            }
        }
        return out;
    }

    /** Another replica heard from the gateway after this one found it silent: it is not, and no event says so. */
    void gatewayHeardElsewhere(String gateway, long lastSeen) {
        GatewayState g = gateways.get(gateway);
        if (g == null) {
            return;
        }
        g.lastSeen = Math.max(g.lastSeen, lastSeen);
        if (g.silentSince != null) {
            g.silentSince = null;
            silentGateways--;
        }
    }

    void sensorHeardElsewhere(String school, String device, long lastSeen) {
        DeviceState d = device(school, device);
        if (d == null) {
            return;
        }
        d.lastSeen = Math.max(d.lastSeen, lastSeen);
        if (d.silentSince != null) {
            d.silentSince = null;
            silentSensors--;
        }
    }

    /** Silences that ended by a contact some replica heard: this replica records their end. */
    List<FleetEvent> endedElsewhere(List<SharedLiveness.Ended> ended, long now) {
        List<FleetEvent> events = new ArrayList<>();
        for (SharedLiveness.Ended e : ended) {
            if (e.device() == null) {
                GatewayState g = gateway(e.gateway(), e.school());
                g.lastSeen = Math.max(g.lastSeen, e.lastSeen());
                if (g.silentSince != null) {
                    g.silentSince = null;
                    silentGateways--;
                }
                events.add(new FleetEvent(time(now), e.gateway(), e.school(), FleetEventType.GATEWAY_BACK, null, null,
                        null, "heard from again at " + Instant.ofEpochMilli(e.lastSeen()) + " after silence"));
            } else {
                DeviceState d = device(e.school(), e.device());
                if (d != null) {
                    d.lastSeen = Math.max(d.lastSeen, e.lastSeen());
                    if (d.silentSince != null) {
                        d.silentSince = null;
                        silentSensors--;
                    }
                }
                events.add(new FleetEvent(time(now), e.gateway(), e.school(), FleetEventType.SENSOR_BACK, null, e.room(),
                        e.device(), "reading stored again at " + Instant.ofEpochMilli(e.lastSeen()) + " after silence"));
            }
        }
        return events;
    }

    /**
     * What a replica needs to claim an event in the state database, read right after the change that made it: the
     * last contact (a gateway's or device's) for a silence, the last contact on this hub's own connection for an
     * offline; -1 for the rest.
     */
    long lastSeenFor(FleetEvent event) {
        switch (event.type()) {
            case GATEWAY_SILENT -> {
                GatewayState g = gateways.get(event.gateway());
                return g == null ? -1 : g.lastSeen;
            }
            case GATEWAY_OFFLINE -> {
                GatewayState g = gateways.get(event.gateway());
                return g == null ? -1 : g.lastContactHere;
            }
            case SENSOR_SILENT -> {
                DeviceState d = device(event.school(), event.device());
                return d == null ? -1 : d.lastSeen;
            }
            default -> {
                return -1;
            }
        }
    }

    private DeviceState device(String school, String device) {
        Map<String, DeviceState> schoolDevices = devices.get(school);
        return schoolDevices == null ? null : schoolDevices.get(device);
    }

    /** Event times never go backwards, so that time order is the order of the changes. */
    private long time(long now) {
        lastEventTime = Math.max(lastEventTime, now);
        return lastEventTime;
    }
}
