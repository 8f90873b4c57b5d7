package org.smartschool.hub.store.influx;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBException;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.bridge.attendance.AttendanceCategory;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.gateway.mqtt.NoDelaySockets;
import org.smartschool.hub.attendance.AttendanceCounts;
import org.smartschool.hub.config.InfluxConfig;
import org.smartschool.hub.store.DeviceLastSeen;
import org.smartschool.hub.store.DeviceStep;
import org.smartschool.hub.store.EventQuery;
import org.smartschool.hub.store.LatestValue;
import org.smartschool.hub.store.ReadingQuery;
import org.smartschool.hub.store.RoomKinds;
import org.smartschool.hub.store.RoomRef;
import org.smartschool.hub.store.SchoolSeriesQuery;
import org.smartschool.hub.store.SeriesPoint;
import org.smartschool.hub.store.SeriesQuery;
import org.smartschool.hub.store.StoreException;
import org.smartschool.hub.store.StoredEvent;
import org.smartschool.hub.store.StoredReading;
import org.smartschool.hub.store.TimeSeriesStore;

/**
 * Time series in InfluxDB through influxdb-java: v1 {@code /write} (line protocol) and InfluxQL, so it
 * works with InfluxDB 1.x and with 2.x and 3.x through their v1 APIs. The schema is
 * {@code docs/storage.md}; {@link InfluxSchema} creates it.
 *
 * <p>influxdb-java's own batch mode is left off: it acknowledges a point when it is buffered, and the
 * hub may acknowledge a batch only when InfluxDB has it. Each call returns when InfluxDB accepted its
 * batch; the batches of the store worker threads that wait at one moment share one request
 * ({@link WriteGroups}, {@link InfluxWriter}).
 */
