package org.smartschool.bridge.uplink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smartschool.bridge.uplink.SampleBatches.START;
import static org.smartschool.bridge.uplink.SampleBatches.batch;
import static org.smartschool.bridge.uplink.SampleBatches.bySeries;
import static org.smartschool.bridge.uplink.SampleBatches.reading;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;

@Timeout(60)
class BatchCodecRoundTripTest {
    private final BatchCodec codec = new BatchCodec();

    private Batch roundTrip(Batch batch) throws BatchFormatException {
        return codec.decode(codec.encode(batch));
    }

    /**
     * Same ids, the same readings (bit-identical values, same timestamps) in the same order
     * within each series, each series contiguous, and the same events in the same order.
     */
    private static void assertSameBatch(Batch decoded, Batch original) {
        assertThat(decoded.batchId()).isEqualTo(original.batchId());
        assertThat(decoded.gatewayId()).isEqualTo(original.gatewayId());
        assertThat(decoded.school()).isEqualTo(original.school());
        assertThat(decoded.readings()).hasSameSizeAs(original.readings());
        Map<String, List<Reading>> decodedSeries = bySeries(decoded.readings());
        assertThat(decodedSeries).isEqualTo(bySeries(original.readings()));
        assertThat(decoded.readings()).containsExactlyElementsOf(
                decodedSeries.values().stream().flatMap(List::stream).toList());
        assertThat(decoded.events()).containsExactlyElementsOf(original.events());
    }

    @Test
    void classroomBatchComesBackIdenticalGroupedBySeries() throws Exception {
        Batch original = SampleBatches.classroom(42);

        Batch decoded = roundTrip(original);

        assertSameBatch(decoded, original);
        assertThat(decoded.readings()).hasSize(210);
        assertThat(decoded.events()).hasSize(3);
    }

    @Test
    void wholeSchoolSnapshotComesBackIdentical() throws Exception {
        Batch original = SampleBatches.schoolSnapshot(7);

        assertSameBatch(roundTrip(original), original);
    }

    @Test
    void everyQuantityKeepsItsValueAndCanonicalUnit() throws Exception {
        List<Reading> readings = new ArrayList<>();
        double value = -40.5;
        for (Quantity q : Quantity.values()) {
            readings.add(reading("lab-1", "multi-1", q, value, START + q.ordinal()));
            readings.add(reading("lab-1", "multi-1", q, value + 1.25, START + 1_000 + q.ordinal()));
            value += 97.3;
        }
        Batch original = batch(readings, List.of());

        Batch decoded = roundTrip(original);

        assertSameBatch(decoded, original);
        assertThat(decoded.readings()).extracting(Reading::quantity).containsAll(List.of(Quantity.values()));
        assertThat(decoded.readings()).allSatisfy(r -> assertThat(r.unit()).isEqualTo(r.quantity().unit()));
    }

    @Test
    void awkwardValuesComeBackBitIdentical() throws Exception {
        double[] awkward = {0.1 + 0.2, Double.MIN_VALUE, -Double.MIN_VALUE, 1e300, -1e300, Double.MAX_VALUE,
            -Double.MAX_VALUE, Double.MIN_NORMAL, -0.0, 0.0, Math.PI, 1.0 / 3, -12.5, 1e15 + 0.5, 9_007_199_254_740_993.0,
            123_456_789_012.25, 1e-9, 0.000123, 1e-22, 2.5e-23, 29.4, -273.15, 1013.25, 612};
        List<Reading> readings = new ArrayList<>();
        // Each value alone in a series (its own exponent) ...
        for (int i = 0; i < awkward.length; i++) {
            readings.add(reading("lab-2", "probe-" + i, Quantity.VOLTAGE, awkward[i], START + i));
        }
        // ... and all in one series, which then falls back to floats.
        for (int i = 0; i < awkward.length; i++) {
            readings.add(reading("lab-2", "probe-all", Quantity.CURRENT, awkward[i], START + 10 * i));
        }
        Batch original = batch(readings, List.of());

        Batch decoded = roundTrip(original);

        assertSameBatch(decoded, original);
        for (Reading r : decoded.readings()) {
            Reading sent = readings.stream().filter(o -> o.device().equals(r.device()) && o.timestamp() == r.timestamp())
                    .findFirst().orElseThrow();
            assertThat(Double.doubleToRawLongBits(r.value())).as("value %s", sent.value())
                    .isEqualTo(Double.doubleToRawLongBits(sent.value()));
        }
    }

