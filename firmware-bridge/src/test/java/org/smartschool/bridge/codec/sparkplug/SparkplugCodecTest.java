package org.smartschool.bridge.codec.sparkplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.assertj.core.data.Offset;
import org.eclipse.tahu.message.SparkplugBPayloadEncoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.Metric.MetricBuilder;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.PropertyDataType;
import org.eclipse.tahu.message.model.PropertySet;
import org.eclipse.tahu.message.model.PropertySet.PropertySetBuilder;
import org.eclipse.tahu.message.model.PropertyValue;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.eclipse.tahu.message.model.SparkplugBPayload.SparkplugBPayloadBuilder;
import org.eclipse.tahu.protobuf.SparkplugBProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.smartschool.bridge.codec.DecodeProblem;
import org.smartschool.bridge.codec.DecodeResult;
import org.smartschool.bridge.codec.RawMessage;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;

/**
 * Payloads are built with Eclipse Tahu's SparkplugBPayloadEncoder, as Tahu-based edge nodes build them;
 * the spec examples are from the Sparkplug 3.0 specification, section 6.4.18 onwards:
 * https://github.com/eclipse-sparkplug/sparkplug/blob/master/specification/src/main/asciidoc/chapters/Sparkplug_6_Payloads.adoc
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SparkplugCodecTest {
    static final DeviceRef DEVICE = new DeviceRef("school-1", "chem-lab", "plc-1");
    static final String WHO = "school-1/chem-lab/plc-1";
    static final long RECEIVED = 1_700_000_000_000L;
    static final long SPEC_TIME = 1_486_144_502_122L;
    static final String NODE = "spBv1.0/Sparkplug B Devices/%s/Raspberry Pi";
    static final String DEV = "spBv1.0/Sparkplug B Devices/%s/Raspberry Pi/Pibrella";

    final SparkplugCodec codec = new SparkplugCodec();

    // --- building payloads with Tahu ---

    static Metric metric(String name, MetricDataType type, Object value) throws Exception {
        return new MetricBuilder(name, type, value).timestamp(new Date(SPEC_TIME)).createMetric();
    }

    static Metric metric(String name, long alias, MetricDataType type, Object value, String engUnit) throws Exception {
        MetricBuilder builder = new MetricBuilder(name, type, value).alias(alias).timestamp(new Date(SPEC_TIME));
        if (engUnit != null) {
            builder.properties(unit(engUnit));
        }
        return builder.createMetric();
    }

    static Metric aliased(long alias, MetricDataType type, Object value) throws Exception {
        // Tahu stamps a metric with the wall clock unless told otherwise; DATA metrics here carry none
        return new MetricBuilder(alias, type, value).timestamp(null).createMetric();
    }

    static PropertySet unit(String engUnit) throws Exception {
        return new PropertySetBuilder().addProperty("engUnit", new PropertyValue<>(PropertyDataType.String, engUnit)).createPropertySet();
    }

    static byte[] encode(Long seq, long timestamp, boolean stripDataTypes, Metric... metrics) throws Exception {
        SparkplugBPayloadBuilder builder = new SparkplugBPayloadBuilder().setTimestamp(new Date(timestamp));
        if (seq != null) {
            builder.setSeq(seq);
        }
        for (Metric metric : metrics) {
            builder.addMetric(metric);
        }
        SparkplugBPayload payload = builder.createPayload();
        return new SparkplugBPayloadEncoder().getBytes(payload, stripDataTypes);
    }

    static void assertValues(List<Reading> readings, double... expected) {
        assertThat(readings).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(readings.get(i).value()).as("reading %d", i).isCloseTo(expected[i], Offset.offset(1e-9));
        }
    }

    DecodeResult decode(String topicFormat, String type, byte[] payload) {
        return codec.decode(new RawMessage(String.format(topicFormat, type), null, payload, RECEIVED), DEVICE);
    }

    static Metric[] specNbirthMetrics() throws Exception {
        return new Metric[] {
                metric("bdSeq", MetricDataType.UInt64, BigInteger.ZERO),
                metric("Node Control/Reboot", MetricDataType.Boolean, false),
                metric("Node Control/Rebirth", MetricDataType.Boolean, false),
                metric("Node Control/Next Server", MetricDataType.Boolean, false),
                metric("Node Control/Scan Rate", MetricDataType.Int64, 3000L),
                metric("Properties/Hardware Make", MetricDataType.String, "Raspberry Pi"),
                metric("Properties/Hardware Model", MetricDataType.String, "Pi 3 Model B"),
                metric("Properties/OS", MetricDataType.String, "Raspbian"),
                metric("Properties/OS Version", MetricDataType.String, "Jessie with PIXEL/11.01.2017"),
                metric("Supply Voltage", MetricDataType.Float, 12.1f)};
    }

    /** An NBIRTH of a classroom air node: aliases 1-4, units in engUnit properties. */
    byte[] classroomNbirth(long bdSeq) throws Exception {
        return encode(0L, RECEIVED - 5_000, false,
                metric("bdSeq", 0, MetricDataType.UInt64, BigInteger.valueOf(bdSeq), null),
                metric("Node Control/Rebirth", 5, MetricDataType.Boolean, false, null),
                metric("Classroom 7A/Temperature", 1, MetricDataType.Double, 84.2, "°F"),
                metric("Classroom 7A/CO2", 2, MetricDataType.Float, 640f, "ppm"),
                metric("Classroom 7A/Humidity", 3, MetricDataType.UInt8, (short) 71, "%"),
                metric("Classroom 7A/Occupancy", 4, MetricDataType.Boolean, false, null));
    }

    // --- the specification's examples ---

    @Test
    void decodesTheSpecNbirthAsOnlineEventAndSupplyVoltageSkippingControlMetrics() throws Exception {
        DecodeResult result = decode(NODE, "NBIRTH", encode(0L, SPEC_TIME, false, specNbirthMetrics()));

        assertThat(result.problems()).isEmpty();
        assertThat(result.readings()).singleElement().satisfies(r -> {
            assertThat(r.quantity()).isEqualTo(Quantity.VOLTAGE);
            assertThat(r.value()).isCloseTo(12.1, Offset.offset(1e-6));
            assertThat(r.timestamp()).isEqualTo(SPEC_TIME);
        });
        assertThat(result.events()).extracting(DeviceEvent::type, DeviceEvent::timestamp, DeviceEvent::attributes).containsExactly(
                tuple(EventType.DEVICE_ONLINE, SPEC_TIME,
                        Map.of("sparkplug", "NBIRTH", "group", "Sparkplug B Devices", "edge_node", "Raspberry Pi")));
        assertThat(codec.counters()).isEqualTo(new SparkplugCounters(0, 0, 0, 0, 0));
    }

    @Test
    void decodesTheSpecNdataAfterItsBirth() throws Exception {
        decode(NODE, "NBIRTH", encode(0L, SPEC_TIME, false, specNbirthMetrics()));
        decode(DEV, "DBIRTH", encode(1L, SPEC_TIME, false, metric("Inputs/A", MetricDataType.Boolean, false)));

        DecodeResult result = decode(NODE, "NDATA", encode(2L, SPEC_TIME, true, metric("Supply Voltage", MetricDataType.Float, 12.3f)));

        assertThat(result.problems()).isEmpty();
        assertThat(result.readings()).extracting(Reading::quantity).containsExactly(Quantity.VOLTAGE);
        assertThat(result.readings().get(0).value()).isCloseTo(12.3, Offset.offset(1e-6));
        assertThat(codec.counters().seqGaps()).isZero();
    }

    @Test
    void countsTheSpecDbirthsPlainInputsAsUnmappedAndTurnsMotionIntoOccupancy() throws Exception {
        decode(NODE, "NBIRTH", encode(0L, SPEC_TIME, false, specNbirthMetrics()));

        DecodeResult result = decode(DEV, "DBIRTH", encode(1L, SPEC_TIME, false,
                metric("Inputs/A", MetricDataType.Boolean, false),
                metric("Inputs/B", MetricDataType.Boolean, false),
                metric("Outputs/LEDs/Green", MetricDataType.Boolean, false),
                metric("Inputs/Motion", MetricDataType.Boolean, true),
                metric("Properties/Hardware Make", MetricDataType.String, "Pibrella")));

        assertThat(result.problems()).isEmpty();
        assertThat(result.events()).extracting(DeviceEvent::type, DeviceEvent::attributes).containsExactly(
                tuple(EventType.OCCUPANCY, Map.of("occupied", "true")),
                tuple(EventType.DEVICE_ONLINE, Map.of("sparkplug", "DBIRTH", "group", "Sparkplug B Devices",
                        "edge_node", "Raspberry Pi", "sparkplug_device", "Pibrella")));
        assertThat(codec.counters().unmappedMetrics()).isEqualTo(3);
    }

    // --- aliases learnt from BIRTH ---

    @Test
    void resolvesAliasesAndUnitsLearntFromTheBirth() throws Exception {
        decode(NODE, "NBIRTH", classroomNbirth(4));

        DecodeResult result = decode(NODE, "NDATA", encode(1L, RECEIVED - 1_000, true,
                aliased(1, MetricDataType.Double, 86.0),
                aliased(2, MetricDataType.Float, 1250.5f),
                aliased(3, MetricDataType.UInt8, (short) 78),
                aliased(4, MetricDataType.Boolean, true)));

        assertThat(result.problems()).isEmpty();
        assertThat(result.readings()).extracting(Reading::quantity, Reading::unit, Reading::timestamp).containsExactly(
                tuple(Quantity.TEMPERATURE, "Cel", RECEIVED - 1_000),
                tuple(Quantity.CO2, "ppm", RECEIVED - 1_000),
                tuple(Quantity.HUMIDITY, "%RH", RECEIVED - 1_000));
        assertValues(result.readings(), 30.0, 1250.5, 78.0);
        assertThat(result.events()).extracting(DeviceEvent::type, DeviceEvent::attributes)
                .containsExactly(tuple(EventType.OCCUPANCY, Map.of("occupied", "true")));
    }

    @Test
    void readsTheBirthsOwnValuesToo() throws Exception {
        DecodeResult result = decode(NODE, "NBIRTH", classroomNbirth(4));

        assertThat(result.problems()).isEmpty();
        assertThat(result.readings()).extracting(Reading::quantity)
                .containsExactly(Quantity.TEMPERATURE, Quantity.CO2, Quantity.HUMIDITY);
        assertValues(result.readings(), 29.0, 640.0, 71.0);
        assertThat(result.events()).extracting(DeviceEvent::type).containsExactly(EventType.OCCUPANCY, EventType.DEVICE_ONLINE);
    }

    @Test
    void dropsDataBeforeBirthWithARebirthProblemAndCountsIt() throws Exception {
        DecodeResult result = decode(NODE, "NDATA", encode(7L, RECEIVED, true,
                aliased(1, MetricDataType.Double, 86.0),
                aliased(2, MetricDataType.Float, 1250.5f)));

        assertThat(result.recordCount()).isZero();
        assertThat(result.problems()).extracting(DecodeProblem::device, DecodeProblem::field, DecodeProblem::message).containsExactly(
                tuple(WHO, "$.metrics[0].alias", "no BIRTH seen for alias 1: metric dropped; a rebirth is needed"),
                tuple(WHO, "$.metrics[1].alias", "no BIRTH seen for alias 2: metric dropped; a rebirth is needed"));
        assertThat(codec.counters().metricsWithoutBirth()).isEqualTo(2);
    }

    @Test
    void decodesNamedMetricsWithoutBirthWhenTheirDatatypeSaysWhatTheyAre() throws Exception {
        byte[] payload = encode(3L, RECEIVED, false,
                metric("Fume Hood/Face Velocity", MetricDataType.Float, 0.48f),
                metric("Gas/LEL", MetricDataType.Double, 4.5));
        byte[] untyped = encode(4L, RECEIVED, true, metric("CO2", MetricDataType.Int32, 900));

        DecodeResult typed = decode(NODE, "NDATA", payload);
        DecodeResult ambiguous = decode(NODE, "NDATA", untyped);

        assertThat(typed.problems()).isEmpty();
        assertThat(typed.readings()).extracting(Reading::quantity).containsExactly(Quantity.AIR_VELOCITY, Quantity.GAS);
        assertThat(ambiguous.readings()).isEmpty();
        assertThat(ambiguous.problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("$.metrics[0]");
            assertThat(p.message()).contains("\"CO2\"", "no datatype", "rebirth");
        });
    }

    @Test
    void mapsMetricNamesByConfigurationBeforeTheDefaultRule() throws Exception {
        SparkplugCodec configured = new SparkplugCodec(new SparkplugSettings(
                Map.of("Sensors/Level 1", "co2", "Sensors/Temperature", "noise"), 32, 4096));

        DecodeResult result = configured.decode(new RawMessage(String.format(NODE, "NDATA"), null, encode(0L, RECEIVED, false,
                metric("Sensors/Level 1", MetricDataType.Double, 1020.0),
                metric("sensors/temperature", MetricDataType.Double, 52.0),
                metric("Sensors/Level 2", MetricDataType.Double, 3.0)), RECEIVED), DEVICE);

        assertThat(result.problems()).isEmpty();
        assertThat(result.readings()).extracting(Reading::quantity, Reading::value)
                .containsExactly(tuple(Quantity.CO2, 1020.0), tuple(Quantity.NOISE, 52.0));
        assertThat(configured.counters().unmappedMetrics()).isEqualTo(1);
    }

    @Test
    void prefersTheUnitOfTheDataMessageOverTheBirths() throws Exception {
        decode(NODE, "NBIRTH", classroomNbirth(4));

        DecodeResult result = decode(NODE, "NDATA", encode(1L, RECEIVED, true,
                new MetricBuilder(1L, MetricDataType.Double, 303.15).timestamp(null).properties(unit("K")).createMetric()));

        assertThat(result.readings()).singleElement().satisfies(r -> {
            assertThat(r.quantity()).isEqualTo(Quantity.TEMPERATURE);
            assertThat(r.value()).isCloseTo(30.0, Offset.offset(1e-9));
        });
    }

    // --- deaths, bdSeq and seq ---

    @Test
    void turnsNdeathIntoOfflineAtReceiveTimeAndForgetsTheAliases() throws Exception {
        decode(NODE, "NBIRTH", classroomNbirth(4));

        DecodeResult death = decode(NODE, "NDEATH", encode(null, SPEC_TIME, false,
                metric("bdSeq", MetricDataType.UInt64, BigInteger.valueOf(4))));
        DecodeResult after = decode(NODE, "NDATA", encode(1L, RECEIVED, true, aliased(2, MetricDataType.Float, 700f)));

        assertThat(death.problems()).isEmpty();
        assertThat(death.events()).extracting(DeviceEvent::type, DeviceEvent::timestamp, e -> e.attributes().get("sparkplug"))
                .containsExactly(tuple(EventType.DEVICE_OFFLINE, RECEIVED, "NDEATH"));
        assertThat(after.readings()).isEmpty();
        assertThat(after.problems()).extracting(DecodeProblem::field).containsExactly("$.metrics[0].alias");
    }

    @Test
    void ignoresTheStaleWillOfAnEarlierSession() throws Exception {
        decode(NODE, "NBIRTH", classroomNbirth(5));

        DecodeResult staleDeath = decode(NODE, "NDEATH", encode(null, SPEC_TIME, false,
                metric("bdSeq", MetricDataType.UInt64, BigInteger.valueOf(4))));
        DecodeResult after = decode(NODE, "NDATA", encode(1L, RECEIVED, true, aliased(2, MetricDataType.Float, 700f)));

        assertThat(staleDeath.ignored()).isTrue();
        assertThat(staleDeath.recordCount()).isZero();
        assertThat(codec.counters().staleDeaths()).isEqualTo(1);
        assertThat(after.readings()).extracting(Reading::quantity, Reading::value).containsExactly(tuple(Quantity.CO2, 700.0));
    }

    @Test
    void turnsDdeathIntoOfflineAndForgetsOnlyThatDevice() throws Exception {
        decode(NODE, "NBIRTH", classroomNbirth(4));
        decode(DEV, "DBIRTH", encode(1L, RECEIVED, false, metric("PM2.5", 1, MetricDataType.Float, 12f, "µg/m³")));

        // Sparkplug 3.0 section 6.4.23: a DDEATH carries a timestamp and a seq, no metrics
        DecodeResult death = decode(DEV, "DDEATH", encode(2L, RECEIVED - 2_000, false));
        DecodeResult deviceData = decode(DEV, "DDATA", encode(3L, RECEIVED, true, aliased(1, MetricDataType.Float, 15f)));
        DecodeResult nodeData = decode(NODE, "NDATA", encode(4L, RECEIVED, true, aliased(2, MetricDataType.Float, 800f)));

        assertThat(death.events()).extracting(DeviceEvent::type, DeviceEvent::timestamp, e -> e.attributes().get("sparkplug_device"))
                .containsExactly(tuple(EventType.DEVICE_OFFLINE, RECEIVED - 2_000, "Pibrella"));
        assertThat(deviceData.problems()).extracting(DecodeProblem::message)
                .containsExactly("no BIRTH seen for alias 1: metric dropped; a rebirth is needed");
        assertThat(nodeData.readings()).extracting(Reading::value).containsExactly(800.0);
        assertThat(codec.counters().seqGaps()).isZero();
    }

    @Test
    void countsSequenceGapsAcrossNodeAndDeviceMessagesAndWrapsAt255() throws Exception {
        decode(NODE, "NBIRTH", classroomNbirth(4));
        decode(NODE, "NDATA", encode(1L, RECEIVED, true, aliased(2, MetricDataType.Float, 700f)));
        decode(NODE, "NDATA", encode(5L, RECEIVED, true, aliased(2, MetricDataType.Float, 710f)));
        assertThat(codec.counters().seqGaps()).isEqualTo(1);

        decode(NODE, "NDATA", encode(6L, RECEIVED, true, aliased(2, MetricDataType.Float, 720f)));
        decode(NODE, "NDATA", encode(255L, RECEIVED, true, aliased(2, MetricDataType.Float, 730f)));
        DecodeResult wrapped = decode(NODE, "NDATA", encode(0L, RECEIVED, true, aliased(2, MetricDataType.Float, 740f)));

        assertThat(wrapped.problems()).isEmpty();
        assertThat(wrapped.readings()).extracting(Reading::value).containsExactly(740.0);
        assertThat(codec.counters().seqGaps()).isEqualTo(2);
    }

    @Test
    void reportsAMissingOrOutOfRangeSeqButDecodesTheData() throws Exception {
        decode(NODE, "NBIRTH", classroomNbirth(4));
        byte[] wide = SparkplugBProto.Payload.newBuilder().setTimestamp(RECEIVED).setSeq(300)
                .addMetrics(SparkplugBProto.Payload.Metric.newBuilder().setAlias(2).setFloatValue(705f)).build().toByteArray();

        DecodeResult noSeq = decode(NODE, "NDATA", encode(null, RECEIVED, true, aliased(2, MetricDataType.Float, 700f)));
        DecodeResult outOfRange = decode(NODE, "NDATA", wide);

        assertThat(noSeq.readings()).extracting(Reading::value).containsExactly(700.0);
        assertThat(noSeq.problems()).extracting(DecodeProblem::field).containsExactly("$.seq");
        assertThat(outOfRange.readings()).extracting(Reading::value).containsExactly(705.0);
        assertThat(outOfRange.problems()).extracting(DecodeProblem::message).containsExactly("seq 300 is outside 0-255");
    }

    @Test
    void ignoresCommandsAndHostStateOnPurpose() throws Exception {
        byte[] rebirth = encode(null, RECEIVED, false, metric("Node Control/Rebirth", MetricDataType.Boolean, true));

        assertThat(decode(NODE, "NCMD", rebirth).ignored()).isTrue();
        assertThat(decode(DEV, "DCMD", rebirth).ignored()).isTrue();
        assertThat(codec.decode(new RawMessage("spBv1.0/STATE/scada-1", null,
                "{\"online\":true,\"timestamp\":1700000000000}".getBytes(java.nio.charset.StandardCharsets.UTF_8), RECEIVED), DEVICE)
                .ignored()).isTrue();
    }

    // --- bounds ---

    @Test
    void forgetsTheLeastRecentlyHeardEdgeNodeBeyondTheBound() throws Exception {
        SparkplugCodec small = new SparkplugCodec(new SparkplugSettings(Map.of(), 2, 4096));
        for (String node : List.of("a", "b", "c")) {
            small.decode(new RawMessage("spBv1.0/g/NBIRTH/" + node, null, classroomNbirth(1), RECEIVED), DEVICE);
        }

        DecodeResult first = small.decode(new RawMessage("spBv1.0/g/NDATA/a", null,
                encode(1L, RECEIVED, true, aliased(2, MetricDataType.Float, 700f)), RECEIVED), DEVICE);
        DecodeResult last = small.decode(new RawMessage("spBv1.0/g/NDATA/c", null,
                encode(1L, RECEIVED, true, aliased(2, MetricDataType.Float, 701f)), RECEIVED), DEVICE);

        assertThat(first.readings()).isEmpty();
        assertThat(first.problems()).extracting(DecodeProblem::message).containsExactly("no BIRTH seen for alias 2: metric dropped; a rebirth is needed");
        assertThat(last.readings()).extracting(Reading::value).containsExactly(701.0);
        assertThat(small.counters().forgottenEdgeNodes()).isEqualTo(1);
    }

    @Test
    void learnsNoMoreDefinitionsThanTheBoundAllows() throws Exception {
        SparkplugCodec small = new SparkplugCodec(new SparkplugSettings(Map.of(), 2, 6));
        List<Metric> metrics = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            metrics.add(metric("Room " + i + "/CO2", i, MetricDataType.Float, 600f + i, "ppm"));
        }

        DecodeResult birth = small.decode(new RawMessage(String.format(NODE, "NBIRTH"), null,
                encode(0L, RECEIVED, false, metrics.toArray(new Metric[0])), RECEIVED), DEVICE);
        DecodeResult data = small.decode(new RawMessage(String.format(NODE, "NDATA"), null,
                encode(1L, RECEIVED, true, aliased(3, MetricDataType.Float, 900f), aliased(4, MetricDataType.Float, 901f)), RECEIVED), DEVICE);

        assertThat(birth.readings()).hasSize(10);
        assertThat(birth.problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("$.metrics[3]");
            assertThat(p.message()).contains("more than 6 metric names and aliases");
        });
        assertThat(data.readings()).extracting(Reading::value).containsExactly(900.0);
        assertThat(data.problems()).extracting(DecodeProblem::field).containsExactly("$.metrics[1].alias");
    }

    // --- malformed ---

    @Test
    void rejectsTopicsThatAreNotSparkplugB() throws Exception {
        byte[] payload = encode(0L, RECEIVED, false);
        for (String topic : List.of("spBv1.0/g/NDATA", "spBv1.0/g/DDATA/edge", "spBv1.0/g/NDATA/edge/extra",
                "spAv1.0/g/NDATA/edge", "spBv1.0/g/NDAT/edge", "spBv1.0//NDATA/edge", "zigbee2mqtt/room")) {
            DecodeResult result = codec.decode(new RawMessage(topic, null, payload, RECEIVED), DEVICE);
            assertThat(result.recordCount()).as(topic).isZero();
            assertThat(result.problems()).as(topic).singleElement().satisfies(p -> {
                assertThat(p.device()).isEqualTo(WHO);
                assertThat(p.message()).contains("is not Sparkplug B");
            });
        }
    }

    @Test
    void survivesEveryTruncationWithoutAWrongValue() throws Exception {
        decode(NODE, "NBIRTH", classroomNbirth(4));
        byte[] whole = encode(1L, RECEIVED - 1_000, false,
                metric("Classroom 7A/CO2", MetricDataType.Float, 1234.5f),
                metric("Classroom 7A/Temperature", MetricDataType.Double, 88.7));
        Set<Double> allowed = Set.of(1234.5, (88.7 - 32) * 5 / 9);

        for (int cut = 0; cut < whole.length; cut++) {
            SparkplugCodec fresh = new SparkplugCodec();
            fresh.decode(new RawMessage(String.format(NODE, "NBIRTH"), null, classroomNbirth(4), RECEIVED), DEVICE);
            DecodeResult result = fresh.decode(new RawMessage(String.format(NODE, "NDATA"), null, Arrays.copyOf(whole, cut), RECEIVED), DEVICE);
            for (Reading reading : result.readings()) {
                assertThat(allowed).as("cut at %d", cut).anySatisfy(v -> assertThat(reading.value()).isCloseTo(v, Offset.offset(1e-6)));
            }
            result.problems().forEach(p -> assertThat(p.device()).isEqualTo(WHO));
        }
        DecodeResult cutInFloat = decode(NODE, "NDATA", Arrays.copyOf(whole, whole.length - 3));
        assertThat(cutInFloat.recordCount()).isZero();
        assertThat(cutInFloat.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("not a Sparkplug B protobuf"));
    }

    @Test
    void treatsWrongWireTypesAsMissingFieldsNotAsValues() {
        // metric field 13 (double_value) sent as a varint instead of a fixed64; datatype 10 (Double)
        byte[] metric = {0x0a, 0x03, 'C', 'O', '2', 0x20, 0x0a, 0x68, (byte) 0xd0, 0x0f};
        byte[] payload = new byte[2 + metric.length];
        payload[0] = 0x12; // field 2 (metrics), length-delimited
        payload[1] = (byte) metric.length;
        System.arraycopy(metric, 0, payload, 2, metric.length);
        // field 2 (metrics) sent as a varint: not a metric at all
        byte[] wrongMetrics = {0x10, 0x05, 0x18, 0x01};

        DecodeResult wrongValue = decode(NODE, "NDATA", payload);
        DecodeResult noMetrics = decode(NODE, "NDATA", wrongMetrics);

        assertThat(wrongValue.readings()).isEmpty();
        assertThat(wrongValue.problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("$.metrics[0]");
            assertThat(p.message()).contains("datatype Double but the value field is value_not_set");
        });
        assertThat(noMetrics.recordCount()).isZero();
    }

    @Test
    void survivesGarbageWithoutExceptionOrInventedValues() {
        Random random = new Random(11);
        Set<String> outcomes = new HashSet<>();
        for (int i = 0; i < 5000; i++) {
            byte[] garbage = new byte[random.nextInt(96)];
            random.nextBytes(garbage);
            DecodeResult result = decode(NODE, random.nextBoolean() ? "NDATA" : "DBIRTH", garbage);
            outcomes.add(result.problems().isEmpty() ? "clean" : "problems");
            result.readings().forEach(r -> assertThat(r.device()).isEqualTo("plc-1"));
        }
        assertThat(outcomes).contains("problems");
    }

    @Test
    void reportsNonFiniteImplausibleAndMistypedValuesPerMetric() throws Exception {
        byte[] payload = encode(0L, RECEIVED, false,
                metric("Temperature", MetricDataType.Double, Double.NaN),
                metric("CO2", MetricDataType.Double, 1e300),
                metric("Humidity", MetricDataType.Double, 55.0));
        byte[] mistyped = SparkplugBProto.Payload.newBuilder().setTimestamp(RECEIVED)
                .addMetrics(SparkplugBProto.Payload.Metric.newBuilder().setName("CO2").setDatatype(10).setStringValue("812"))
                .build().toByteArray();

        DecodeResult result = decode(NODE, "NDATA", payload);
        DecodeResult wrongType = decode(NODE, "NDATA", mistyped);

        assertThat(result.readings()).extracting(Reading::quantity, Reading::value).containsExactly(tuple(Quantity.HUMIDITY, 55.0));
        assertThat(result.problems()).extracting(DecodeProblem::field).containsExactly("$.metrics[0]", "$.metrics[1]");
        assertThat(result.problems().get(0).message()).contains("not a finite number");
        assertThat(result.problems().get(1).message()).contains("outside the plausible range");
        assertThat(wrongType.problems()).extracting(DecodeProblem::message)
                .containsExactly("\"CO2\": datatype Double but the value field is string_value");
    }

    @Test
    void usesReceiveTimeForTimestampsFromTheFuture() throws Exception {
        DecodeResult result = decode(NODE, "NDATA", encode(0L, RECEIVED + 86_400_000L, false,
                metric("CO2", MetricDataType.Double, 700.0)));

        assertThat(result.readings()).singleElement().satisfies(r -> assertThat(r.timestamp()).isEqualTo(SPEC_TIME));
        DecodeResult future = decode(NODE, "NDATA", encode(1L, RECEIVED + 86_400_000L, false,
                new MetricBuilder("CO2", MetricDataType.Double, 700.0).timestamp(null).createMetric()));
        assertThat(future.readings()).singleElement().satisfies(r -> assertThat(r.timestamp()).isEqualTo(RECEIVED));
        assertThat(future.problems()).extracting(DecodeProblem::field).containsExactly("$.timestamp");
    }

    @Test
    void rejectsAPayloadOverOneMebibyte() {
        DecodeResult result = decode(NODE, "NDATA", new byte[1024 * 1024 + 1]);

        assertThat(result.recordCount()).isZero();
        assertThat(result.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("1 MiB"));
    }
}
