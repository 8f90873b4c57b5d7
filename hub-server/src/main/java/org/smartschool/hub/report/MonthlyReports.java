package org.smartschool.hub.report;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.smartschool.gateway.config.RulesSettings;
import org.smartschool.gateway.rules.LessonHours;
import org.smartschool.hub.alarm.AlarmQuery;
import org.smartschool.hub.alarm.AlarmStore;
import org.smartschool.hub.attendance.AttendanceCounts;
import org.smartschool.hub.attendance.AttendanceLedger;
import org.smartschool.hub.fleet.FleetEvent;
import org.smartschool.hub.fleet.FleetEventLog;
import org.smartschool.hub.fleet.FleetEventQuery;
import org.smartschool.hub.store.DeviceLastSeen;
import org.smartschool.hub.store.GatewayStatus;
import org.smartschool.hub.store.ReadingStore;
import org.smartschool.hub.store.SchoolSeriesQuery;

/**
 * Makes the monthly reports from what the hub stores: step means from the time series (one aggregation query per
 * quantity and step length, never the raw points), the attendance ledger's counts, the alarm store, the fleet
 * event log and the devices' and gateways' last-seen times. Blocking (JDBC, HTTP): call it on a worker thread.
 */
public final class MonthlyReports {
    /** More alarms or fleet events than this in one school's month would be a report of its own. */
    static final int MAX_ROWS = 1_000_000;
    /** The newest changes before the month, where each gateway's and device's state at its start is found. */
    static final int MAX_EARLIER_EVENTS = 10_000;

    private final ReadingStore store;
    private final AttendanceLedger ledger;
    private final AlarmStore alarms;
    private final FleetEventLog fleet;
    private final ReportSchools schools;
    private final SchoolRulesSource rules;
    private final Clock clock;
    private final long gatewayGraceMillis;
    private final long deviceGraceMillis;

    /**
     * @param gatewayGraceMillis how long after its last contact the hub takes a gateway for silent ({@code fleet.gatewaySilentSeconds})
     * @param deviceGraceMillis  the same for a device
     */
    public MonthlyReports(ReadingStore store, AttendanceLedger ledger, AlarmStore alarms, FleetEventLog fleet,
                          ReportSchools schools, SchoolRulesSource rules, Clock clock, long gatewayGraceMillis,
                          long deviceGraceMillis) {
        this.store = store;
        this.ledger = ledger;
        this.alarms = alarms;
        this.fleet = fleet;
        this.schools = schools;
        this.rules = rules;
        this.clock = clock;
        this.gatewayGraceMillis = gatewayGraceMillis;
        this.deviceGraceMillis = deviceGraceMillis;
    }

    /** With the graces of the hub's silence checks ({@code fleet.*}). */
    public static MonthlyReports of(ReadingStore store, AttendanceLedger ledger, AlarmStore alarms, FleetEventLog fleet,
                                    ReportSchools schools, SchoolRulesSource rules, Clock clock,
                                    org.smartschool.hub.config.FleetConfig config) {
        long deviceGrace = 1000L * Math.max(config.sensorMinSilentSeconds(),
                (long) config.sensorSilentIntervals() * config.sensorDefaultIntervalSeconds());
        return new MonthlyReports(store, ledger, alarms, fleet, schools, rules, clock, config.gatewaySilentSeconds() * 1000L,
                deviceGrace);
    }

    public ReportSchools schools() {
        return schools;
    }

    /** The school's time zone: its lesson hours' (Asia/Ho_Chi_Minh unless configured otherwise). */
    public java.time.ZoneId zoneOf(String school) {
        return rules.rulesOf(school).toLessonHours().zone();
    }

    /**
     * @throws IllegalArgumentException when the month has not started yet in the school's time zone
     */
    public MonthlyReport school(String school, YearMonth yearMonth) {
        RulesSettings settings = rules.rulesOf(school);
        LessonHours hours = settings.toLessonHours();
        ReportMonth month = new ReportMonth(yearMonth, hours.zone());
        long now = clock.millis();
        if (month.isFuture(now)) {
            throw new IllegalArgumentException("month " + yearMonth + " has not started yet");
        }
        long from = month.fromMillis();
        long to = Math.min(month.toMillis(), now);
        LessonTime lessons = new LessonTime(hours);
        List<DeviceLastSeen> devices = store.devicesLastSeen(school);
        List<ComplianceRow> compliance = EnvironmentCompliance.compute(settings.toRuleBook(), lessons, from, to, devices,
                (quantity, step) -> store.schoolSeries(new SchoolSeriesQuery(school, quantity, from, to, Duration.ofMillis(step),
                        localOffset(hours.zone(), from, step))));
        AttendanceSummary attendance = AttendanceSummary.of(attendance(school, month, to));
        AlarmStatistics alarmStats = AlarmStatistics.of(alarms.alarms(new AlarmQuery(school, null, null, from, to, MAX_ROWS)));
        List<AvailabilityRow> availability = availability(school, devices, from, to);
        return new MonthlyReport(school, schools.name(school), month, now, to - from, lessons.overlapMillis(from, to),
                compliance, attendance, alarmStats, availability);
    }

