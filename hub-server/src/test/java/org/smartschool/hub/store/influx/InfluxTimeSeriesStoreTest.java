package org.smartschool.hub.store.influx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.hub.config.InfluxConfig;
import org.smartschool.hub.store.ReadingQuery;
import org.smartschool.hub.store.SeriesPoint;
import org.smartschool.hub.store.StoreRejectedException;
import org.smartschool.hub.store.StoredReading;
import org.smartschool.hub.store.TimeSeriesStore;
import org.smartschool.hub.store.TimeSeriesStoreContract;
import org.smartschool.hub.testsupport.StoreContents;
import org.smartschool.hub.testsupport.TestInflux;

/**
 * The time-series contract on the real InfluxDB ({@code SS_TEST_INFLUX_URL}), one database for the
 * class; and what only InfluxDB has: the schema it is given (retention policies, continuous query,
 * tags), the hourly roll-up, and a malformed write refused without a retry.
 */
@Timeout(120)
class InfluxTimeSeriesStoreTest extends TimeSeriesStoreContract {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static String url;
    private static String database;

    private InfluxTimeSeriesStore store;

    @BeforeAll
    static void database() {
        url = TestInflux.url();
        database = TestInflux.uniqueDatabase(InfluxTimeSeriesStoreTest.class);
    }

    @AfterAll
    static void dropDatabase() {
        if (database != null) {
            TestInflux.dropDatabase(url, database);
        }
    }

