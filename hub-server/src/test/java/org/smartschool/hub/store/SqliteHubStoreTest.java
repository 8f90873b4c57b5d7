package org.smartschool.hub.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.uplink.Batch;

/**
 * The hub store on SQLite alone (readings in the store's file, batch ids and gateway status in the state database
 * {@code hub-state.db} beside it): batch ids, gateway status, durability.
 */
@Timeout(30)
class SqliteHubStoreTest {
    private static final String SCHOOL = "thcs-nguyen-du";
    private static final String GATEWAY = "gw-nguyen-du";
    private static final long T0 = 1_741_568_400_000L;
    private static final DeviceRef CO2_SENSOR = new DeviceRef(SCHOOL, "r1-01", "co2-r1-01");
    private static final Clock RECEIPT_CLOCK = Clock.fixed(Instant.ofEpochMilli(T0 + 3_600_000), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private Path file;
    private HubStore store;

    @BeforeEach
    void open() {
        file = dir.resolve("nested/hub-store.db");
        store = org.smartschool.hub.testsupport.TestStores.sqlite(file, RECEIPT_CLOCK);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static Batch batch(String id, List<Reading> readings, List<DeviceEvent> events) {
        return new Batch(id, GATEWAY, SCHOOL, readings, events);
    }

    private static Reading co2(double value, long timestamp) {
        return Reading.of(CO2_SENSOR, Quantity.CO2, value, timestamp);
    }

    private static DeviceEvent cardTap(long timestamp) {
        return DeviceEvent.of(new DeviceRef(SCHOOL, "r1-01", "door-r1-01"), EventType.CARD_TAP, timestamp,
                Map.of("uid", "04:A2:3B:1C:5D:80"));
    }

    private static ReadingQuery co2Window(long from, long to) {
        return new ReadingQuery(SCHOOL, "r1-01", Quantity.CO2, Optional.empty(), from, to, 100);
    }

    private long countInStateDatabase(String table) throws Exception {
        return count(file.resolveSibling("hub-state.db"), table);
    }

    private long count(String table) throws Exception {
        return count(file, table);
    }

    private static long count(Path file, String table) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Verifies that a batch is stored whole and that storing it again is a replay that adds no rows. */
    @Test
    void storesBatchAndDetectsReplayWithoutDuplicates() throws Exception {
        Batch batch = batch(GATEWAY + "-1-3", List.of(co2(600, T0), co2(610, T0 + 10_000)), List.of(cardTap(T0 + 5_000)));

        assertThat(store.storeBatch(batch)).isEqualTo(BatchOutcome.STORED);
        assertThat(store.storeBatch(batch)).isEqualTo(BatchOutcome.REPLAYED);

        assertThat(store.readings(co2Window(T0, T0 + 60_000)))
                .containsExactly(new StoredReading("co2-r1-01", 600, T0), new StoredReading("co2-r1-01", 610, T0 + 10_000));
        assertThat(count("readings")).isEqualTo(2);
        assertThat(count("events")).isEqualTo(1);
        assertThat(countInStateDatabase("hub_batch")).isEqualTo(1);
    }

    /** Verifies that another batch holding the same reading identity overwrites it rather than adding a row. */
    @Test
    void sameReadingIdentityInAnotherBatchOverwrites() throws Exception {
        store.storeBatch(batch(GATEWAY + "-1-1", List.of(co2(600, T0)), List.of()));

        assertThat(store.storeBatch(batch(GATEWAY + "-2-2", List.of(co2(605, T0)), List.of())))
                .isEqualTo(BatchOutcome.STORED);

        assertThat(store.readings(co2Window(T0, T0 + 1))).containsExactly(new StoredReading("co2-r1-01", 605, T0));
        assertThat(count("readings")).isEqualTo(1);
    }

    /** Verifies the documented window: from inclusive, to exclusive, oldest first, limited. */
    @Test
    void windowIncludesFromAndExcludesTo() {
        store.storeBatch(batch(GATEWAY + "-1-4", List.of(co2(1, T0 - 1), co2(2, T0), co2(3, T0 + 1_000), co2(4, T0 + 2_000)),
                List.of()));

        assertThat(store.readings(co2Window(T0, T0 + 2_000))).extracting(StoredReading::value).containsExactly(2.0, 3.0);
        assertThat(store.readings(co2Window(T0, T0))).isEmpty();
        assertThat(store.readings(new ReadingQuery(SCHOOL, "r1-01", Quantity.CO2, Optional.empty(), 0, Long.MAX_VALUE, 2)))
                .extracting(StoredReading::value).containsExactly(1.0, 2.0);
    }

    /** Verifies that the device filter and other quantities, rooms and schools do not leak into a query. */
    @Test
    void queryReturnsOnlyTheAskedRoomQuantityAndDevice() {
        store.storeBatch(batch(GATEWAY + "-1-4", List.of(
                co2(600, T0),
                Reading.of(new DeviceRef(SCHOOL, "r1-01", "co2-spare"), Quantity.CO2, 900, T0),
                Reading.of(new DeviceRef(SCHOOL, "r1-02", "co2-r1-02"), Quantity.CO2, 700, T0),
                Reading.of(CO2_SENSOR, Quantity.TEMPERATURE, 27.5, T0)), List.of()));

        assertThat(store.readings(co2Window(T0, T0 + 1))).extracting(StoredReading::device)
                .containsExactly("co2-r1-01", "co2-spare");
        assertThat(store.readings(new ReadingQuery(SCHOOL, "r1-01", Quantity.CO2, Optional.of("co2-spare"), T0, T0 + 1, 10)))
                .containsExactly(new StoredReading("co2-spare", 900, T0));
    }

    /** Verifies that the latest value per room and quantity is the newest by source time, whatever the arrival order. */
    @Test
    void latestValueIsTheNewestBySourceTime() {
        store.storeBatch(batch(GATEWAY + "-2-2", List.of(co2(800, T0 + 20_000),
                Reading.of(CO2_SENSOR, Quantity.HUMIDITY, 65, T0)), List.of()));
        // an older batch arriving late (outbox replay) must not hide the newer value
        store.storeBatch(batch(GATEWAY + "-1-1", List.of(co2(600, T0)), List.of()));

        assertThat(store.latestValues()).containsExactly(
                new LatestValue(SCHOOL, "r1-01", Quantity.CO2, "co2-r1-01", 800, T0 + 20_000),
                new LatestValue(SCHOOL, "r1-01", Quantity.HUMIDITY, "co2-r1-01", 65, T0));
    }

    /** Verifies that rooms are known from readings and from events. */
    @Test
    void roomsComeFromReadingsAndEvents() {
        store.storeBatch(batch(GATEWAY + "-1-2", List.of(co2(600, T0)),
                List.of(DeviceEvent.of(new DeviceRef(SCHOOL, "gate", "door-1"), EventType.DOOR_OPEN, T0, Map.of()))));

        assertThat(store.rooms()).containsExactly(new RoomRef(SCHOOL, "gate"), new RoomRef(SCHOOL, "r1-01"));
    }

    /** Verifies that events are stored once, without their personal attributes (a card uid: DESIGN.md invariant 6). */
    @Test
    void eventsAreStoredOnceWithTheirAttributes() throws Exception {
        DeviceEvent tap = cardTap(T0);
        store.storeBatch(batch(GATEWAY + "-1-1", List.of(), List.of(tap)));
        store.storeBatch(batch(GATEWAY + "-2-2", List.of(), List.of(tap)));

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, type, ts, attributes, batch_id FROM events")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(tap.id());
            assertThat(rs.getString(2)).isEqualTo("card_tap");
            assertThat(rs.getLong(3)).isEqualTo(T0);
            assertThat(rs.getString(4)).isEqualTo("{}");
            assertThat(rs.getString(5)).isEqualTo(GATEWAY + "-1-1");
            assertThat(rs.next()).isFalse();
        }
    }

    /** Verifies that batches and health reports mark the gateway as seen, and health is kept as received. */
    @Test
    void recordsGatewayStatus() {
        store.storeBatch(batch(GATEWAY + "-1-1", List.of(co2(600, T0)), List.of()));
        store.recordHealth(GATEWAY, SCHOOL, "{\"uptimeSeconds\":12}");
        store.recordHealth("gw-other", "th-le-loi", "{}");

        long received = RECEIPT_CLOCK.millis();
        assertThat(store.gatewayStatuses()).containsExactly(
                new GatewayStatus("gw-nguyen-du", SCHOOL, received, "{\"uptimeSeconds\":12}", received),
                new GatewayStatus("gw-other", "th-le-loi", received, "{}", received));
    }

    /** Verifies that what was committed is there after the store is closed and opened again. */
    @Test
    void committedBatchSurvivesReopen() {
        Batch batch = batch(GATEWAY + "-1-1", List.of(co2(600, T0)), List.of());
        store.storeBatch(batch);
        store.close();

        store = org.smartschool.hub.testsupport.TestStores.sqlite(file, RECEIPT_CLOCK);

        assertThat(store.readings(co2Window(T0, T0 + 1))).hasSize(1);
        assertThat(store.storeBatch(batch)).isEqualTo(BatchOutcome.REPLAYED);
    }

    /** Verifies that a store whose connection is gone fails with a StoreException, not a crash or a silent success. */
    @Test
    void failsWithStoreExceptionWhenClosed() {
        store.close();

        assertThatThrownBy(() -> store.storeBatch(batch(GATEWAY + "-1-1", List.of(co2(600, T0)), List.of())))
                .isInstanceOf(StoreException.class).hasMessageContaining(GATEWAY + "-1-1");
        assertThatThrownBy(store::ping).isInstanceOf(StoreException.class);
    }

    /** Verifies that the file is in WAL mode (crash-safe with concurrent readers). */
    @Test
    void fileUsesWriteAheadLog() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
        }
    }
}
