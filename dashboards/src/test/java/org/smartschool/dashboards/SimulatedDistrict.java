package org.smartschool.dashboards;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.smartschool.bridge.alarm.AlarmId;
import org.smartschool.bridge.alarm.AlarmTransition;
import org.smartschool.bridge.alarm.AlarmTransitions;
import org.smartschool.bridge.alarm.Severity;
import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.codec.DecodeResult;
import org.smartschool.bridge.codec.RawMessage;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.routing.TopicRouter;
import org.smartschool.bridge.sim.FaultRates;
import org.smartschool.bridge.sim.SchoolLayout;
import org.smartschool.bridge.sim.SchoolSimulation;
import org.smartschool.bridge.sim.SimulatedMessage;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.hub.attendance.AttendanceCounts;
import org.smartschool.hub.config.InfluxConfig;
import org.smartschool.hub.store.influx.InfluxTimeSeriesStore;

/**
 * A small district's morning in InfluxDB, written the way the hub writes it: the schools' virtual firmware
 * ({@link SchoolSimulation}: air, noise and light, people counters, door readers, the lab's fridge, fume hood, gas
 * and smoke detectors, building power meters; devices that go offline now and then) decoded by the gateway's codecs,
 * cut into batches and stored by the hub's own {@link InfluxTimeSeriesStore} (its line protocol, retention policies
 * and continuous query), then rolled up into {@code reading_1h} as the continuous query does. On top, what gateways
 * send besides the firmware's messages: alarm transitions of the schools' rules, gas alerts and a device fault.
 *
 * <p>Attendance counts are written by the store as the hub writes them ({@code writeAttendance}: measurement
 * {@link #ATTENDANCE_MEASUREMENT}, one point per class, session and school day at 00:00 UTC of the date).
 */
final class SimulatedDistrict {
    /** Schools of the example inventory (hub-server/config/inventory.example.yaml), so the map finds them. */
    static final List<String> SCHOOLS = List.of("school-01", "school-02");
    static final int ROOMS = 3;
    static final String ATTENDANCE_MEASUREMENT = "attendance";
    static final List<String> SESSIONS = List.of("morning", "afternoon");
    /** 07:30-10:30 in Ho Chi Minh City: lessons, so rooms fill, CO2 rises and doors see cards. */
    private static final long WINDOW_START_UTC_MINUTES = 30;
    private static final long WINDOW_MILLIS = 3 * 3_600_000L;
    private static final long STEP_MILLIS = 60_000;
    private static final int BATCH_RECORDS = 500;
    static final int ATTENDANCE_DAYS = 5;

    /** Start and end (exclusive) of the simulated readings, epoch ms. */
    final long start;
    final long end;
    long readings;
    long events;
    long undecodable;
    /** Per school and device, the 5-minute slots (epoch ms / 300,000) in which it sent a CO2 reading. */
    final Map<String, Map<String, java.util.Set<Long>>> co2Slots = new java.util.TreeMap<>();
    /** The attendance count points written, for tests that check the dashboards' arithmetic. */
    final List<AttendancePoint> attendance = new ArrayList<>();

    record AttendancePoint(String school, String klass, long at, int present, int late, int excused, int unexcused) {
    }

    private SimulatedDistrict(long start) {
        this.start = start;
        this.end = start + WINDOW_MILLIS;
    }

    /** Yesterday's (UTC) morning lessons, relative to {@code now}. */
    static SimulatedDistrict yesterdayMorning(Instant now) {
        LocalDate yesterday = LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(1);
        long start = yesterday.atStartOfDay(ZoneOffset.UTC).toInstant().plus(WINDOW_START_UTC_MINUTES, ChronoUnit.MINUTES)
                .toEpochMilli();
        return new SimulatedDistrict(start);
    }

    /** Writes the district into {@code database} on {@code url}, creating it with the hub's schema. */
    void writeTo(String url, String database) {
        InfluxConfig config = InfluxConfig.DEFAULT.withUrl(url).withDatabase(database).withTiming(20_000, 30_000);
        try (InfluxTimeSeriesStore store = InfluxTimeSeriesStore.open(config)) {
            long seed = 20261203L;
            for (String school : SCHOOLS) {
                simulate(store, school, seed);
                store.write(gatewayEvents(school));
            }
            // the continuous query's statement for the window, as the store runs it for a late backlog
            store.rollUp(start - start % 3_600_000L, end);
            store.writeAttendance(attendanceCounts());
        }
    }

