package org.smartschool.hub.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.gateway.config.RulesSettings;
import org.smartschool.gateway.rules.LessonHours;
import org.smartschool.hub.config.FleetConfig;
import org.smartschool.hub.config.RegistryConfig;
import org.smartschool.hub.config.StateConfig;
import org.smartschool.hub.report.MonthlyReport;
import org.smartschool.hub.report.MonthlyReports;
import org.smartschool.hub.report.ReportMonth;
import org.smartschool.hub.report.ReportSchools;
import org.smartschool.hub.report.render.ReportPdf;
import org.smartschool.hub.state.StateStores;
import org.smartschool.hub.store.HubStore;
import org.smartschool.hub.store.SqliteTimeSeriesStore;
import org.smartschool.hub.store.TimeSeriesStore;
import org.smartschool.hub.store.influx.InfluxTimeSeriesStore;
import org.smartschool.hub.testsupport.TestInflux;

/**
 * How long a school's monthly report takes: last month filled with {@code rooms} classrooms x 7 quantities every
 * {@code interval} seconds (40 rooms at 300 s: 2.4 million readings), then the report made 3 times (median printed)
 * and its PDF rendered. On InfluxDB ({@code SS_TEST_INFLUX_URL}, a database of its own, dropped after) or, with
 * {@code sqlite} as the first argument, the embedded store. A benchmark run on demand, not a test.
 *
 * <p>Run: {@code ./mvnw -q -pl hub-server -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * -Dmdep.includeScope=test && java -cp hub-server/target/test-classes:hub-server/target/classes:$(cat /tmp/cp.txt)
 * org.smartschool.hub.bench.MonthlyReportBenchmark [influx|sqlite] [rooms] [interval seconds] [schools]}
 *
 * <p>With {@code schools} above 1, each school is filled alike and the district roll-up is timed instead, one school
 * after another ({@code districtParallelism} 1) and concurrently (that of the default 4 read threads: 3), alternately
 * 3 times each (medians printed), with the check that both give the same rows.
 */
public final class MonthlyReportBenchmark {
    private static final Quantity[] QUANTITIES = {Quantity.CO2, Quantity.TEMPERATURE, Quantity.HUMIDITY,
        Quantity.ILLUMINANCE, Quantity.NOISE, Quantity.PM25, Quantity.VOC};
    private static final String SCHOOL = "bench-school";

