package org.smartschool.bridge.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.function.Supplier;

import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import org.eclipse.tahu.message.SparkplugBPayloadEncoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.Metric.MetricBuilder;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.PropertyDataType;
import org.eclipse.tahu.message.model.PropertySet.PropertySetBuilder;
import org.eclipse.tahu.message.model.PropertyValue;
import org.eclipse.tahu.message.model.SparkplugBPayload.SparkplugBPayloadBuilder;

import org.smartschool.bridge.codec.Codec;
import org.smartschool.bridge.codec.RawMessage;
import org.smartschool.bridge.codec.cameraanalytics.CameraAnalyticsCodec;
import org.smartschool.bridge.codec.cardreader.CardReaderCodec;
import org.smartschool.bridge.codec.esphome.EspHomeCodec;
import org.smartschool.bridge.codec.homie.HomieCodec;
import org.smartschool.bridge.codec.lwm2m.Lwm2mCodec;
import org.smartschool.bridge.codec.senml.SenmlCodec;
import org.smartschool.bridge.codec.serialline.SerialLineCodec;
import org.smartschool.bridge.codec.shellygen2.ShellyGen2Codec;
import org.smartschool.bridge.codec.sparkplug.SparkplugCodec;
import org.smartschool.bridge.codec.tasmota.TasmotaCodec;
import org.smartschool.bridge.codec.zigbee2mqtt.Zigbee2MqttCodec;

/**
 * One realistic traffic sample per firmware, of the size that firmware typically sends: the documented
 * payloads the codec tests use (their pages are cited there), a classroom's worth of values in each.
 * {@code prelude} is what a device sends before its values and the codec learns from (Homie's
 * {@code $description}, Sparkplug's NBIRTH); {@code messages} are decoded in turn, over and over.
 */