    private void simulate(InfluxTimeSeriesStore store, String school, long seed) {
        // offline episodes (8 per device-day): the firmware's last will, which the codecs turn into device_offline
        SchoolLayout layout = SchoolLayout.of(ROOMS).withFaults(new FaultRates(0, 0, 0, 8, 0));
        SchoolSimulation simulation = new SchoolSimulation(school, layout, seed, start);
        TopicRouter router = new TopicRouter(school, simulation.routes(), CodecRegistry.standard());
        String gateway = "gw-" + school;
        List<Reading> batchReadings = new ArrayList<>();
        List<DeviceEvent> batchEvents = new ArrayList<>();
        int seq = 0;
        for (long until = start + STEP_MILLIS; until <= end; until += STEP_MILLIS) {
            for (SimulatedMessage message : simulation.messagesUntil(until)) {
                if (!(router.route(message.topic()) instanceof TopicRouter.Routing.Routed routed)) {
                    undecodable++;
                    continue;
                }
                DecodeResult result = routed.codec().decode(
                        new RawMessage(message.topic(), null, message.payload(), message.timestamp()), routed.device());
                if (result.hasProblems()) {
                    undecodable++; // a gateway dead-letters it; nothing of it reaches the hub
                    continue;
                }
                batchReadings.addAll(result.readings());
                for (Reading r : result.readings()) {
                    // within the window as Grafana's $timeFilter takes it (both ends included)
                    if (r.quantity() == org.smartschool.bridge.model.Quantity.CO2 && r.timestamp() >= start && r.timestamp() <= end) {
                        co2Slots.computeIfAbsent(school, k -> new java.util.TreeMap<>())
                                .computeIfAbsent(r.device(), k -> new java.util.TreeSet<>()).add(r.timestamp() / 300_000);
                    }
                }
                // card taps carry personal data the hub keeps out of InfluxDB; the attendance counts stand for them
                result.events().stream().filter(e -> e.type() != EventType.CARD_TAP).forEach(batchEvents::add);
            }
            if (batchReadings.size() + batchEvents.size() >= BATCH_RECORDS || until + STEP_MILLIS > end) {
                store.write(new Batch(gateway + "-" + (++seq), gateway, school, batchReadings, batchEvents));
                readings += batchReadings.size();
                events += batchEvents.size();
                batchReadings.clear();
                batchEvents.clear();
            }
        }
    }

    /**
     * What a gateway sends besides its devices' values: its rules' alarm transitions (a CO2 alarm raised, made
     * major and cleared; the lab fridge too warm), a gas detector's alert raised and cleared, a device fault.
     */
    private Batch gatewayEvents(String school) {
        String gateway = "gw-" + school;
        long raised = start + 40 * 60_000L;
        String co2 = AlarmId.of(school, "r101/r101-air", "co2", raised);
        String fridge = AlarmId.of(school, "lab/lab-fridge", "lab_fridge", raised + 600_000);
        List<DeviceEvent> events = new ArrayList<>(List.of(
                AlarmTransitions.asEvent(new AlarmTransition(co2, school, "r101", "r101-air", "co2",
                        AlarmTransition.Kind.RAISED, Severity.WARNING, raised, raised, 1080, "CO2 1080 ppm above 1000")),
                AlarmTransitions.asEvent(new AlarmTransition(co2, school, "r101", "r101-air", "co2",
                        AlarmTransition.Kind.SEVERITY_CHANGED, Severity.MAJOR, raised, raised + 900_000, 1620,
                        "15-min mean 1620 ppm above 1500")),
                AlarmTransitions.asEvent(new AlarmTransition(co2, school, "r101", "r101-air", "co2",
                        AlarmTransition.Kind.CLEARED, Severity.MAJOR, raised, raised + 2_400_000, 880, "CO2 880 ppm")),
                AlarmTransitions.asEvent(new AlarmTransition(fridge, school, "lab", "lab-fridge", "lab_fridge",
                        AlarmTransition.Kind.RAISED, Severity.MAJOR, raised + 600_000, raised + 600_000, 9.5,
                        "fridge 9.5 Cel above 8"))));
        DeviceRef gas = new DeviceRef(school, "lab", "lab-gas");
        events.add(DeviceEvent.of(gas, EventType.ALERT, raised + 300_000, Map.of("kind", "gas", "active", "true")));
        events.add(DeviceEvent.of(gas, EventType.ALERT, raised + 420_000, Map.of("kind", "gas", "active", "false")));
        events.add(DeviceEvent.of(new DeviceRef(school, "lab", "lab-hood"), EventType.FAULT, raised + 60_000,
                Map.of("code", "E21", "detail", "fan current low")));
        return new Batch(gateway + "-events", gateway, school, List.of(), events);
    }

    /**
     * Attendance counts per school, class, session and day for the school days up to the window's: one point per
     * (school, class, session, period) at the session's start, all four categories as integers.
     */
    private List<AttendanceCounts> attendanceCounts() {
        List<AttendanceCounts> counts = new ArrayList<>();
        LocalDate day = LocalDate.ofInstant(Instant.ofEpochMilli(start), ZoneOffset.UTC);
        int n = 0;
        for (int back = 0; back < ATTENDANCE_DAYS; back++) {
            LocalDate date = day.minusDays(back);
            for (String school : SCHOOLS) {
                for (int room = 1; room <= ROOMS; room++) {
                    for (String session : SESSIONS) {
                        // session-level classes have no period
                        counts.add(attendanceCount(school, date, classOf(room, session), session, null, ++n));
                    }
                }
                // a period-level class (a lab section): its third period on the morning
                counts.add(attendanceCount(school, date, "10a1-chem", "morning", "p3", ++n));
            }
        }
        return counts;
    }

    private AttendanceCounts attendanceCount(String school, LocalDate date, String klass, String session, String period,
                                             int n) {
        int late = n % 3;
        int excused = n % 2;
        int unexcused = n % 4 == 0 ? 2 : 0;
        int present = 40 - late - excused - unexcused;
        // the hub stamps a day's counts at 00:00 UTC of the school's date (docs/storage.md, measurement attendance)
        long at = date.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        attendance.add(new AttendancePoint(school, klass, at, present, late, excused, unexcused));
        return new AttendanceCounts(school, date, klass, session, period, present, late, excused, unexcused);
    }

    /** A homeroom class per room and session: 6a1.. in the morning, 7a1.. in the afternoon. */
    static String classOf(int room, String session) {
        return (session.equals("morning") ? "6a" : "7a") + room;
    }
}
