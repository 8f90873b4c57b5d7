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
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.bridge.text.SafeText;

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
 *
 * <p>The district roll-up makes its schools' reports concurrently on a pool of its own, bounded for the whole hub
 * ({@code districtParallelism} threads however many roll-ups run), so a large district takes a fraction of the
 * time without taking the API's read threads: the roll-up's caller holds one read thread while it waits.
 */
public final class MonthlyReports {
    private static final Logger LOG = LoggerFactory.getLogger(MonthlyReports.class);
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
    private final SchoolTerms terms;
    private final int districtParallelism;
    /** Made at the first roll-up; its idle threads end, so nothing needs closing. */
    private volatile ThreadPoolExecutor districtPool;
    private final AtomicLong districtFailures = new AtomicLong();

    /**
     * No term known for any school (every weekday of the lesson hours is a school day); the roll-up one school after
     * another.
     *
     * @param gatewayGraceMillis how long after its last contact the hub takes a gateway for silent ({@code fleet.gatewaySilentSeconds})
     * @param deviceGraceMillis  the same for a device
     */
    public MonthlyReports(ReadingStore store, AttendanceLedger ledger, AlarmStore alarms, FleetEventLog fleet,
                          ReportSchools schools, SchoolRulesSource rules, Clock clock, long gatewayGraceMillis,
                          long deviceGraceMillis) {
        this(store, ledger, alarms, fleet, schools, rules, clock, gatewayGraceMillis, deviceGraceMillis, SchoolTerms.NONE, 1);
    }

    /**
     * @param terms               each school's term from its roster: its holidays and the days outside it are not
     *                            lesson time
     * @param districtParallelism how many schools' reports the roll-ups make at once, over the whole hub (1: in the
     *                            caller's thread, one after another)
     */
    public MonthlyReports(ReadingStore store, AttendanceLedger ledger, AlarmStore alarms, FleetEventLog fleet,
                          ReportSchools schools, SchoolRulesSource rules, Clock clock, long gatewayGraceMillis,
                          long deviceGraceMillis, SchoolTerms terms, int districtParallelism) {
        if (districtParallelism < 1) {
            throw new IllegalArgumentException("districtParallelism must be at least 1, not " + districtParallelism);
        }
        this.terms = java.util.Objects.requireNonNull(terms, "terms");
        this.districtParallelism = districtParallelism;
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
        return of(store, ledger, alarms, fleet, schools, rules, clock, config, SchoolTerms.NONE, 1);
    }

    /** With the graces of the hub's silence checks ({@code fleet.*}), the schools' terms and a concurrent roll-up. */
    public static MonthlyReports of(ReadingStore store, AttendanceLedger ledger, AlarmStore alarms, FleetEventLog fleet,
                                    ReportSchools schools, SchoolRulesSource rules, Clock clock,
                                    org.smartschool.hub.config.FleetConfig config, SchoolTerms terms,
                                    int districtParallelism) {
        long deviceGrace = 1000L * Math.max(config.sensorMinSilentSeconds(),
                (long) config.sensorSilentIntervals() * config.sensorDefaultIntervalSeconds());
        return new MonthlyReports(store, ledger, alarms, fleet, schools, rules, clock, config.gatewaySilentSeconds() * 1000L,
                deviceGrace, terms, districtParallelism);
    }

    /**
     * How many schools a roll-up may make at once beside the API's other reads: one read thread is the roll-up's
     * caller and one stays free for the rest, up to 4 (beyond that the store is the bottleneck).
     */
    public static int districtParallelism(int readThreads) {
        return Math.max(1, Math.min(4, readThreads - 1));
    }

    /**
     * {@link #districtParallelism(int)} on InfluxDB; 1 on the embedded SQLite store, whose reads share one connection
     * (a concurrent roll-up measured 15% slower there: README, "Performance").
     */
    public static int districtParallelism(int readThreads, String storeKind) {
        return org.smartschool.hub.config.StoreConfig.INFLUX.equals(storeKind) ? districtParallelism(readThreads) : 1;
    }

    /** School reports that failed within a district roll-up (each failed the roll-up), since start. */
    public long districtSchoolFailures() {
        return districtFailures.get();
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
        return started(school, yearMonth).orElseThrow(
                () -> new IllegalArgumentException("month " + yearMonth + " has not started yet"));
    }

