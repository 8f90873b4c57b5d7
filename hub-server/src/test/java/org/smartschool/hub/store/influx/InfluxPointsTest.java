package org.smartschool.hub.store.influx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.hub.store.RoomKinds;

/** The line protocol the InfluxDB store sends: one point per device and timestamp, exact values. */
class InfluxPointsTest {
    private static final long T = 1_796_280_000_000L;
    private final InfluxPoints points = new InfluxPoints(RoomKinds.NONE);

    private static Reading reading(String device, Quantity quantity, double value, long time) {
        return Reading.of(new DeviceRef("s1", "r1", device), quantity, value, time);
    }

    private static Batch batch(List<Reading> readings) {
        return new Batch("b-1", "gw", "s1", readings, List.of());
    }

    /** Verifies that a device's readings, series by series as a batch holds them, become one point per time with fields in key order. */
    @Test
    void groupsADevicesReadingsIntoOnePointPerTime() {
        Batch batch = batch(List.of(
                reading("air-1", Quantity.TEMPERATURE, 21.5, T), reading("air-1", Quantity.TEMPERATURE, 21.75, T + 10_000),
                reading("air-1", Quantity.CO2, 612, T), reading("air-1", Quantity.CO2, 640, T + 10_000),
                reading("air-2", Quantity.HUMIDITY, -0.05, T)));

        InfluxPoints.Lines lines = points.of(batch);

        assertThat(lines.points()).isEqualTo(3);
        assertThat(lines.text()).isEqualTo(
                "reading,device=air-1,room=r1,school=s1 co2=612,temperature=21.5 " + T + "\n"
                + "reading,device=air-1,room=r1,school=s1 co2=640,temperature=21.75 " + (T + 10_000) + "\n"
                + "reading,device=air-2,room=r1,school=s1 humidity=-0.05 " + T);
    }

    /**
     * Verifies that a batch's records end without a newline (influxdb-java's records API puts one between the records
     * of a request) and that {@code lineProtocol}, for bodies built by others, ends every point with one.
     */
    @Test
    void recordsEndWithoutANewlineAndLineProtocolWithOne() {
        Batch batch = batch(List.of(reading("air-1", Quantity.CO2, 500, T), reading("air-2", Quantity.CO2, 510, T)));

        assertThat(points.of(batch).text()).isEqualTo("reading,device=air-1,room=r1,school=s1 co2=500 " + T + "\n"
                + "reading,device=air-2,room=r1,school=s1 co2=510 " + T);
        assertThat(points.lineProtocol(batch)).isEqualTo(points.of(batch).text() + "\n");
        assertThat(points.lineProtocol(batch(List.of()))).isEmpty();
        assertThatThrownBy(() -> new InfluxPoints.Lines("reading,device=a,room=r,school=s co2=1 1\n", 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Verifies that batches rendered one after another on one thread (which keeps its text buffer) each get only their
     * own points: a smaller batch after a larger one, and a large one that outgrows the kept buffer, then a small one.
     */
    @Test
    void batchesRenderedInTurnOnOneThreadKeepNothingOfTheOneBefore() {
        List<Reading> many = new ArrayList<>();
        for (int i = 0; i < 40_000; i++) {
            many.add(reading("air-" + (i % 500), Quantity.CO2, 400 + i % 7, T + i / 500 * 1_000L));
        }
        Batch large = batch(many);
        Batch small = batch(List.of(reading("air-9", Quantity.CO2, 500, T)));

        String first = points.of(large).text();
        String second = points.of(small).text();
        String third = points.of(large).text();

        assertThat(first.length()).as("past the kept buffer's limit").isGreaterThan(1 << 20);
        assertThat(second).isEqualTo("reading,device=air-9,room=r1,school=s1 co2=500 " + T);
        assertThat(third).isEqualTo(first);
        assertThat(first.lines().count()).isEqualTo(40_000);
        assertThat(points.of(small).text()).isEqualTo(second);
    }

    /** Verifies that a device whose readings come in two runs still gets one point per time, the later value of a quantity winning. */
    @Test
    void mergesADeviceSplitAcrossTheBatch() {
        Batch batch = batch(List.of(
                reading("air-1", Quantity.TEMPERATURE, 21.5, T), reading("air-2", Quantity.CO2, 500, T),
                reading("air-1", Quantity.CO2, 612, T), reading("air-1", Quantity.TEMPERATURE, 22, T)));

        InfluxPoints.Lines lines = points.of(batch);

        assertThat(lines.points()).isEqualTo(2);
        assertThat(lines.text()).isEqualTo(
                "reading,device=air-1,room=r1,school=s1 co2=612,temperature=22 " + T + "\n"
                + "reading,device=air-2,room=r1,school=s1 co2=500 " + T);
    }

    /** Verifies that every quantity, whatever order it comes in, lands in its point in field key order. */
    @Test
    void ordersEveryQuantitysFieldByKey() {
        List<Quantity> reversed = new ArrayList<>(List.of(Quantity.values()));
        java.util.Collections.reverse(reversed);
        List<Reading> readings = new ArrayList<>();
        for (Quantity q : reversed) {
            readings.add(reading("air-1", q, 1, T));
            readings.add(reading("air-1", q, 2, T + 1_000));
        }

        String text = points.of(batch(readings)).text();

        String fields = java.util.Arrays.stream(Quantity.values()).map(Quantity::id).sorted()
                .map(id -> id + "=1").collect(java.util.stream.Collectors.joining(","));
        assertThat(text).isEqualTo("reading,device=air-1,room=r1,school=s1 " + fields + " " + T + "\n"
                + "reading,device=air-1,room=r1,school=s1 " + fields.replace("=1", "=2") + " " + (T + 1_000));
    }

    /** Verifies that a tag value with a space, comma, equals sign or backslash is escaped as line protocol needs. */
    @Test
    void escapesWhatLineProtocolWouldSplitOn() {
        InfluxPoints withKinds = new InfluxPoints((school, room) -> java.util.Optional.of("lab, wet=1\\b"));

        String text = withKinds.of(batch(List.of(reading("air-1", Quantity.CO2, 500, T)))).text();

        assertThat(text).isEqualTo("reading,device=air-1,room=r1,room_kind=lab\\,\\ wet\\=1\\\\b,school=s1 co2=500 " + T);
    }

    /** Verifies that every value is written in a form that parses back to the very same double, never with an exponent. */
    @Test
    void writesEveryValueExactly() {
        Random random = new Random(7);
        List<Double> values = new ArrayList<>(List.of(Math.PI, 1.0 / 3, 1e-300, 9.007199254740993E15, -0.0001, 0.1 + 0.2,
                -0.0, 1e15 + 0.5, 123456.789012, Double.MAX_VALUE, Double.MIN_VALUE, -21.05, 0.000123));
        for (int i = 0; i < 20_000; i++) {
            int decimals = random.nextInt(8);
            values.add(Math.round(random.nextGaussian() * 1e6) / Math.pow(10, decimals));
            values.add(random.nextDouble() * 1000 - 500);
        }
        for (double value : values) {
            StringBuilder out = new StringBuilder();
            InfluxPoints.number(out, value);
            String text = out.toString();
            assertThat(text).doesNotContain("E").doesNotContain("e");
            assertThat(Double.parseDouble(text)).as(text).isEqualTo(value == 0 ? 0.0 : value);
        }
    }
}