    /** Every known school's headline figures for the month (a school whose month has not started is left out). */
    public DistrictReport district(YearMonth yearMonth) {
        List<MonthlyReport.Headline> rows = new ArrayList<>();
        java.time.ZoneId zone = LessonHours.VIETNAM;
        for (String school : schools.schools()) {
            MonthlyReport report;
            try {
                report = school(school, yearMonth);
            } catch (IllegalArgumentException notYet) {
                continue;
            }
            zone = report.month().zone();
            rows.add(report.headline());
        }
        return new DistrictReport(new ReportMonth(yearMonth, zone), clock.millis(), List.copyOf(rows));
    }

    /**
     * Where steps start so that they are aligned to the school's local clock (a day step from local midnight): local
     * time t + zoneOffset is a multiple of the step, so the offset is {@code -zoneOffset} modulo the step.
     */
    static long localOffset(java.time.ZoneId zone, long atMillis, long stepMillis) {
        long zoneOffset = zone.getRules().getOffset(java.time.Instant.ofEpochMilli(atMillis)).getTotalSeconds() * 1000L;
        return Math.floorMod(-zoneOffset, stepMillis);
    }

    private List<AttendanceCounts> attendance(String school, ReportMonth month, long to) {
        LocalDate last = java.time.Instant.ofEpochMilli(Math.max(month.fromMillis(), to - 1)).atZone(month.zone()).toLocalDate();
        List<AttendanceCounts> out = new ArrayList<>();
        for (LocalDate day = month.month().atDay(1); !day.isAfter(last); day = day.plusDays(1)) {
            out.addAll(ledger.counts(school, day));
        }
        return out;
    }

    private List<AvailabilityRow> availability(String school, List<DeviceLastSeen> devices, long from, long to) {
        List<FleetEvent> within = new ArrayList<>(fleet.query(new FleetEventQuery(school, null, null, from, to, MAX_ROWS)));
        Collections.reverse(within); // oldest first
        List<FleetEvent> earlier = fleet.query(new FleetEventQuery(school, null, null, 0, from, MAX_EARLIER_EVENTS));

        Map<String, Long> gatewaySeen = new TreeMap<>();
        schools.gateways(school).forEach(g -> gatewaySeen.put(g, 0L));
        for (GatewayStatus s : store.gatewayStatuses()) {
            if (s.school().equals(school)) {
                gatewaySeen.put(s.gateway(), s.lastSeen());
            }
        }
        Map<String, Long> deviceSeen = new TreeMap<>();
        devices.forEach(d -> deviceSeen.put(d.room() + "/" + d.device(), d.lastSeen()));

        Map<String, Boolean> before = new HashMap<>();
        for (FleetEvent e : earlier) { // newest first: the first change of each is its state at the month's start
            String key = key(e);
            Boolean online = online(e);
            if (key != null && online != null) {
                before.putIfAbsent(key, online);
            }
        }
        Map<String, List<Availability.Change>> changes = new HashMap<>();
        for (FleetEvent e : within) {
            String key = key(e);
            Boolean online = online(e);
            if (key != null && online != null) {
                changes.computeIfAbsent(key, k -> new ArrayList<>()).add(new Availability.Change(e.time(), online));
                if (key.startsWith(AvailabilityRow.GATEWAY + ':')) {
                    gatewaySeen.putIfAbsent(e.gateway(), 0L);
                } else {
                    deviceSeen.putIfAbsent(e.room() + "/" + e.device(), 0L);
                }
            }
        }
        before.keySet().forEach(key -> {
            if (key.startsWith(AvailabilityRow.GATEWAY + ':')) {
                gatewaySeen.putIfAbsent(key.substring(AvailabilityRow.GATEWAY.length() + 1), 0L);
            }
        });
        List<AvailabilityRow> rows = new ArrayList<>();
        for (Map.Entry<String, Long> g : gatewaySeen.entrySet()) {
            String key = AvailabilityRow.GATEWAY + ':' + g.getKey();
            rows.add(new AvailabilityRow(AvailabilityRow.GATEWAY, g.getKey(), to - from, Availability.onlineMillis(
                    before.get(key), changes.getOrDefault(key, List.of()), g.getValue(), gatewayGraceMillis, from, to)));
        }
        for (String id : new TreeSet<>(deviceSeen.keySet())) {
            String key = AvailabilityRow.DEVICE + ':' + id;
            rows.add(new AvailabilityRow(AvailabilityRow.DEVICE, id, to - from, Availability.onlineMillis(
                    before.get(key), changes.getOrDefault(key, List.of()), deviceSeen.get(id), deviceGraceMillis, from, to)));
        }
        return List.copyOf(rows);
    }

    /** {@code gateway:ID} or {@code device:ROOM/DEVICE}; null for an event of neither. */
    private static String key(FleetEvent e) {
        return switch (e.type()) {
            case GATEWAY_ONLINE, GATEWAY_OFFLINE, GATEWAY_SILENT, GATEWAY_BACK -> AvailabilityRow.GATEWAY + ':' + e.gateway();
            case SENSOR_SILENT, SENSOR_BACK -> e.room() == null || e.device() == null ? null
                    : AvailabilityRow.DEVICE + ':' + e.room() + "/" + e.device();
            default -> null;
        };
    }

    /** Online after the event, offline, or null for an event that changes neither. */
    private static Boolean online(FleetEvent e) {
        return switch (e.type()) {
            case GATEWAY_ONLINE, GATEWAY_BACK, SENSOR_BACK -> Boolean.TRUE;
            case GATEWAY_OFFLINE, GATEWAY_SILENT, SENSOR_SILENT -> Boolean.FALSE;
            default -> null;
        };
    }
}