    /** The school's report; empty when the month has not started yet in its time zone. */
    private Optional<MonthlyReport> started(String school, YearMonth yearMonth) {
        RulesSettings settings = rules.rulesOf(school);
        LessonHours hours = settings.toLessonHours();
        ReportMonth month = new ReportMonth(yearMonth, hours.zone());
        long now = clock.millis();
        if (month.isFuture(now)) {
            return Optional.empty();
        }
        long from = month.fromMillis();
        long to = Math.min(month.toMillis(), now);
        // holidays and days outside the term are not lesson time (the roster's term, when the school has one)
        LessonTime lessons = terms.termOf(school).map(term -> new LessonTime(hours, term::isSchoolDay))
                .orElseGet(() -> new LessonTime(hours));
        List<DeviceLastSeen> devices = store.devicesLastSeen(school);
        List<ComplianceRow> compliance = EnvironmentCompliance.compute(settings.toRuleBook(), lessons, from, to, devices,
                (quantity, step) -> store.schoolSeries(new SchoolSeriesQuery(school, quantity, from, to, Duration.ofMillis(step),
                        localOffset(hours.zone(), from, step))));
        AttendanceSummary attendance = AttendanceSummary.of(attendance(school, month, to));
        AlarmStatistics alarmStats = AlarmStatistics.of(alarms.alarms(new AlarmQuery(school, null, null, from, to, MAX_ROWS)));
        List<AvailabilityRow> availability = availability(school, devices, from, to);
        return Optional.of(new MonthlyReport(school, schools.name(school), month, now, to - from,
                lessons.overlapMillis(from, to), compliance, attendance, alarmStats, availability));
    }

    /**
     * Every known school's headline figures for the month, by school id (a school whose month has not started is
     * left out). The schools are made concurrently ({@code districtParallelism}).
     *
     * @throws DistrictReportException when a school's report fails: the roll-up is not made without it
     */
    public DistrictReport district(YearMonth yearMonth) {
        List<String> ids = schools.schools();
        boolean concurrent = districtParallelism > 1 && ids.size() > 1;
        List<CompletableFuture<Optional<MonthlyReport>>> made = new ArrayList<>(ids.size());
        if (concurrent) {
            ThreadPoolExecutor pool = districtPool();
            ids.forEach(school -> made.add(CompletableFuture.supplyAsync(() -> started(school, yearMonth), pool)));
        }
        List<MonthlyReport.Headline> rows = new ArrayList<>();
        java.time.ZoneId zone = LessonHours.VIETNAM;
        for (int i = 0; i < ids.size(); i++) {
            Optional<MonthlyReport> report;
            try {
                report = concurrent ? made.get(i).join() : started(ids.get(i), yearMonth);
            } catch (RuntimeException e) {
                made.forEach(f -> f.cancel(false)); // the schools not begun yet are not made for nothing
                districtFailures.incrementAndGet();
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                String school = SafeText.clean(ids.get(i), 64);
                LOG.warn("[school: {}] the district roll-up of {} failed at this school: {}", school, yearMonth,
                        SafeText.clean(String.valueOf(cause), 300));
                throw new DistrictReportException(school, yearMonth, cause);
            }
            if (report.isPresent()) {
                zone = report.get().month().zone();
                rows.add(report.get().headline());
            }
        }
        return new DistrictReport(new ReportMonth(yearMonth, zone), clock.millis(), List.copyOf(rows));
    }

    private ThreadPoolExecutor districtPool() {
        ThreadPoolExecutor pool = districtPool;
        if (pool == null) {
            synchronized (this) {
                pool = districtPool;
                if (pool == null) {
                    AtomicInteger n = new AtomicInteger();
                    pool = new ThreadPoolExecutor(districtParallelism, districtParallelism, 30, TimeUnit.SECONDS,
                            new LinkedBlockingQueue<>(), r -> {
                                Thread t = new Thread(r, "report-district-" + n.incrementAndGet());
                                t.setDaemon(true);
                                return t;
                            });
                    pool.allowCoreThreadTimeOut(true);
                    districtPool = pool;
                }
            }
        }
        return pool;
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
