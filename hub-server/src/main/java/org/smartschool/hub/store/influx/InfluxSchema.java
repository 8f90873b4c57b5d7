package org.smartschool.hub.store.influx;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.influxdb.InfluxDB;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;
import org.smartschool.hub.store.StoreException;

/**
 * The names of the time-series schema (docs/storage.md) and its creation in InfluxDB 1.x: the
 * database, a raw retention policy for recent readings (the default one) and a long-term one that a
 * continuous query fills with hourly means. Only what is missing is created: an operator's changes
 * (a longer raw retention, say) are kept.
 */
public final class InfluxSchema {
    /** One point per device and timestamp, one float field per quantity ({@code co2}, {@code temperature}...). */
    public static final String READING = "reading";
    /** One point per device event: field {@code id} and the event's non-personal attributes. */
    public static final String EVENT = "event";
    /**
     * Attendance counts, never a learner: one point per school, class, session (and period) and school day (at
     * 00:00 UTC of the date), an integer field per category ({@code present}, {@code late},
     * {@code excused_absence}, {@code unexcused_absence}); a correction writes the point again.
     */
    public static final String ATTENDANCE = "attendance";
    public static final String TAG_CLASS = "class";
    public static final String TAG_SESSION = "session";
    /** Only on period-level counts (labs): session-level counts have no such tag. */
    public static final String TAG_PERIOD = "period";
    /** Hourly means of {@link #READING}, fields {@code mean_co2}, {@code mean_temperature}... */
    public static final String READING_HOURLY = "reading_1h";

    public static final String TAG_SCHOOL = "school";
    public static final String TAG_ROOM = "room";
    public static final String TAG_ROOM_KIND = "room_kind";
    public static final String TAG_DEVICE = "device";
    public static final String TAG_EVENT_TYPE = "type";
    /** An alert's or a people counter's kind ({@code smoke}, {@code tamper}, {@code line_crossing}...): part of the event's identity. */
    public static final String TAG_EVENT_KIND = "kind";
    public static final String FIELD_EVENT_ID = "id";

    public static final String RAW_POLICY = "raw";
    public static final String RAW_DURATION = "90d";
    public static final String HOURLY_POLICY = "hourly";
    /** About ten years. */
    public static final String HOURLY_DURATION = "520w";
    public static final String HOURLY_QUERY = "reading_1h_mean";
    /**
     * Every hour the continuous query recomputes the last 6 hours, so a batch that arrives up to 6 hours
     * late (a school's link was down) is still in the hourly means; the hours of older backlogs are
     * rolled up by the store ({@link InfluxTimeSeriesStore#rollUpLateHours}).
     */
    public static final String HOURLY_RESAMPLE = "RESAMPLE EVERY 1h FOR 6h";
    /** Readings older than this when written miss the continuous query: the store rolls their hours up itself. */
    public static final long LATE_AFTER_MILLIS = 5 * 3_600_000L;

    private InfluxSchema() {
    }

    /** The body of the hourly roll-up, also run by hand for a backfill with a time condition added. */
    static String hourlySelect(String database, String condition) {
        return "SELECT mean(*) INTO " + InfluxQl.ident(database) + "." + InfluxQl.ident(HOURLY_POLICY) + "."
                + InfluxQl.ident(READING_HOURLY) + " FROM " + InfluxQl.ident(database) + "." + InfluxQl.ident(RAW_POLICY)
                + "." + InfluxQl.ident(READING) + (condition.isEmpty() ? "" : " WHERE " + condition)
                + " GROUP BY time(1h), *";
    }

    /** Creates the database, the retention policies and the continuous query where missing. */
    static void ensure(InfluxDB influx, String database) {
        String db = InfluxQl.ident(database);
        run(influx, null, "CREATE DATABASE " + db);
        Set<String> policies = names(query(influx, database, "SHOW RETENTION POLICIES ON " + db), null);
        if (!policies.contains(RAW_POLICY)) {
            run(influx, database, "CREATE RETENTION POLICY " + InfluxQl.ident(RAW_POLICY) + " ON " + db
                    + " DURATION " + RAW_DURATION + " REPLICATION 1 DEFAULT");
        }
        if (!policies.contains(HOURLY_POLICY)) {
            run(influx, database, "CREATE RETENTION POLICY " + InfluxQl.ident(HOURLY_POLICY) + " ON " + db
                    + " DURATION " + HOURLY_DURATION + " REPLICATION 1");
        }
        Set<String> queries = names(query(influx, database, "SHOW CONTINUOUS QUERIES"), database);
        if (!queries.contains(HOURLY_QUERY)) {
            run(influx, database, "CREATE CONTINUOUS QUERY " + InfluxQl.ident(HOURLY_QUERY) + " ON " + db + " "
                    + HOURLY_RESAMPLE + " BEGIN " + hourlySelect(database, "") + " END");
        }
    }

    /** The {@code name} column of every series (of the one named {@code seriesName} when not null). */
    private static Set<String> names(QueryResult result, String seriesName) {
        List<String> out = new ArrayList<>();
        for (QueryResult.Result r : result.getResults()) {
            if (r.getSeries() == null) {
                continue;
            }
            for (QueryResult.Series series : r.getSeries()) {
                if (seriesName != null && !seriesName.equals(series.getName())) {
                    continue;
                }
                int name = series.getColumns().indexOf("name");
                if (name >= 0 && series.getValues() != null) {
                    series.getValues().forEach(row -> out.add(String.valueOf(row.get(name))));
                }
            }
        }
        return out.stream().collect(Collectors.toSet());
    }

    static QueryResult query(InfluxDB influx, String database, String command) {
        QueryResult result = influx.query(new Query(command, database));
        check(command, result);
        return result;
    }

    static void run(InfluxDB influx, String database, String command) {
        check(command, influx.query(new Query(command, database, true)));
    }

    static void check(String command, QueryResult result) {
        String error = result.getError();
        if (error == null && result.getResults() != null) {
            error = result.getResults().stream().filter(QueryResult.Result::hasError)
                    .map(QueryResult.Result::getError).findFirst().orElse(null);
        }
        if (error != null) {
            throw new StoreException("InfluxDB refused '" + command + "': " + error, null);
        }
    }
}