    @BeforeEach
    void open() {
        store = InfluxTimeSeriesStore.open(TestInflux.config(url, database));
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    @Override
    protected TimeSeriesStore store() {
        return store;
    }

    @Override
    protected String everythingStored() {
        return StoreContents.influx(url, database);
    }

    private static JsonNode query(String influxQl) throws Exception {
        return JSON.readTree(TestInflux.query(url, database, influxQl)).path("results").path(0);
    }

    /** Verifies that opening creates the raw (90 days, default) and hourly (years) policies and the continuous query, and reopening keeps an operator's change. */
    @Test
    void createsRetentionPoliciesAndContinuousQueryWhereMissing() throws Exception {
        JsonNode policies = query("SHOW RETENTION POLICIES ON \"" + database + "\"").path("series").path(0);
        assertThat(policies.path("values").toString())
                .contains("[\"raw\",\"2160h0m0s\"").contains("[\"hourly\",\"87360h0m0s\"");
        int isDefault = columnIndex(policies, "default");
        for (JsonNode row : policies.path("values")) {
            assertThat(row.get(isDefault).asBoolean()).as("default flag of " + row.get(0)).isEqualTo(row.get(0).asText().equals("raw"));
        }
        String queries = query("SHOW CONTINUOUS QUERIES").toString();
        assertThat(queries).contains(InfluxSchema.HOURLY_QUERY).contains("RESAMPLE EVERY 1h FOR 6h")
                .contains("INTO " + database + ".hourly.reading_1h").contains("GROUP BY time(1h), *");

        TestInflux.query(url, null, "ALTER RETENTION POLICY raw ON \"" + database + "\" DURATION 100d");
        try {
            store.close();
            store = InfluxTimeSeriesStore.open(TestInflux.config(url, database));
            assertThat(query("SHOW RETENTION POLICIES ON \"" + database + "\"").toString()).contains("[\"raw\",\"2400h0m0s\"");
        } finally {
            TestInflux.query(url, null, "ALTER RETENTION POLICY raw ON \"" + database + "\" DURATION 90d");
        }
    }

    private static int columnIndex(JsonNode series, String column) {
        JsonNode columns = series.path("columns");
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).asText().equals(column)) {
                return i;
            }
        }
        throw new AssertionError("no column " + column + " in " + series);
    }

    /** Verifies one point per device and timestamp with a float field per quantity, tagged school, room and device only. */
    @Test
    void writesOnePointPerDeviceAndTimeWithAFieldPerQuantity() throws Exception {
        store.write(batch(List.of(
                reading("r1", "air-1", Quantity.CO2, 800, t0),
                reading("r1", "air-1", Quantity.TEMPERATURE, 27.5, t0),
                reading("r1", "air-1", Quantity.HUMIDITY, 71, t0)), List.of()));

        JsonNode series = query("SELECT * FROM raw.reading WHERE school = '" + school + "'").path("series").path(0);
        assertThat(series.path("values")).hasSize(1);
        JsonNode row = series.path("values").path(0);
        assertThat(row.get(columnIndex(series, "time")).asLong()).isEqualTo(t0);
        assertThat(row.get(columnIndex(series, "co2")).asDouble()).isEqualTo(800);
        assertThat(row.get(columnIndex(series, "temperature")).asDouble()).isEqualTo(27.5);
        assertThat(row.get(columnIndex(series, "humidity")).asDouble()).isEqualTo(71);
        assertThat(row.get(columnIndex(series, "device")).asText()).isEqualTo("air-1");
        JsonNode tagKeys = query("SHOW TAG KEYS FROM reading WHERE school = '" + school + "'").path("series").path(0).path("values");
        assertThat(tagKeys.toString()).isEqualTo("[[\"device\"],[\"room\"],[\"school\"]]");
        JsonNode fieldTypes = query("SHOW FIELD KEYS FROM reading").path("series").path(0).path("values");
        assertThat(fieldTypes.toString()).contains("[\"co2\",\"float\"]").contains("[\"temperature\",\"float\"]");
    }

    /** Verifies that an event keeps its id in a field, not a tag, and that a card uid never reaches InfluxDB. */
    @Test
    void eventsKeepIdsOutOfTagsAndPersonalDataOutOfTheDatabase() throws Exception {
        var tap = event("r1", "door-1", EventType.CARD_TAP, t0 + 1_000, Map.of("uid", "04:A2:3B:1C:5D:80"));
        var count = event("r1", "cam-1", EventType.PEOPLE_COUNT, t0 + 2_000, Map.of("count", "31", "detail", "free text"));
        store.write(batch(List.of(), List.of(tap, count)));

        String everything = query("SELECT * FROM raw.event WHERE school = '" + school + "'").toString();
        assertThat(everything).contains(tap.id()).contains(count.id()).contains("\"31\"")
                .doesNotContain("04:A2:3B:1C:5D:80").doesNotContain("free text");
        assertThat(query("SHOW TAG KEYS FROM event WHERE school = '" + school + "'").path("series").path(0).path("values")
                .toString()).isEqualTo("[[\"device\"],[\"room\"],[\"school\"],[\"type\"]]");
    }

    /**
     * Verifies that a known event kind is a tag (two alerts of one detector at one instant are two points)
     * and that a kind outside the fixed set is written neither as a tag nor as a field (bounded cardinality).
     */
    @Test
    void eventKindIsATagFromAFixedSet() throws Exception {
        var smoke = event("r1", "smoke-1", EventType.ALERT, t0 + 1_000, Map.of("kind", "smoke", "active", "true"));
        var tamper = event("r1", "smoke-1", EventType.ALERT, t0 + 1_000, Map.of("kind", "tamper", "active", "false"));
        var odd = event("r1", "smoke-2", EventType.ALERT, t0 + 1_000, Map.of("kind", "unheard-of-1234", "active", "true"));
        store.write(batch(List.of(), List.of(smoke, tamper, odd)));

        JsonNode kinds = query("SHOW TAG VALUES FROM event WITH KEY = kind WHERE school = '" + school + "'")
                .path("series").path(0).path("values");
        assertThat(kinds.toString()).isEqualTo("[[\"kind\",\"smoke\"],[\"kind\",\"tamper\"]]");
        String everything = query("SELECT * FROM raw.event WHERE school = '" + school + "'").toString();
        assertThat(everything).contains(smoke.id()).contains(tamper.id()).contains(odd.id())
                .doesNotContain("unheard-of-1234");
        assertThat(query("SELECT count(id) FROM raw.event WHERE school = '" + school + "' AND device = 'smoke-1'")
                .path("series").path(0).path("values").path(0).path(1).asLong()).isEqualTo(2);
    }

    /** Verifies that the hourly roll-up (the continuous query's statement, run for a window) keeps each hour's mean in the long-term policy. */
    @Test
    void rollsUpHourlyMeansIntoTheLongTermPolicy() {
        store.write(batch(List.of(
                reading("r1", "a", Quantity.CO2, 400, t0),
                reading("r1", "a", Quantity.CO2, 500, t0 + 10 * MINUTE),
                reading("r1", "a", Quantity.CO2, 600, t0 + HOUR + 5 * MINUTE),
                reading("r1", "a", Quantity.CO2, 700, t0 + HOUR + 30 * MINUTE),
                reading("r1", "a", Quantity.CO2, 800, t0 + 3 * HOUR + 59 * MINUTE)), List.of()));

        store.rollUp(t0, t0 + 4 * HOUR);

        ReadingQuery window = new ReadingQuery(school, "r1", Quantity.CO2, Optional.empty(), t0, t0 + 4 * HOUR, 100);
        assertThat(store.hourlyMeans(window)).containsExactly(
                new SeriesPoint(t0, 450), new SeriesPoint(t0 + HOUR, 650), new SeriesPoint(t0 + 3 * HOUR, 800));
    }

    /** Verifies that readings arriving too late for the continuous query (a school's backlog) get their hourly means all the same. */
    @Test
    void rollsUpTheHoursOfALateBacklog() {
        long late = t0 - 2 * HOUR; // eight hours ago: outside the continuous query's 6-hour window
        store.write(batch(List.of(
                reading("r1", "a", Quantity.CO2, 410, late + MINUTE),
                reading("r1", "a", Quantity.CO2, 430, late + 2 * MINUTE),
                reading("r1", "a", Quantity.CO2, 999, t0 + 3 * HOUR)), List.of()));

        assertThat(store.rollUpLateHours()).isEqualTo(1);
        assertThat(store.rollUpLateHours()).isZero();
        // the late hour only: the server's continuous query may roll up the recent one at any top of the hour
        ReadingQuery window = new ReadingQuery(school, "r1", Quantity.CO2, Optional.empty(), late, late + HOUR, 100);
        assertThat(store.hourlyMeans(window)).containsExactly(new SeriesPoint(late, 420));
    }

    /** Verifies that a write InfluxDB refuses as malformed (a field type conflict) fails at once, counted, without retries. */
    @Test
    void refusesAMalformedWriteOnceWithoutRetrying() {
        // another program wrote gas as text into this shard (no other test writes gas): a float gas now conflicts
        TestInflux.writeLines(url, database, "raw",
                "reading,device=gas-1,room=r1,school=" + school + " gas=\"high\" " + t0);
        InfluxTimeSeriesStore.WriteCounts before = store.writeCounts();
        long started = System.nanoTime();

        assertThatThrownBy(() -> store.write(batch(List.of(reading("r1", "gas-1", Quantity.GAS, 12, t0 + 1_000)), List.of())))
                .isInstanceOf(StoreRejectedException.class)
                .hasMessageContaining("rejected batch " + GATEWAY)
                .hasMessageContaining("HTTP 400")
                .hasMessageContaining("field type conflict")
                .hasMessageContaining("report it as a bug");

        assertThat(System.nanoTime() - started).as("no retry loop").isLessThan(3_000_000_000L);
        InfluxTimeSeriesStore.WriteCounts after = store.writeCounts();
        assertThat(after.rejected() - before.rejected()).isEqualTo(1);
        assertThat(after.retries() - before.retries()).isZero();
        assertThat(store.readings(new ReadingQuery(school, "r1", Quantity.GAS, Optional.empty(), t0, t0 + HOUR, 10)))
                .isEmpty();
    }

    /** Verifies that a store opened with a wrong URL fails at start with the URL in the message. */
    @Test
    void failsToOpenWhenInfluxDbDoesNotAnswer() {
        InfluxConfig nowhere = TestInflux.config("http://127.0.0.1:9", database).withTiming(500, 0);

        assertThatThrownBy(() -> InfluxTimeSeriesStore.open(nowhere))
                .hasMessageContaining("http://127.0.0.1:9").hasMessageContaining(database);
    }

    /** Verifies that a reading value stays exact when written as InfluxDB line protocol and read back as JSON. */
    @Test
    void keepsEveryDigitOfAValue() {
        double[] values = {Math.PI, 1.0 / 3, 1e-300, 9.007199254740993E15, -0.0001};
        for (int i = 0; i < values.length; i++) {
            store.write(batch(List.of(reading("r1", "d", Quantity.PRESSURE, values[i], t0 + i)), List.of()));
        }
        List<StoredReading> stored = store.readings(new ReadingQuery(school, "r1", Quantity.PRESSURE, Optional.empty(),
                t0, t0 + HOUR, 10));
        assertThat(stored).extracting(StoredReading::value).containsExactly(Math.PI, 1.0 / 3, 1e-300, 9.007199254740993E15, -0.0001);
    }
}