public final class InfluxTimeSeriesStore implements TimeSeriesStore {
    private static final Logger LOG = LoggerFactory.getLogger(InfluxTimeSeriesStore.class);
    /** A week of a hundred schools' hours. */
    private static final int MAX_LATE_HOURS = 100 * 24 * 7;
    /**
     * Group commit ({@link WriteGroups}): at most 3 requests at once, each up to 5,000 points (InfluxDB's
     * recommended batch size). A write's time is mostly InfluxDB's latency (its WAL), not CPU: with 96 store
     * threads, 3 requests wrote 361,000 readings/s, 2 wrote 319,000, 8 (smaller ones) 330,000 (ingest benchmark,
     * README "Performance"). Tried again on 2026-12-03 at load 7-15: 2 requests made bigger writes (~2,100 points
     * instead of ~1,300) and cost InfluxDB less CPU per reading at the maximum rate (1.3-1.9 CPU-s per million
     * readings against 1.5-2.5), but one gateway's replay after an outage (latency-bound: a window of 8 batches) may
     * lose by it and swung too much to tell (18,555-45,537 readings/s with 2; main with 3: 12,876-42,448), so 3
     * stay until a quiet machine decides. Compared again on 2026-12-04 by CPU-seconds per million readings (less
     * sensitive to the load than rates; load 3-16, 2-4 runs each): 1 request made ~2,300-3,400-point writes, 2
     * ~1,100-1,600, 3 ~900-1,400, and the hub's store threads (0.75-1.26, 0.86-1.30, 0.83-1.48) and influxd (1.8-2.3,
     * 1.8-2.3, 1.8-2.9) showed no difference the noise could tell: InfluxDB's extra cost per reading when fed by the
     * hub is not mostly request size (README, "Performance"). 3 stay, for the latency at moderate rates.
     */
    public static final int GROUP_REQUESTS = 3;
    private static final int GROUP_POINTS = 5_000;
    private final InfluxDB influx;
    private final InfluxConfig config;
    private final String from;
    private final InfluxPoints points;
    private final InfluxWriter writer;
    private final WriteGroups groups;
    /** Null until {@link #bindMetrics}. */
    private volatile Timer renderTime;
    private final LateHours lateHours = new LateHours(System::currentTimeMillis, InfluxSchema.LATE_AFTER_MILLIS, MAX_LATE_HOURS);
    private final ScheduledExecutorService rollUps = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "influx-late-rollup");
        t.setDaemon(true);
        return t;
    });

    private InfluxTimeSeriesStore(InfluxDB influx, InfluxConfig config, RoomKinds roomKinds) {
        this.influx = influx;
        this.config = config;
        this.from = InfluxQl.ident(config.database()) + "." + InfluxQl.ident(InfluxSchema.RAW_POLICY) + ".";
        this.points = new InfluxPoints(roomKinds);
        this.writer = new InfluxWriter(influx, config.database(), config.retryMillis());
        this.groups = new WriteGroups(writer, GROUP_REQUESTS, GROUP_POINTS);
    }

    public static InfluxTimeSeriesStore open(InfluxConfig config) {
        return open(config, RoomKinds.NONE);
    }

    /**
     * Connects, and creates the database, retention policies and continuous query where missing
     * ({@code createSchema}); fails when InfluxDB does not answer.
     */
    public static InfluxTimeSeriesStore open(InfluxConfig config, RoomKinds roomKinds) {
        Duration timeout = Duration.ofMillis(config.timeoutMillis());
        OkHttpClient.Builder http = new OkHttpClient.Builder()
                .connectTimeout(timeout)
                .readTimeout(timeout)
                .writeTimeout(timeout)
                // one connection per store worker thread stays open between batches
                .connectionPool(new ConnectionPool(16, 5, TimeUnit.MINUTES))
                // without it each /write waited for a delayed ACK (NoDelaySockets); https connections too: OkHttp
                // layers TLS on the plain socket this makes
                .socketFactory(new NoDelaySockets())
                .addInterceptor(new WriteStatusInterceptor());
        InfluxDB influx;
        try {
            influx = config.username() == null
                    ? InfluxDBFactory.connect(config.url(), http)
                    : InfluxDBFactory.connect(config.url(), config.username(), config.password(), http);
        } catch (InfluxDBException | IllegalArgumentException e) {
            throw new StoreException("cannot reach InfluxDB at " + config.url() + ": " + e.getMessage(), e);
        }
        if (influx.isBatchEnabled()) {
            influx.disableBatch();
        }
        InfluxTimeSeriesStore store = new InfluxTimeSeriesStore(influx, config, roomKinds);
        try {
            if (config.createSchema()) {
                InfluxSchema.ensure(influx, config.database());
            }
            store.ping();
            if (config.createSchema()) {
                // a minute's delay gathers a backlog's many batches into one roll-up per school and hour
                store.rollUps.scheduleWithFixedDelay(store::rollUpLateHoursQuietly, 1, 1, TimeUnit.MINUTES);
            }
            return store;
        } catch (InfluxDBException | StoreException e) {
            store.rollUps.shutdownNow();
            influx.close();
            throw new StoreException("cannot open InfluxDB database " + config.database() + " at " + config.url() + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void write(Batch batch) {
        long started = System.nanoTime();
        InfluxPoints.Lines lines = points.of(batch);
        Timer timer = renderTime;
        if (timer != null) {
            timer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
        groups.write(lines, "batch " + batch.batchId());
        lateHours.note(batch);
    }

    @Override
    public void writeAttendance(List<AttendanceCounts> counts) {
        if (!counts.isEmpty()) {
            groups.write(InfluxPoints.attendance(counts), counts.size() + " attendance counts");
        }
    }

    @Override
    public List<AttendanceCounts> attendance(String school, LocalDate from, LocalDate to) {
        String sql = "SELECT " + Arrays.stream(AttendanceCategory.values()).map(c -> InfluxQl.ident(c.id()))
                .collect(Collectors.joining(", ")) + " FROM " + from(InfluxSchema.ATTENDANCE)
                + " WHERE " + InfluxQl.ident(InfluxSchema.TAG_SCHOOL) + " = " + InfluxQl.string(school)
                + " AND " + InfluxQl.window(InfluxPoints.dayMillis(from), InfluxPoints.dayMillis(to.plusDays(1)))
                + " GROUP BY " + InfluxQl.ident(InfluxSchema.TAG_CLASS) + ", " + InfluxQl.ident(InfluxSchema.TAG_SESSION)
                + ", " + InfluxQl.ident(InfluxSchema.TAG_PERIOD);
        List<AttendanceCounts> out = new ArrayList<>();
        for (QueryResult.Series series : seriesOf(select(sql).get(0))) {
            Map<String, String> tags = series.getTags();
            String period = tags.get(InfluxSchema.TAG_PERIOD);
            for (List<Object> row : series.getValues()) {
                out.add(new AttendanceCounts(school, LocalDate.ofEpochDay(Math.floorDiv(millis(row.get(0)), 86_400_000L)),
                        tags.get(InfluxSchema.TAG_CLASS), tags.get(InfluxSchema.TAG_SESSION),
                        period == null || period.isEmpty() ? null : period,
                        count(row.get(1)), count(row.get(2)), count(row.get(3)), count(row.get(4))));
            }
        }
        out.sort(Comparator.comparing(AttendanceCounts::date).thenComparing(AttendanceCounts::classId)
                .thenComparing(AttendanceCounts::session).thenComparing(c -> c.period() == null ? "" : c.period()));
        return out;
    }

    private String from(String measurement) {
        return from + InfluxQl.ident(measurement);
    }

    private static int count(Object value) {
        return value instanceof Number n ? n.intValue() : 0;
    }

    @Override
    public List<StoredReading> readings(ReadingQuery query) {
        String field = InfluxQl.ident(query.quantity().id());
        String sql = "SELECT " + field + " FROM " + from + InfluxQl.ident(InfluxSchema.READING)
                + " WHERE " + roomCondition(query) + " GROUP BY " + InfluxQl.ident(InfluxSchema.TAG_DEVICE)
                + " ORDER BY time ASC LIMIT " + query.limit();
        // LIMIT counts per device: the first `limit` of all devices are among the first `limit` of each
        List<StoredReading> out = new ArrayList<>();
        for (QueryResult.Series series : seriesOf(select(sql).get(0))) {
            String device = series.getTags().get(InfluxSchema.TAG_DEVICE);
            for (List<Object> row : series.getValues()) {
                if (row.get(1) instanceof Number) {
                    out.add(new StoredReading(device, number(row.get(1)), millis(row.get(0))));
                }
            }
        }
        out.sort(Comparator.comparingLong(StoredReading::timestamp).thenComparing(StoredReading::device));
        return out.size() > query.limit() ? List.copyOf(out.subList(0, query.limit())) : out;
    }

    @Override
    public List<SeriesPoint> series(SeriesQuery query) {
        ReadingQuery window = query.readings();
        String sql = "SELECT " + query.aggregation().id() + "(" + InfluxQl.ident(window.quantity().id()) + ") FROM "
                + from + InfluxQl.ident(InfluxSchema.READING) + " WHERE " + roomCondition(window)
                + " GROUP BY time(" + query.stepMillis() + "ms) fill(none) LIMIT " + window.limit();
        List<SeriesPoint> out = new ArrayList<>();
        for (QueryResult.Series series : seriesOf(select(sql).get(0))) {
            for (List<Object> row : series.getValues()) {
                if (row.get(1) instanceof Number) {
                    out.add(new SeriesPoint(millis(row.get(0)), number(row.get(1))));
                }
            }
        }
        return out;
    }

    @Override
    public List<DeviceStep> schoolSeries(SchoolSeriesQuery query) {
        String sql = "SELECT mean(" + InfluxQl.ident(query.quantity().id()) + ") FROM " + from(InfluxSchema.READING)
                + " WHERE " + InfluxQl.ident(InfluxSchema.TAG_SCHOOL) + " = " + InfluxQl.string(query.school())
                + " AND " + InfluxQl.window(query.fromMillis(), query.toMillis())
                + " GROUP BY time(" + query.stepMillis() + "ms, " + query.offsetMillis() + "ms), "
                + InfluxQl.ident(InfluxSchema.TAG_ROOM) + ", "
                + InfluxQl.ident(InfluxSchema.TAG_DEVICE) + " fill(none)";
        List<DeviceStep> out = new ArrayList<>();
        for (QueryResult.Series series : seriesOf(select(sql).get(0))) {
            String room = series.getTags().get(InfluxSchema.TAG_ROOM);
            String device = series.getTags().get(InfluxSchema.TAG_DEVICE);
            for (List<Object> row : series.getValues()) {
                if (row.get(1) instanceof Number) {
                    out.add(new DeviceStep(room, device, millis(row.get(0)), number(row.get(1))));
                }
            }
        }
        out.sort(Comparator.comparing(DeviceStep::room).thenComparing(DeviceStep::device)
                .thenComparingLong(DeviceStep::timestamp));
        return out;
    }

    private static String roomCondition(ReadingQuery query) {
        return InfluxQl.ident(InfluxSchema.TAG_SCHOOL) + " = " + InfluxQl.string(query.school())
                + " AND " + InfluxQl.ident(InfluxSchema.TAG_ROOM) + " = " + InfluxQl.string(query.room())
                + query.device().map(d -> " AND " + InfluxQl.ident(InfluxSchema.TAG_DEVICE) + " = " + InfluxQl.string(d))
                        .orElse("")
                + " AND " + InfluxQl.window(query.fromMillis(), query.toMillis());
    }

    @Override
    public List<StoredEvent> events(EventQuery query) {
        String sql = "SELECT " + InfluxQl.ident(InfluxSchema.FIELD_EVENT_ID) + " FROM " + from
                + InfluxQl.ident(InfluxSchema.EVENT) + " WHERE " + InfluxQl.ident(InfluxSchema.TAG_SCHOOL) + " = "
                + InfluxQl.string(query.school()) + " AND " + InfluxQl.ident(InfluxSchema.TAG_ROOM) + " = "
                + InfluxQl.string(query.room()) + " AND " + InfluxQl.window(query.fromMillis(), query.toMillis())
                + " GROUP BY " + InfluxQl.ident(InfluxSchema.TAG_DEVICE) + ", " + InfluxQl.ident(InfluxSchema.TAG_EVENT_TYPE)
                + " ORDER BY time ASC LIMIT " + query.limit();
        List<StoredEvent> out = new ArrayList<>();
        for (QueryResult.Series series : seriesOf(select(sql).get(0))) {
            String device = series.getTags().get(InfluxSchema.TAG_DEVICE);
            // a type this hub version no longer knows is left out rather than failing the answer
            Optional<EventType> type = EventType.byId(series.getTags().get(InfluxSchema.TAG_EVENT_TYPE));
            if (type.isEmpty()) {
                continue;
            }
            for (List<Object> row : series.getValues()) {
                out.add(new StoredEvent(String.valueOf(row.get(1)), device, type.get(), millis(row.get(0))));
            }
        }
        out.sort(Comparator.comparingLong(StoredEvent::timestamp).thenComparing(StoredEvent::device)
                .thenComparing(e -> e.type().id()));
        return out.size() > query.limit() ? List.copyOf(out.subList(0, query.limit())) : out;
    }

    /**
     * One {@code last()} per quantity and device (one request, a statement per quantity); the newest
     * device per room and quantity wins. The raw retention policy bounds how far back it looks: every shard
     * of it is read (6.3 s a quantity on 3 million points), so the hub answers from {@code LatestValueIndex}.
     */
    @Override
    public List<LatestValue> latestValues() {
        return latestValuesSince(null);
    }

    /**
     * As {@link #latestValues()}, of the readings with a source time at or after {@code fromMillis} only: the
     * query reads the shards of that window, not the whole raw retention (see {@code LatestValueIndex}).
     *
     * @param fromMillis UTC epoch ms, or null for no bound
     */
    public List<LatestValue> latestValuesSince(Long fromMillis) {
        String since = fromMillis == null ? "" : " WHERE time >= " + fromMillis + "ms";
        List<Quantity> quantities = Arrays.stream(Quantity.values())
                .sorted(Comparator.comparing(Quantity::id)).toList();
        String sql = quantities.stream()
                .map(q -> "SELECT last(" + InfluxQl.ident(q.id()) + ") FROM " + from + InfluxQl.ident(InfluxSchema.READING)
                        + since + " GROUP BY " + InfluxQl.ident(InfluxSchema.TAG_SCHOOL) + ", " + InfluxQl.ident(InfluxSchema.TAG_ROOM)
                        + ", " + InfluxQl.ident(InfluxSchema.TAG_DEVICE))
                .collect(Collectors.joining("; "));
        List<QueryResult.Result> results = select(sql);
        Map<String, LatestValue> newest = new HashMap<>();
        for (int i = 0; i < results.size() && i < quantities.size(); i++) {
            Quantity quantity = quantities.get(i);
            for (QueryResult.Series series : seriesOf(results.get(i))) {
                Map<String, String> tags = series.getTags();
                for (List<Object> row : series.getValues()) {
                    if (!(row.get(1) instanceof Number)) {
                        continue;
                    }
                    LatestValue value = new LatestValue(tags.get(InfluxSchema.TAG_SCHOOL), tags.get(InfluxSchema.TAG_ROOM),
                            quantity, tags.get(InfluxSchema.TAG_DEVICE), number(row.get(1)), millis(row.get(0)));
                    newest.merge(value.school() + "/" + value.room() + "/" + quantity.id(), value,
                            (a, b) -> b.timestamp() > a.timestamp() ? b : a);
                }
            }
        }
        return newest.values().stream()
                .sorted(Comparator.comparing(LatestValue::school).thenComparing(LatestValue::room)
                        .thenComparing(v -> v.quantity().id()))
                .toList();
    }

    /**
     * One {@code last()} per quantity and one of the events' id, each grouped by room and device, in one
     * request; a device's newest of them wins. The raw retention policy bounds how far back it looks.
     */
    @Override
    public List<DeviceLastSeen> devicesLastSeen(String school) {
        String where = " WHERE " + InfluxQl.ident(InfluxSchema.TAG_SCHOOL) + " = " + InfluxQl.string(school)
                + " GROUP BY " + InfluxQl.ident(InfluxSchema.TAG_ROOM) + ", " + InfluxQl.ident(InfluxSchema.TAG_DEVICE);
        List<String> statements = new ArrayList<>();
        for (Quantity q : Quantity.values()) {
            statements.add("SELECT last(" + InfluxQl.ident(q.id()) + ") FROM " + from + InfluxQl.ident(InfluxSchema.READING) + where);
        }
        statements.add("SELECT last(" + InfluxQl.ident(InfluxSchema.FIELD_EVENT_ID) + ") FROM " + from
                + InfluxQl.ident(InfluxSchema.EVENT) + where);
        Map<List<String>, Long> newest = new HashMap<>();
        for (QueryResult.Result result : select(String.join("; ", statements))) {
            for (QueryResult.Series series : seriesOf(result)) {
                Map<String, String> tags = series.getTags();
                for (List<Object> row : series.getValues()) {
                    newest.merge(List.of(tags.get(InfluxSchema.TAG_ROOM), tags.get(InfluxSchema.TAG_DEVICE)), millis(row.get(0)), Math::max);
                }
            }
        }
        return newest.entrySet().stream()
                .map(e -> new DeviceLastSeen(school, e.getKey().get(0), e.getKey().get(1), e.getValue()))
                .sorted(Comparator.comparing(DeviceLastSeen::room).thenComparing(DeviceLastSeen::device))
                .toList();
    }

    /** From the series keys ({@code reading,device=d,room=r,school=s}): no point is read. */
    @Override
    public List<RoomRef> rooms() {
        QueryResult.Result result = query("SHOW SERIES FROM " + InfluxQl.ident(InfluxSchema.READING) + ", "
                + InfluxQl.ident(InfluxSchema.EVENT), TimeUnit.MILLISECONDS).get(0);
        Set<RoomRef> rooms = new LinkedHashSet<>();
        for (QueryResult.Series series : seriesOf(result)) {
            for (List<Object> row : series.getValues()) {
                Map<String, String> tags = tagsOfSeriesKey(String.valueOf(row.get(0)));
                String school = tags.get(InfluxSchema.TAG_SCHOOL);
                String room = tags.get(InfluxSchema.TAG_ROOM);
                if (school != null && room != null) {
                    rooms.add(new RoomRef(school, room));
                }
            }
        }
        return rooms.stream().sorted(Comparator.comparing(RoomRef::school).thenComparing(RoomRef::room)).toList();
    }

    /** Tag values are ids (no ',', '=', ' ' or '\'), so a series key splits without unescaping. */
    private static Map<String, String> tagsOfSeriesKey(String key) {
        Map<String, String> tags = new HashMap<>();
        String[] parts = key.split(",");
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq > 0) {
                tags.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
            }
        }
        return tags;
    }

    /**
     * Computes the hourly means of {@code [fromMillis, toMillis)} now, as the continuous query does for
     * recent hours: for a backlog that arrived later than the query's resample window, and for tests.
     */
    public void rollUp(long fromMillis, long toMillis) {
        String sql = InfluxSchema.hourlySelect(config.database(), InfluxQl.window(fromMillis, toMillis));
        try {
            InfluxSchema.check(sql, influx.query(new Query(sql, config.database(), true)));
        } catch (InfluxDBException e) {
            throw new StoreException("cannot roll up hourly means: " + e.getMessage(), e);
        }
    }

    /**
     * Computes again the hourly means of every school and hour that received readings too late for the
     * continuous query since the last call (once a minute on its own thread).
     *
     * @return how many school-hours were rolled up
     */
    public int rollUpLateHours() {
        int done = 0;
        for (LateHours.SchoolHour hour : lateHours.drain()) {
            String sql = InfluxSchema.hourlySelect(config.database(), InfluxQl.ident(InfluxSchema.TAG_SCHOOL) + " = "
                    + InfluxQl.string(hour.school()) + " AND " + InfluxQl.window(hour.start(), hour.start() + LateHours.HOUR_MILLIS));
            try {
                InfluxSchema.check(sql, influx.query(new Query(sql, config.database(), true)));
                done++;
            } catch (InfluxDBException | StoreException e) {
                // the hour stays without its mean until an operator runs the roll-up (docs/storage.md)
                LOG.warn("InfluxDB: cannot roll up the late hour {} of school {}: {}", Instant.ofEpochMilli(hour.start()),
                        hour.school(), e.getMessage());
            }
        }
        return done;
    }

    private void rollUpLateHoursQuietly() {
        try {
            rollUpLateHours();
        } catch (RuntimeException e) {
            LOG.warn("InfluxDB: late roll-up failed: {}", e.toString());
        }
    }

    /** The hourly means of one quantity in one room (all devices), from the long-term retention policy. */
    public List<SeriesPoint> hourlyMeans(ReadingQuery query) {
        String sql = "SELECT mean(" + InfluxQl.ident("mean_" + query.quantity().id()) + ") FROM "
                + InfluxQl.ident(config.database()) + "." + InfluxQl.ident(InfluxSchema.HOURLY_POLICY) + "."
                + InfluxQl.ident(InfluxSchema.READING_HOURLY) + " WHERE " + roomCondition(query)
                + " GROUP BY time(1h) fill(none) LIMIT " + query.limit();
        List<SeriesPoint> out = new ArrayList<>();
        for (QueryResult.Series series : seriesOf(select(sql).get(0))) {
            for (List<Object> row : series.getValues()) {
                if (row.get(1) instanceof Number) {
                    out.add(new SeriesPoint(millis(row.get(0)), number(row.get(1))));
                }
            }
        }
        return out;
    }

    @Override
    public void ping() {
        // a query, not /ping: it also proves the database exists and the credentials are good
        query("SHOW MEASUREMENTS LIMIT 1", null);
    }

    @Override
    public void bindMetrics(MeterRegistry registry) {
        writer.bindTo(registry);
        groups.bindTo(registry);
        renderTime = InfluxTimers.latency("hub.influx.render", "Rendering one batch as line protocol", registry);
        FunctionCounter.builder("hub.influx.late.hours.dropped", lateHours, LateHours::dropped)
                .description("School-hours of late readings left without a roll-up (too many waiting)").register(registry);
    }

    /** What the writer has counted since the store opened (also on /metrics). */
    public WriteCounts writeCounts() {
        return new WriteCounts(writer.pointsWritten(), writer.retries(), writer.failedBatches(), writer.rejectedBatches());
    }

    /**
     * @param retries  requests repeated after a 5xx, 429, timeout or broken connection
     * @param failed   batches given up after the retry bound, or refused for configuration (401, 403, 404)
     * @param rejected batches refused as malformed (400)
     */
    public record WriteCounts(long pointsWritten, long retries, long failed, long rejected) {
    }

    @Override
    public void close() {
        rollUps.shutdownNow();
        influx.close();
    }

    private List<QueryResult.Result> select(String sql) {
        return query(sql, TimeUnit.MILLISECONDS);
    }

    private List<QueryResult.Result> query(String sql, TimeUnit precision) {
        QueryResult result;
        try {
            result = precision == null
                    ? influx.query(new Query(sql, config.database()))
                    : influx.query(new Query(sql, config.database()), precision);
        } catch (InfluxDBException e) {
            throw new StoreException("InfluxDB at " + config.url() + " did not answer a query: " + e.getMessage(), e);
        }
        InfluxSchema.check(sql, result);
        return result.getResults();
    }

    private static List<QueryResult.Series> seriesOf(QueryResult.Result result) {
        return result.getSeries() == null ? List.of() : result.getSeries();
    }

    private static long millis(Object time) {
        return ((Number) time).longValue();
    }

    /** Callers skip values that are not numbers: text written by another program into a quantity's field. */
    private static double number(Object value) {
        return ((Number) value).doubleValue();
    }

    @Override
    public String toString() {
        return "InfluxTimeSeriesStore[" + config.url() + ", " + config.database() + "]";
    }
}
