package org.smartschool.bridge.codec.mutation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.smartschool.bridge.codec.Codec;
import org.smartschool.bridge.codec.DecodeResult;
import org.smartschool.bridge.codec.PlausibleRanges;
import org.smartschool.bridge.codec.RawMessage;
import org.smartschool.bridge.codec.esphome.EspHomeCodec;
import org.smartschool.bridge.codec.homie.HomieCodec;
import org.smartschool.bridge.codec.shellygen2.ShellyGen2Codec;
import org.smartschool.bridge.codec.tasmota.TasmotaCodec;
import org.smartschool.bridge.model.DeviceRef;

/**
 * A cheap, seeded stand-in for coverage-guided fuzzing of the Tasmota, ESPHome, Shelly Gen2 and
 * Homie codecs: documented payloads with bytes flipped, cut, repeated or replaced by extreme
 * numbers. Whatever comes out, no exception escapes, every reading is finite and plausible, and
 * every problem names the device.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MutatedPayloadsTest {
    private static final DeviceRef DEVICE = new DeviceRef("thpt-le-loi", "room-101", "dev-1");
    private static final long RECEIVED = Instant.parse("2025-03-10T02:15:00Z").toEpochMilli();
    private static final String[] EXTREMES = {"1e400", "-1e400", "NaN", "Infinity", "null", "\"x\"", "[]", "{}", "true",
            "123456789012345678901234567890", "-0", "0.000000000000000000000000001", "\u0000", "\uD800"};

    record Sample(String codec, String topic, String payload) {
        @Override
        public String toString() {
            return codec + " " + topic;
        }
    }

    static List<Sample> samples() {
        return List.of(
                new Sample("tasmota", "tele/x/SENSOR", "{\"Time\":\"2019-11-03T19:34:28\",\"BME280\":{\"Temperature\":21.7,"
                        + "\"Humidity\":66.6,\"Pressure\":988.6},\"PressureUnit\":\"hPa\",\"TempUnit\":\"C\"}"),
                new Sample("tasmota", "tele/x/SENSOR", "{\"Time\":\"2024-01-01T10:31:09\",\"Epoch\":1741572900,\"SCD40\":{\"CarbonDioxide\":1204,"
                        + "\"eCO2\":1235,\"Temperature\":28.8,\"Humidity\":47.5,\"DewPoint\":16.5},\"DS18B20-1\":{\"Id\":\"01144A0CB2AA\","
                        + "\"Temperature\":4.2},\"DS18B20-2\":{\"Temperature\":3.9},\"TempUnit\":\"F\"}"),
                new Sample("tasmota", "tele/x/SENSOR", "{\"ENERGY\":{\"Total\":[2.813,0.254],\"Power\":[52,5],\"Voltage\":235,"
                        + "\"Current\":[0.278,0.044]},\"PMS5003\":{\"PM2.5\":2,\"PM10\":2},\"SDS0X1\":{\"PM2.5\":3.1,\"PM10\":5.6}}"),
                new Sample("tasmota", "tele/x/STATE", "{\"Time\":\"2020-03-11T17:49:33\",\"Wifi\":{\"AP\":1,\"RSSI\":62,\"Signal\":-69}}"),
                new Sample("esphome", "x/sensor/workshop_co2/state", "812"),
                new Sample("esphome", "x/binary_sensor/classroom_motion/state", "ON"),
                new Sample("shelly-gen2", "x/events/rpc", "{\"src\":\"shellyplusht-1\",\"dst\":\"x/events\",\"method\":\"NotifyFullStatus\","
                        + "\"params\":{\"ts\":1741572900.12,\"devicepower:0\":{\"id\":0,\"battery\":{\"V\":5.92,\"percent\":75},"
                        + "\"external\":{\"present\":false}},\"humidity:0\":{\"id\":0,\"rh\":42.2},\"temperature:0\":{\"id\":0,"
                        + "\"tC\":19.8,\"tF\":67.6},\"switch:1\":{\"id\":1,\"apower\":12.5,\"voltage\":237.4,\"current\":0.09,"
                        + "\"aenergy\":{\"total\":310.2}},\"smoke:0\":{\"id\":0,\"alarm\":false},\"wifi\":{\"rssi\":-58}}}"),
                new Sample("homie", "homie/5/car/$description", "{\"homie\":\"5.0\",\"nodes\":{\"engine\":{\"properties\":"
                        + "{\"temperature\":{\"unit\":\"°C\",\"datatype\":\"float\"}}}}}"),
                new Sample("homie", "homie/5/car/engine/temperature", "21.5"));
    }

    private static Codec codec(String name) {
        return switch (name) {
            case "tasmota" -> new TasmotaCodec();
            case "esphome" -> new EspHomeCodec();
            case "shelly-gen2" -> new ShellyGen2Codec();
            case "homie" -> new HomieCodec();
            default -> throw new IllegalArgumentException(name);
        };
    }

    @ParameterizedTest
    @MethodSource("samples")
    void survivesMutationsOfDocumentedPayloadsWithoutAWrongValue(Sample sample) {
        Codec codec = codec(sample.codec());
        Random random = new Random(sample.payload().hashCode());
        byte[] original = sample.payload().getBytes(StandardCharsets.UTF_8);
        check(codec, sample.topic(), original);
        for (int i = 0; i < 3_000; i++) {
            check(codec, sample.topic(), mutate(original, random));
        }
    }

    private static void check(Codec codec, String topic, byte[] payload) {
        DecodeResult result = codec.decode(new RawMessage(topic, null, payload, RECEIVED), DEVICE);
        assertThat(result).isNotNull();
        result.readings().forEach(r -> {
            assertThat(PlausibleRanges.isPlausible(r.quantity(), r.value())).as("%s", r).isTrue();
            assertThat(r.unit()).isEqualTo(r.quantity().unit());
            assertThat(r.device()).startsWith("dev-1");
            assertThat(r.timestamp()).isPositive();
        });
        result.problems().forEach(p -> {
            assertThat(p.device()).isEqualTo(DEVICE.toString());
            assertThat(p.field()).isNotBlank();
            assertThat(p.message()).isNotBlank().doesNotContain("\n");
        });
    }

    private static byte[] mutate(byte[] in, Random random) {
        byte[] out = in.clone();
        int at = random.nextInt(out.length);
        switch (random.nextInt(6)) {
            case 0 -> out[at] = (byte) random.nextInt(256);
            case 1 -> out = java.util.Arrays.copyOf(out, at);
            case 2 -> {
                int len = Math.min(out.length - at, 1 + random.nextInt(8));
                byte[] grown = new byte[out.length + len];
                System.arraycopy(out, 0, grown, 0, at + len);
                System.arraycopy(out, at, grown, at + len, out.length - at);
                out = grown;
            }
            case 3 -> {
                String text = new String(out, StandardCharsets.UTF_8);
                int digit = indexOfDigit(text, random.nextInt(Math.max(1, text.length())));
                if (digit >= 0) {
                    int end = digit;
                    while (end < text.length() && (Character.isDigit(text.charAt(end)) || text.charAt(end) == '.')) {
                        end++;
                    }
                    out = (text.substring(0, digit) + EXTREMES[random.nextInt(EXTREMES.length)] + text.substring(end))
                            .getBytes(StandardCharsets.UTF_8);
                }
            }
            case 4 -> out[at] ^= (byte) (1 << random.nextInt(8));
            default -> {
                int from = random.nextInt(out.length);
                int to = Math.min(out.length, from + random.nextInt(16));
                byte[] cut = new byte[out.length - (to - from)];
                System.arraycopy(out, 0, cut, 0, from);
                System.arraycopy(out, to, cut, from, out.length - to);
                out = cut;
            }
        }
        return out;
    }

    private static int indexOfDigit(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            if (Character.isDigit(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
