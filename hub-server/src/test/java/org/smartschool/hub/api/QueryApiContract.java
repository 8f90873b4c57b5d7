package org.smartschool.hub.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smartschool.hub.testsupport.HubFixture.GATEWAY_1;
import static org.smartschool.hub.testsupport.HubFixture.SCHOOL_1;
import static org.smartschool.hub.testsupport.HubFixture.SCHOOL_2;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.hub.api.csv.ReadingRows;
import org.smartschool.hub.app.Hub;
import org.smartschool.hub.store.HubStore;
import org.smartschool.hub.store.ReadingQuery;
import org.smartschool.hub.testsupport.Http;
import org.smartschool.hub.testsupport.HubFixture;

/**
 * The query API over a running hub, run against each time-series store by a subclass: the same data
 * must give the same answers, byte for byte for CSV. Times are recent (InfluxDB's raw retention policy
 * refuses points older than 90 days) and on a whole hour.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
public abstract class QueryApiContract {
    protected static final long MINUTE = 60_000;
    /** Three hours ago, on the hour. */
    protected final long t0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(3, ChronoUnit.HOURS).toEpochMilli();

    @TempDir
    protected Path dir;
    private Hub hub;
    private HubStore store;
    private int batches;

    /** A fresh store (time series of the subclass's kind, hub state in {@code dir}). */
    protected abstract HubStore openStore(Path dir);

    @AfterEach
    void stop() throws Exception {
        if (hub != null) {
            HubFixture.await(hub.close());
        }
    }

    private Http start(Vertx vertx) throws Exception {
        store = openStore(dir);
        hub = HubFixture.start(vertx, HubFixture.config(dir), store);
        return Http.admin(hub);
    }

    private Reading reading(String room, String device, Quantity quantity, double value, long timestamp) {
        return Reading.of(new DeviceRef(SCHOOL_1, room, device), quantity, value, timestamp);
    }

    /** Stored as the endpoint stores a batch of gateway 1: its gateway is heard from now. */
    private void store(List<Reading> readings, List<DeviceEvent> events) {
        store.storeBatch(new Batch(GATEWAY_1 + "-q-" + (++batches), GATEWAY_1, SCHOOL_1, readings, events));
    }

    /** Room r1: devices a and b at one time (a tie), a again a minute later; r2 has only a door's event. */
    private void storeTwoRooms() {
        store(List.of(
                reading("r1", "a", Quantity.CO2, 412.75, t0),
                reading("r1", "b", Quantity.CO2, 1200, t0),
                reading("r1", "a", Quantity.CO2, 700, t0 + MINUTE),
                reading("r1", "a", Quantity.TEMPERATURE, 29.5, t0),
                reading("r1", "a", Quantity.HUMIDITY, 85, t0 + 2 * MINUTE)),
                List.of(DeviceEvent.of(new DeviceRef(SCHOOL_1, "r2", "door-2"), EventType.DOOR_OPEN, t0 + 3 * MINUTE, Map.of())));
    }

    private String readings(String room, String more) {
        return "/api/v1/readings?school=" + SCHOOL_1 + "&room=" + room + "&quantity=co2&from=" + Instant.ofEpochMilli(t0)
                + "&to=" + Instant.ofEpochMilli(t0 + 60 * MINUTE) + more;
    }

    /** Verifies that readings export as CSV, by format=csv or by Accept, streamed in chunks, with a header and exact rows. */
    @Test
    void readingsExportAsCsvWithAHeaderAndExactRows(Vertx vertx) throws Exception {
        Http http = start(vertx);
        storeTwoRooms();
        String expected = "time,timestamp,school,room,device,quantity,value,unit\r\n"
                + csvTime(t0) + "," + t0 + "," + SCHOOL_1 + ",r1,a,co2,412.75,ppm\r\n"
                + csvTime(t0) + "," + t0 + "," + SCHOOL_1 + ",r1,b,co2,1200,ppm\r\n"
                + csvTime(t0 + MINUTE) + "," + (t0 + MINUTE) + "," + SCHOOL_1 + ",r1,a,co2,700,ppm\r\n";

        HttpResponse<String> byFormat = http.get(readings("r1", "&format=csv"), "*/*");
        HttpResponse<String> byAccept = http.get(readings("r1", ""), "text/csv");
        HttpResponse<String> limited = http.get(readings("r1", "&format=csv&limit=2"), "*/*");

        assertThat(byFormat.statusCode()).isEqualTo(200);
        assertThat(byFormat.headers().firstValue("Content-Type")).hasValue("text/csv; charset=utf-8; header=present");
        // streamed: no length is known when the answer starts (java.net.http hides the Transfer-Encoding header)
        assertThat(byFormat.headers().firstValue("Content-Length")).isEmpty();
        assertThat(byFormat.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"" + SCHOOL_1 + "_r1_co2.csv\"");
        assertThat(byFormat.body()).isEqualTo(expected);
        assertThat(byAccept.statusCode()).isEqualTo(200);
        assertThat(byAccept.body()).isEqualTo(expected);
        assertThat(limited.body()).isEqualTo(expected.substring(0, expected.lastIndexOf(csvTime(t0 + MINUTE))));
        // format=json wins over the header
        assertThat(http.get(readings("r1", "&format=json"), "text/csv").headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    }

    /** Verifies that an aggregated series exports as CSV with the step's start, agg and step, computed by the store. */
    @Test
    void aggregatedSeriesExportsAsCsv(Vertx vertx) throws Exception {
        Http http = start(vertx);
        storeTwoRooms();

        HttpResponse<String> max = http.get(readings("r1", "&step=1h&agg=max&format=csv"), "*/*");
        HttpResponse<String> oneDevice = http.get(readings("r1", "&device=a&step=1m&agg=mean"), "text/csv");

        assertThat(max.statusCode()).isEqualTo(200);
        assertThat(max.body()).isEqualTo("time,timestamp,school,room,device,quantity,agg,step,value,unit\r\n"
                + csvTime(t0) + "," + t0 + "," + SCHOOL_1 + ",r1,,co2,max,PT1H,1200,ppm\r\n");
        assertThat(oneDevice.body()).isEqualTo("time,timestamp,school,room,device,quantity,agg,step,value,unit\r\n"
                + csvTime(t0) + "," + t0 + "," + SCHOOL_1 + ",r1,a,co2,mean,PT1M,412.75,ppm\r\n"
                + csvTime(t0 + MINUTE) + "," + (t0 + MINUTE) + "," + SCHOOL_1 + ",r1,a,co2,mean,PT1M,700,ppm\r\n");
    }

    /**
     * Verifies that a CSV export pages through the store without losing or repeating a reading when more
     * devices share a millisecond than a page holds, and that it streams more readings than a JSON answer may hold.
     */
    @Test
    void csvPagesThroughManyReadingsAndTiesExactly(Vertx vertx) throws Exception {
        Http http = start(vertx);
        List<Reading> readings = new ArrayList<>();
        for (int i = 0; i < 1_200; i++) {
            readings.add(reading("r1", "a", Quantity.CO2, 400 + i % 100, t0 + i * 1_000L));
        }
        for (String device : List.of("t1", "t2", "t3", "t4", "t5")) {
            readings.add(reading("r1", device, Quantity.CO2, 500, t0 + 1_500));
        }
        store(readings, List.of());

        List<String> paged = new ArrayList<>();
        ReadingRows rows = new ReadingRows(store, new ReadingQuery(SCHOOL_1, "r1", Quantity.CO2, Optional.empty(),
                t0, t0 + 60 * MINUTE, Integer.MAX_VALUE), 3);
        for (List<String> page = rows.next(); !page.isEmpty(); page = rows.next()) {
            assertThat(page).hasSizeLessThanOrEqualTo(3);
            paged.addAll(page);
        }
        String csv = http.get(readings("r1", "&format=csv"), "*/*").body();

        assertThat(paged).hasSize(1_205).doesNotHaveDuplicates();
        assertThat(paged.subList(0, 8)).extracting(line -> line.split(",")[4]).containsExactly("a", "a", "t1", "t2", "t3", "t4", "t5", "a");
        assertThat(csv.split("\r\n")).hasSize(1_206);
        assertThat(String.join("", paged)).isEqualTo(csv.substring(csv.indexOf("\r\n") + 2));
        // the same window in JSON without a limit is refused, telling how to narrow it
        Http.Response json = http.get(readings("r1", ""));
        assertThat(json.status()).isEqualTo(400);
        assertThat(json.json().getString("parameter")).isEqualTo("step");
        assertThat(json.json().getInteger("limit")).isEqualTo(1000);
        assertThat(json.json().getString("error")).contains("more than 1000 readings", "step=", "format=csv");
        assertThat(http.get(readings("r1", "&limit=10")).json().getBoolean("truncated")).isTrue();
    }

    /** Verifies 404 with a JSON message for an unknown school or a room that never reported, in JSON and CSV. */
    @Test
    void unknownSchoolOrRoomIs404(Vertx vertx) throws Exception {
        Http http = start(vertx);
        storeTwoRooms();

        Http.Response noSchool = http.get(readings("r1", "").replace(SCHOOL_1, "thcs-nowhere"));
        Http.Response noRoom = http.get(readings("r9", ""));
        HttpResponse<String> noRoomCsv = http.get(readings("r9", "&format=csv"), "*/*");
        Http.Response emptyWindow = http.get(readings("r1", "").replace("quantity=co2", "quantity=noise"));

        assertThat(noSchool.status()).isEqualTo(404);
        assertThat(noSchool.json().getString("error")).isEqualTo("unknown school 'thcs-nowhere'");
        assertThat(noRoom.status()).isEqualTo(404);
        assertThat(noRoom.json().getString("error")).contains("unknown room 'r9'");
        assertThat(noRoomCsv.statusCode()).isEqualTo(404);
        assertThat(new JsonObject(noRoomCsv.body()).getString("error")).contains("r9");
        // a known room without readings of the quantity in the window is an empty answer
        assertThat(emptyWindow.status()).isEqualTo(200);
        assertThat(emptyWindow.json().getJsonArray("readings")).isEmpty();
        assertThat(http.get("/api/v1/schools/thcs-nowhere/rooms").status()).isEqualTo(404);
        assertThat(http.get("/api/v1/schools/thcs-nowhere/devices").json().getString("error")).isEqualTo("unknown school 'thcs-nowhere'");
        // a configured school that has not reported yet is known, with nothing in it
        assertThat(http.get("/api/v1/schools/" + SCHOOL_2 + "/rooms").json().getJsonArray("rooms")).isEmpty();
        assertThat(http.get("/api/v1/schools/bad!id/rooms").json().getString("parameter")).isEqualTo("school");
    }

    /** Verifies a school's rooms with their latest values and comfort count, its devices' last seen, and the school summary. */
    @Test
    void schoolRoomsDevicesAndSummary(Vertx vertx) throws Exception {
        Http http = start(vertx);
        storeTwoRooms();

        JsonObject rooms = http.get("/api/v1/schools/" + SCHOOL_1 + "/rooms").json();
        JsonObject devices = http.get("/api/v1/schools/" + SCHOOL_1 + "/devices").json();
        JsonObject schools = http.get("/api/v1/schools").json();

        JsonArray roomList = rooms.getJsonArray("rooms");
        assertThat(roomList.stream().map(r -> ((JsonObject) r).getString("room"))).containsExactly("r1", "r2");
        JsonObject r1 = roomList.getJsonObject(0);
        assertThat(r1.getJsonArray("latest").stream().map(v -> ((JsonObject) v).getString("quantity") + "="
                + ((JsonObject) v).getDouble("value") + "@" + ((JsonObject) v).getString("device")))
                .containsExactly("co2=700.0@a", "humidity=85.0@a", "temperature=29.5@a");
        assertThat(r1.getInteger("outOfComfort")).isEqualTo(1); // humidity 85 %RH
        assertThat(r1.getLong("lastReadingTimestamp")).isEqualTo(t0 + 2 * MINUTE);
        assertThat(roomList.getJsonObject(1).getJsonArray("latest")).isEmpty();

        assertThat(devices.getJsonArray("devices").stream().map(d -> ((JsonObject) d).getString("room") + "/"
                + ((JsonObject) d).getString("device") + "@" + ((JsonObject) d).getLong("lastSeenTimestamp")))
                .containsExactly("r1/a@" + (t0 + 2 * MINUTE), "r1/b@" + t0, "r2/door-2@" + (t0 + 3 * MINUTE));
        assertThat(devices.getJsonArray("devices").getJsonObject(0).getLong("silentSeconds")).isGreaterThanOrEqualTo(2 * 3600L);

        JsonObject one = schools.getJsonArray("schools").stream().map(JsonObject.class::cast)
                .filter(s -> s.getString("school").equals(SCHOOL_1)).findFirst().orElseThrow();
        JsonObject two = schools.getJsonArray("schools").stream().map(JsonObject.class::cast)
                .filter(s -> s.getString("school").equals(SCHOOL_2)).findFirst().orElseThrow();
        assertThat(one.getJsonObject("summary").getMap()).isEqualTo(Map.of("status", "online", "gatewaysOnline", 1, "gatewaysOffline", 0,
                "rooms", 2, "outOfComfort", 1, "lastReading", Instant.ofEpochMilli(t0 + 2 * MINUTE).toString(),
                "lastReadingTimestamp", t0 + 2 * MINUTE));
        assertThat(two.getJsonObject("summary").getMap()).isEqualTo(Map.of("status", "no data", "gatewaysOnline", 0, "gatewaysOffline", 1,
                "rooms", 0, "outOfComfort", 0));
    }

    /** {@code 2026-12-03T05:00:00.000Z}: the CSV's time column. */
    protected static String csvTime(long millis) {
        return java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
                .withZone(java.time.ZoneOffset.UTC).format(Instant.ofEpochMilli(millis));
    }
}