    @Test
    void decimalsOfDifferentPrecisionInOneSeriesRoundTrip() throws Exception {
        double[] values = {30, 29.45, 29.4, 1013.125, -0.5, 0, 1e6, 2.000001};
        List<Reading> readings = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            readings.add(reading("r1", "th-1", Quantity.TEMPERATURE, values[i], START + 1_000L * i));
        }
        Batch original = batch(readings, List.of());

        assertSameBatch(roundTrip(original), original);
    }

    @Test
    void arbitraryUnsortedAndRepeatedTimestampsRoundTrip() throws Exception {
        Random random = new Random(99);
        List<Reading> readings = new ArrayList<>();
        long[] times = {START + 7, START - 86_400_000L * 400 + 1, 1, START + 999, START + 999, 253_402_300_799_999L, START + 3};
        for (long t : times) {
            readings.add(reading("r1", "co2-1", Quantity.CO2, 400 + random.nextInt(1000), t));
            readings.add(reading("r1", "co2-1", Quantity.HUMIDITY, 50 + random.nextInt(400) / 10.0, t));
        }
        for (int i = 0; i < 50; i++) {
            long t = START + random.nextInt(3_600_000) - 1_800_000;
            readings.add(reading("r1", "env-1", Quantity.NOISE, random.nextInt(900) / 10.0, t));
        }
        Batch original = batch(readings, List.of());

        assertSameBatch(roundTrip(original), original);
    }

    @Test
    void seriesOfOneDeviceWithDifferentTimesStayApart() throws Exception {
        List<Reading> readings = List.of(
                reading("r1", "co2-1", Quantity.CO2, 612, START),
                reading("r1", "co2-1", Quantity.TEMPERATURE, 29.4, START),
                reading("r1", "co2-1", Quantity.CO2, 615, START + 10_000),
                reading("r1", "co2-1", Quantity.TEMPERATURE, 29.5, START + 10_001),
                reading("r1", "co2-1", Quantity.HUMIDITY, 71.5, START),
                reading("r1", "co2-1", Quantity.HUMIDITY, 71.4, START + 10_000));
        Batch original = batch(readings, List.of());

        assertSameBatch(roundTrip(original), original);
    }

    @Test
    void interleavedRoomsAndASharedDeviceIdInTwoRoomsRoundTrip() throws Exception {
        List<Reading> readings = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            readings.add(reading("r1", "sensor", Quantity.CO2, 500 + i, START + i * 1000L));
            readings.add(reading("r2", "sensor", Quantity.CO2, 900 - i, START + i * 1000L));
            readings.add(reading("r1", "sensor", Quantity.NOISE, 40.5 + i, START + i * 1000L));
        }
        Batch original = batch(readings, List.of());

        Batch decoded = roundTrip(original);

        assertSameBatch(decoded, original);
        assertThat(bySeries(decoded.readings())).containsOnlyKeys("r1/sensor/co2", "r2/sensor/co2", "r1/sensor/noise");
    }

    @Test
    void eventsWithUnicodeAttributesKeepIdsAndAttributes() throws Exception {
        DeviceRef door = new DeviceRef(SampleBatches.SCHOOL, "r2-07", "door-r2-07");
        List<DeviceEvent> events = List.of(
                DeviceEvent.of(door, EventType.CARD_TAP, START + 1, Map.of("uid", "04:A2:3B:1C:5D:80",
                        "learner_name", "Nguyễn Thị Ánh Tuyết", "note", "đến muộn 🚲 \"quoted\"\n", "empty", "")),
                new DeviceEvent("custom-id-1", SampleBatches.SCHOOL, "lab-1", "hood-1", EventType.FAULT, 1,
                        Map.of("code", "E42", "detail", "quạt hút yếu; 风速低")),
                DeviceEvent.of(door, EventType.DOOR_OPEN, START + 2, Map.of()));
        List<Reading> readings = List.of(reading("lab-1", "hood-1", Quantity.AIR_VELOCITY, 0.45, START));
        Batch original = batch(readings, events);

        Batch decoded = roundTrip(original);

        assertSameBatch(decoded, original);
        assertThat(decoded.events()).extracting(DeviceEvent::id)
                .containsExactly(events.get(0).id(), "custom-id-1", events.get(2).id());
        assertThat(decoded.events().get(0).attributes()).containsEntry("learner_name", "Nguyễn Thị Ánh Tuyết");
    }

    @Test
    void everyEventTypeRoundTrips() throws Exception {
        List<DeviceEvent> events = new ArrayList<>();
        for (EventType type : EventType.values()) {
            events.add(DeviceEvent.of(new DeviceRef(SampleBatches.SCHOOL, "gate", "dev-" + type.id().replace('_', '-')),
                    type, START + type.ordinal(), Map.of("k", type.id())));
        }
        Batch original = batch(List.of(), events);

        Batch decoded = roundTrip(original);

        assertSameBatch(decoded, original);
        assertThat(decoded.readings()).isEmpty();
    }

    @Test
    void emptyBatchRoundTrips() throws Exception {
        Batch original = batch(List.of(), List.of());

        Batch decoded = roundTrip(original);

        assertSameBatch(decoded, original);
        assertThat(decoded.size()).isZero();
    }

    @Test
    void sameBatchAlwaysEncodesToTheSameBytes() {
        Batch batch = SampleBatches.classroom(5);

        assertThat(codec.encode(batch)).isEqualTo(codec.encode(SampleBatches.classroom(5)));
    }

    @Test
    void framesStartWithMagicAndVersion() {
        byte[] frame = codec.encode(SampleBatches.classroom(5));

        assertThat(new byte[] {frame[0], frame[1], frame[2]}).containsExactly('S', 'B', 1);
        assertThat(frame[3]).as("zlib CMF: deflate, 32 KiB window").isEqualTo((byte) 0x78);
    }

    @Test
    void randomBatchesRoundTrip() throws Exception {
        Random random = new Random(1234);
        Quantity[] quantities = Quantity.values();
        for (int round = 0; round < 200; round++) {
            List<Reading> readings = new ArrayList<>();
            int n = random.nextInt(60);
            for (int i = 0; i < n; i++) {
                double value = switch (random.nextInt(4)) {
                    case 0 -> random.nextInt(2000);
                    case 1 -> (random.nextInt(20001) - 10000) / 100.0;
                    case 2 -> random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20);
                    default -> Double.longBitsToDouble(random.nextLong() & 0x7fefffffffffffffL) * (random.nextBoolean() ? 1 : -1);
                };
                readings.add(reading("r" + random.nextInt(3), "d" + random.nextInt(3), quantities[random.nextInt(quantities.length)],
                        value, 1 + (random.nextLong() & 0x0000_7fff_ffff_ffffL)));
            }
            Set<String> seen = new HashSet<>();
            List<DeviceEvent> events = new ArrayList<>();
            for (int i = random.nextInt(4); i > 0; i--) {
                DeviceEvent e = DeviceEvent.of(new DeviceRef(SampleBatches.SCHOOL, "r1", "d" + i), EventType.OCCUPANCY,
                        START + random.nextInt(1000), Map.of("occupied", String.valueOf(random.nextBoolean())));
                if (seen.add(e.id())) {
                    events.add(e);
                }
            }
            Batch original = batch(readings, events);

            assertSameBatch(roundTrip(original), original);
        }
    }
}