record CodecSamples(String name, String description, Supplier<Codec> codec, List<RawMessage> prelude,
                    List<RawMessage> messages) {
    /** 2025-03-10T02:15:00Z, a Monday morning lesson in Ho Chi Minh City. */
    static final long RECEIVED_AT = 1_741_572_900_000L;

    static final List<String> NAMES = List.of("zigbee2mqtt", "tasmota", "esphome", "shelly-gen2", "homie", "senml-json",
            "senml-cbor", "lwm2m", "sparkplug-b", "serial-line", "card-reader", "camera-analytics");

    static CodecSamples named(String name) {
        return switch (name) {
            case "zigbee2mqtt" -> new CodecSamples(name, "Aqara climate + Tuya air box state JSON", Zigbee2MqttCodec::new, List.of(), List.of(
                    text("zigbee2mqtt/r101/climate", "{\"battery\":91,\"humidity\":71.42,\"linkquality\":120,"
                            + "\"power_outage_count\":2,\"pressure\":1008.3,\"temperature\":29.86,\"voltage\":2985}"),
                    text("zigbee2mqtt/r101/air", "{\"co2\":812,\"formaldehyd\":12,\"humidity\":68.5,\"linkquality\":94,"
                            + "\"pm25\":23,\"temperature\":29.4,\"voc\":210}")));
            case "tasmota" -> new CodecSamples(name, "tele/SENSOR, SCD40 + BH1750", TasmotaCodec::new, List.of(), List.of(
                    text("tele/air-101/SENSOR", "{\"Time\":\"2025-03-10T09:14:30\",\"SCD40\":{\"CarbonDioxide\":1204,"
                            + "\"eCO2\":1235,\"Temperature\":28.8,\"Humidity\":47.5,\"DewPoint\":16.5},"
                            + "\"BH1750\":{\"Illuminance\":412},\"TempUnit\":\"C\"}")));
            case "esphome" -> new CodecSamples(name, "sensor state, one number per topic", EspHomeCodec::new, List.of(), List.of(
                    text("air-101/sensor/workshop_co2/state", "812"),
                    text("air-101/sensor/workshop_temperature/state", "29.43"),
                    text("air-101/sensor/workshop_humidity/state", "71.2")));
            case "shelly-gen2" -> new CodecSamples(name, "NotifyStatus of a Plus H&T", ShellyGen2Codec::new, List.of(), List.of(
                    text("shellyplusht-08b61fcb7f3c/events/rpc", "{\"src\":\"shellyplusht-08b61fcb7f3c\","
                            + "\"dst\":\"shellyplusht-08b61fcb7f3c/events\",\"method\":\"NotifyStatus\",\"params\":{\"ts\":1741572900.12,"
                            + "\"temperature:0\":{\"id\":0,\"tC\":24.3,\"tF\":75.7},\"humidity:0\":{\"id\":0,\"rh\":61.5},"
                            + "\"devicepower:0\":{\"id\":0,\"battery\":{\"V\":5.9,\"percent\":75},\"external\":{\"present\":false}}}}")));
            case "homie" -> new CodecSamples(name, "Homie 5 property values", HomieCodec::new, List.of(
                    text("homie/5/air-101/$description", "{\"homie\":\"5.0\",\"version\":1,\"nodes\":{\"air\":{\"properties\":{"
                            + "\"co2\":{\"datatype\":\"integer\",\"unit\":\"ppm\"},\"temperature\":{\"datatype\":\"float\",\"unit\":\"°C\"},"
                            + "\"humidity\":{\"datatype\":\"float\",\"unit\":\"%\"}}}}}")), List.of(
                    text("homie/5/air-101/air/co2", "1180"),
                    text("homie/5/air-101/air/temperature", "27.5"),
                    text("homie/5/air-101/air/humidity", "68.4")));
            case "senml-json" -> new CodecSamples(name, "RFC 8428 pack, 7 records", SenmlCodec::new, List.of(),
                    List.of(new RawMessage("rd/air-101", "application/senml+json", classroomPackJson(), RECEIVED_AT)));
            case "senml-cbor" -> new CodecSamples(name, "RFC 8428 pack, 7 records", SenmlCodec::new, List.of(),
                    List.of(new RawMessage("rd/air-101", "application/senml+cbor", classroomPackCbor(), RECEIVED_AT)));
            case "lwm2m" -> new CodecSamples(name, "SenML JSON of 3303, 3304, 3428", Lwm2mCodec::new, List.of(),
                    List.of(new RawMessage("rd/lwm2m-101", "application/senml+json", ("[{\"bn\":\"/3303/0/\",\"n\":\"5700\",\"v\":31.4},"
                            + "{\"n\":\"5701\",\"vs\":\"Cel\"},{\"bn\":\"/3304/0/\",\"n\":\"5700\",\"v\":71.5},"
                            + "{\"bn\":\"/3428/0/\",\"n\":\"1\",\"v\":41.2},{\"n\":\"3\",\"v\":23.5},{\"n\":\"17\",\"v\":1450}]")
                            .getBytes(StandardCharsets.UTF_8), RECEIVED_AT)));
            case "sparkplug-b" -> new CodecSamples(name, "NDATA by alias after NBIRTH", SparkplugCodec::new,
                    List.of(sparkplug("NBIRTH", classroomNbirth())), List.of(sparkplug("NDATA", classroomNdata())));
            case "serial-line" -> new CodecSamples(name, "key=value frame, 8 values", SerialLineCodec::new, List.of(), List.of(
                    text("/dev/ttyUSB0", "CO2=1450;T=31.2;H=78.5;PM25=35;PM10=52;LUX=320;NOISE=61.5;VOC=220\r\n")));
            case "card-reader" -> new CodecSamples(name, "RC522 UID line, Wiegand 26 JSON", CardReaderCodec::new, List.of(), List.of(
                    text("school/door-101/tap", "UID: 04 7b cb 51 96 22 80\n"),
                    text("school/door-101/tap", "{\"wiegand\":26,\"bits\":\"11101010000011011100000010\"}")));
            case "camera-analytics" -> new CodecSamples(name, "people_count JSON", CameraAnalyticsCodec::new, List.of(), List.of(
                    new RawMessage("cameras/cam-101/analytics", "application/json", ("{\"type\":\"people_count\",\"count\":24,"
                            + "\"in\":31,\"out\":7,\"zone\":\"classroom\",\"time\":\"2025-03-10T09:14:00+07:00\",\"camera\":\"cam-101\"}")
                            .getBytes(StandardCharsets.UTF_8), RECEIVED_AT)));
            default -> throw new IllegalArgumentException("unknown sample '" + name + "': known are " + NAMES);
        };
    }

    private static RawMessage text(String topic, String payload) {
        return new RawMessage(topic, null, payload.getBytes(StandardCharsets.UTF_8), RECEIVED_AT);
    }

    /** A classroom multi-sensor's pack, as a CoAP device POSTs it: base name and base time, seven records. */
    private static final String BASE_NAME = "urn:dev:mac:0024befffe804ff1:";
    private static final String[][] CLASSROOM = {
            {"co2", "ppm", "812"}, {"temperature", "Cel", "29.4"}, {"humidity", "%RH", "71"}, {"illuminance", "lx", "412"},
            {"noise", "dBA", "48.5"}, {"pm25", "ug/m3", "14"}, {"voc", "ppb", "210"}};

    private static byte[] classroomPackJson() {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < CLASSROOM.length; i++) {
            String[] r = CLASSROOM[i];
            json.append(i == 0 ? "{\"bn\":\"" + BASE_NAME + "\",\"bt\":" + RECEIVED_AT / 1000 + "," : ",{")
                    .append("\"n\":\"").append(r[0]).append("\",\"u\":\"").append(r[1]).append("\",\"v\":").append(r[2]).append('}');
        }
        return json.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The same pack in CBOR with the integer labels of RFC 8428 section 6. */
    private static byte[] classroomPackCbor() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CBORGenerator g = new CBORFactory().createGenerator(out)) {
            g.writeStartArray();
            for (int i = 0; i < CLASSROOM.length; i++) {
                String[] r = CLASSROOM[i];
                g.writeStartObject();
                if (i == 0) {
                    g.writeFieldId(-2); // bn
                    g.writeString(BASE_NAME);
                    g.writeFieldId(-3); // bt
                    g.writeNumber(RECEIVED_AT / 1000);
                }
                g.writeFieldId(0); // n
                g.writeString(r[0]);
                g.writeFieldId(1); // u
                g.writeString(r[1]);
                g.writeFieldId(2); // v
                g.writeNumber(Double.parseDouble(r[2]));
                g.writeEndObject();
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static RawMessage sparkplug(String type, byte[] payload) {
        return new RawMessage("spBv1.0/school-1/" + type + "/air-node-101", null, payload, RECEIVED_AT);
    }

    /** A classroom air node's NBIRTH as Tahu-based edge nodes build it: aliases 1-4, units in engUnit properties. */
    private static byte[] classroomNbirth() {
        return sparkplugPayload(0, RECEIVED_AT - 5_000, false,
                metric("bdSeq", 0, MetricDataType.UInt64, BigInteger.ZERO, null),
                metric("Node Control/Rebirth", 5, MetricDataType.Boolean, false, null),
                metric("Classroom 101/Temperature", 1, MetricDataType.Double, 84.2, "°F"),
                metric("Classroom 101/CO2", 2, MetricDataType.Float, 640f, "ppm"),
                metric("Classroom 101/Humidity", 3, MetricDataType.UInt8, (short) 71, "%"),
                metric("Classroom 101/PM2.5", 4, MetricDataType.Float, 14f, "ug/m3"));
    }

    private static byte[] classroomNdata() {
        return sparkplugPayload(1, RECEIVED_AT - 1_000, true,
                aliased(1, MetricDataType.Double, 86.0),
                aliased(2, MetricDataType.Float, 1250.5f),
                aliased(3, MetricDataType.UInt8, (short) 78),
                aliased(4, MetricDataType.Float, 21.5f));
    }

    private static Metric metric(String name, long alias, MetricDataType type, Object value, String engUnit) {
        try {
            MetricBuilder builder = new MetricBuilder(name, type, value).alias(alias).timestamp(new Date(RECEIVED_AT - 5_000));
            if (engUnit != null) {
                builder.properties(new PropertySetBuilder()
                        .addProperty("engUnit", new PropertyValue<>(PropertyDataType.String, engUnit)).createPropertySet());
            }
            return builder.createMetric();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Metric aliased(long alias, MetricDataType type, Object value) {
        try {
            return new MetricBuilder(alias, type, value).timestamp(null).createMetric();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sparkplugPayload(long seq, long timestamp, boolean stripDataTypes, Metric... metrics) {
        SparkplugBPayloadBuilder builder = new SparkplugBPayloadBuilder().setTimestamp(new Date(timestamp)).setSeq(seq);
        for (Metric metric : metrics) {
            builder.addMetric(metric);
        }
        try {
            return new SparkplugBPayloadEncoder().getBytes(builder.createPayload(), stripDataTypes);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