    private MonthlyReportBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        boolean sqlite = args.length > 0 && args[0].equals("sqlite");
        int rooms = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        int interval = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        int schoolCount = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        Path dir = Files.createTempDirectory("report-bench");
        String url = sqlite ? null : TestInflux.url();
        String database = sqlite ? null : TestInflux.uniqueDatabase(MonthlyReportBenchmark.class);
        TimeSeriesStore series = sqlite ? SqliteTimeSeriesStore.open(dir.resolve("hub-store.db"))
                : InfluxTimeSeriesStore.open(TestInflux.config(url, database));
        YearMonth month = YearMonth.now(LessonHours.VIETNAM).minusMonths(1);
        ReportMonth m = new ReportMonth(month, LessonHours.VIETNAM);
        try (StateStores state = StateStores.open(StateConfig.sqlite(dir.resolve("hub-state.db")), RegistryConfig.DEFAULT,
                dir.resolve("hub-store.db"), Clock.systemUTC())) {
            HubStore store = new HubStore(series, state.hubState());
            long readings = 0;
            for (String school : schoolIds(schoolCount)) {
                readings += fill(store, school, rooms, interval, m.fromMillis(), m.toMillis());
            }
            Map<String, String> kinds = new java.util.HashMap<>();
            for (int r = 0; r < rooms; r++) {
                kinds.put(room(r), "classroom");
            }
            MonthlyReports reports = MonthlyReports.of(store, state.attendanceLedger(s -> false, () -> { }), state.alarms(),
                    state.fleetEvents(), schools(List.of(SCHOOL)), s -> RulesSettings.defaults().withRoomKinds(kinds), Clock.systemUTC(),
                    FleetConfig.DEFAULT);
            if (schoolCount > 1) {
                district(store, state, kinds, month, schoolCount, readings, rooms, interval, sqlite);
                return;
            }
            long[] millis = new long[3];
            MonthlyReport report = null;
            for (int i = 0; i < millis.length; i++) {
                long started = System.nanoTime();
                report = reports.school(SCHOOL, month);
                millis[i] = (System.nanoTime() - started) / 1_000_000;
            }
            long started = System.nanoTime();
            byte[] pdf = ReportPdf.school(report);
            long pdfMillis = (System.nanoTime() - started) / 1_000_000;
            Arrays.sort(millis);
            System.out.printf("%s, %d readings (%d rooms x %d quantities every %d s, %s): report %d ms median (%s), "
                            + "%d compliance rows; PDF %d ms, %d bytes%n", sqlite ? "SQLite" : "InfluxDB", readings, rooms,
                    QUANTITIES.length, interval, month, millis[1], Arrays.toString(millis), report.compliance().size(), pdfMillis,
                    pdf.length);
        } finally {
            series.close();
            if (database != null) {
                TestInflux.dropDatabase(url, database);
            }
        }
    }

    private static void district(HubStore store, StateStores state, Map<String, String> kinds, YearMonth month, int schoolCount,
                                 long readings, int rooms, int interval, boolean sqlite) {
        int parallelism = MonthlyReports.districtParallelism(4);
        MonthlyReports[] byParallelism = new MonthlyReports[2];
        for (int i = 0; i < 2; i++) {
            byParallelism[i] = new MonthlyReports(store, state.attendanceLedger(s -> false, () -> { }), state.alarms(),
                    state.fleetEvents(), schools(schoolIds(schoolCount)), s -> RulesSettings.defaults().withRoomKinds(kinds),
                    Clock.systemUTC(), 60_000, 60_000, org.smartschool.hub.report.SchoolTerms.NONE, i == 0 ? 1 : parallelism);
        }
        long[][] millis = new long[2][3];
        List<MonthlyReport.Headline> first = null;
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 2; i++) {
                long started = System.nanoTime();
                List<MonthlyReport.Headline> rows = byParallelism[i].district(month).schools();
                millis[i][round] = (System.nanoTime() - started) / 1_000_000;
                if (first == null) {
                    first = rows;
                } else if (!first.equals(rows)) {
                    throw new IllegalStateException("the roll-ups differ: " + first + " / " + rows);
                }
            }
        }
        Arrays.sort(millis[0]);
        Arrays.sort(millis[1]);
        System.out.printf("%s, district roll-up of %d schools, %d readings (%d rooms x %d quantities every %d s each, %s): "
                        + "one after another %d ms median %s; %d at once %d ms median %s; ratio %.2f%n",
                sqlite ? "SQLite" : "InfluxDB", schoolCount, readings, rooms, QUANTITIES.length, interval, month, millis[0][1],
                Arrays.toString(millis[0]), parallelism, millis[1][1], Arrays.toString(millis[1]),
                (double) millis[1][1] / millis[0][1]);
    }

    private static List<String> schoolIds(int count) {
        if (count <= 1) {
            return List.of(SCHOOL);
        }
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            out.add(String.format(java.util.Locale.ROOT, "%s-%02d", SCHOOL, i));
        }
        return out;
    }

    private static long fill(HubStore store, String school, int rooms, int interval, long from, long to) {
        long count = 0;
        int batch = 0;
        List<Reading> readings = new ArrayList<>();
        for (long t = from; t < to; t += interval * 1000L) {
            double hour = ((t / 3_600_000L) + 7) % 24;
            double occupied = hour >= 7 && hour < 17 ? 1 : 0;
            for (int r = 0; r < rooms; r++) {
                DeviceRef device = new DeviceRef(school, room(r), room(r) + "-air");
                double wave = Math.sin((t / 60_000L + r * 7) / 37.0);
                double[] values = {500 + occupied * (450 + 300 * wave), 26 + 3 * wave, 65 + 10 * wave, 200 + occupied * 250,
                    40 + occupied * (12 + 5 * wave), 12 + 6 * wave, 150 + 50 * wave};
                for (int q = 0; q < QUANTITIES.length; q++) {
                    readings.add(Reading.of(device, QUANTITIES[q], Math.round(values[q] * 10) / 10.0, t));
                }
            }
            if (readings.size() >= 5_000) {
                store.storeBatch(new Batch(school + "-" + (++batch), "gw-bench", school, readings, List.of()));
                count += readings.size();
                readings = new ArrayList<>();
            }
        }
        if (!readings.isEmpty()) {
            store.storeBatch(new Batch(school + "-" + (++batch), "gw-bench", school, readings, List.of()));
            count += readings.size();
        }
        return count;
    }

    private static String room(int r) {
        return String.format(java.util.Locale.ROOT, "r%03d", r + 1);
    }

    private static ReportSchools schools(List<String> ids) {
        return new ReportSchools() {
            @Override
            public List<String> schools() {
                return ids;
            }

            @Override
            public boolean knows(String school) {
                return ids.contains(school);
            }

            @Override
            public String name(String school) {
                return "THCS Nguyễn Du";
            }

            @Override
            public Set<String> gateways(String school) {
                return Set.of("gw-bench");
            }
        };
    }
}
