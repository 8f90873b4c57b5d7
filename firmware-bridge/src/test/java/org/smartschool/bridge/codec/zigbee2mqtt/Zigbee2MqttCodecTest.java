package org.smartschool.bridge.codec.zigbee2mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.smartschool.bridge.codec.DecodeProblem;
import org.smartschool.bridge.codec.DecodeResult;
import org.smartschool.bridge.codec.JsonPayloadReader;
import org.smartschool.bridge.codec.PlausibleRanges;
import org.smartschool.bridge.codec.RawMessage;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class Zigbee2MqttCodecTest {
    private static final DeviceRef DEVICE = new DeviceRef("thpt-le-loi", "r101", "aq1");
    private static final String WHO = "thpt-le-loi/r101/aq1";
    private static final String TOPIC = "zigbee2mqtt/r101/aq1";
    private static final long RECEIVED = Instant.parse("2026-03-02T01:15:00.250Z").toEpochMilli();

    private final Zigbee2MqttCodec codec = new Zigbee2MqttCodec();

    private DecodeResult decode(String topic, String payload) {
        return decode(topic, payload.getBytes(StandardCharsets.UTF_8));
    }

    private DecodeResult decode(String topic, byte[] payload) {
        return codec.decode(new RawMessage(topic, null, payload, RECEIVED), DEVICE);
    }

    private static double value(DecodeResult result, Quantity quantity) {
        return result.readings().stream().filter(r -> r.quantity() == quantity).findFirst()
                .map(Reading::value).orElseThrow(() -> new AssertionError("no " + quantity.id() + " in " + result));
    }

    private static boolean has(DecodeResult result, Quantity quantity) {
        return result.readings().stream().anyMatch(r -> r.quantity() == quantity);
    }

    // --- realistic payloads ---------------------------------------------------------------------

    @Test
    void decodesAqaraClimateSensorWithBatteryVoltageInMillivolts() {
        // Aqara WSDCGQ11LM, exposes battery, temperature, humidity, pressure, voltage (mV), power_outage_count:
        // https://www.zigbee2mqtt.io/devices/WSDCGQ11LM.html
        DecodeResult r = decode(TOPIC, "{\"battery\":91,\"humidity\":71.42,\"linkquality\":120,"
                + "\"power_outage_count\":2,\"pressure\":1008.3,\"temperature\":29.86,\"voltage\":2985}");

        assertThat(r.problems()).isEmpty();
        assertThat(r.ignored()).isFalse();
        assertThat(value(r, Quantity.TEMPERATURE)).isEqualTo(29.86);
        assertThat(value(r, Quantity.HUMIDITY)).isEqualTo(71.42);
        assertThat(value(r, Quantity.PRESSURE)).isEqualTo(1008.3);
        assertThat(value(r, Quantity.VOLTAGE)).isEqualTo(2.985);
        assertThat(value(r, Quantity.BATTERY)).isEqualTo(91);
        assertThat(value(r, Quantity.LINK_QUALITY)).isEqualTo(120);
        assertThat(r.readings()).hasSize(6).allSatisfy(reading -> {
            assertThat(reading.timestamp()).isEqualTo(RECEIVED);
            assertThat(reading.deviceRef()).isEqualTo(DEVICE);
            assertThat(reading.unit()).isEqualTo(reading.quantity().unit());
        });
        assertThat(r.events()).isEmpty();
    }

    @Test
    void decodesTuyaAirQualityBoxAndLeavesFormaldehydeOut() {
        // Tuya TS0601_smart_air_house_keeper exposes co2, voc, formaldehyd (mg/m3), pm25, temperature, humidity:
        // https://www.zigbee2mqtt.io/devices/TS0601_smart_air_house_keeper.html
        DecodeResult r = decode(TOPIC, "{\"co2\":812,\"formaldehyd\":12,\"humidity\":68.5,\"linkquality\":94,"
                + "\"pm25\":23,\"temperature\":29.4,\"voc\":210}");

        assertThat(r.problems()).isEmpty();
        assertThat(value(r, Quantity.CO2)).isEqualTo(812);
        assertThat(value(r, Quantity.PM25)).isEqualTo(23);
        assertThat(value(r, Quantity.VOC)).isEqualTo(210);
        assertThat(value(r, Quantity.TEMPERATURE)).isEqualTo(29.4);
        assertThat(value(r, Quantity.HUMIDITY)).isEqualTo(68.5);
        assertThat(r.readings()).extracting(Reading::quantity).containsExactly(Quantity.TEMPERATURE,
                Quantity.HUMIDITY, Quantity.CO2, Quantity.PM25, Quantity.VOC, Quantity.LINK_QUALITY);
        assertThat(r.readings()).extracting(Reading::unit).containsExactly("Cel", "%RH", "ppm", "ug/m3", "ppb", "1");
    }

    @Test
    void convertsVocFromPpmWhenTheInstallationSaysSo() {
        // TS0601_air_quality_sensor: e.voc().withUnit('ppm') in zigbee-herdsman-converters src/devices/tuya.ts
        DecodeResult r = new Zigbee2MqttCodec(VocUnit.PPM).decode(
                new RawMessage(TOPIC, null, "{\"voc\":0.35,\"co2\":640}".getBytes(StandardCharsets.UTF_8), RECEIVED), DEVICE);

        assertThat(r.problems()).isEmpty();
        assertThat(value(r, Quantity.VOC)).isEqualTo(350.0);
        assertThat(value(r, Quantity.CO2)).isEqualTo(640.0);
    }

    @Test
    void decodesDoorSensorContactFalseAsDoorOpenAndTrueAsDoorClosed() {
        // Aqara MCCGQ11LM: contact true = closed, false = open; battery device with voltage in mV:
        // https://www.zigbee2mqtt.io/devices/MCCGQ11LM.html
        DecodeResult open = decode(TOPIC, "{\"battery\":100,\"contact\":false,\"device_temperature\":28,"
                + "\"linkquality\":150,\"power_outage_count\":3,\"voltage\":3055}");
        DecodeResult closed = decode(TOPIC, "{\"battery\":100,\"contact\":true,\"linkquality\":150,\"voltage\":3055}");

        assertThat(open.problems()).isEmpty();
        assertThat(open.events()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventType.DOOR_OPEN);
            assertThat(e.timestamp()).isEqualTo(RECEIVED);
            assertThat(e.deviceRef()).isEqualTo(DEVICE);
        });
        assertThat(closed.events()).extracting(DeviceEvent::type).containsExactly(EventType.DOOR_CLOSED);
        assertThat(value(open, Quantity.VOLTAGE)).isEqualTo(3.055);
        assertThat(has(open, Quantity.TEMPERATURE)).as("device_temperature is the chip, not the room").isFalse();
    }

    @Test
    void decodesSmokeDetectorAlarmAndTamperAsAlertEvents() {
        // Heiman HS1SA smoke detector exposes smoke, battery_low, tamper, battery:
        // https://www.zigbee2mqtt.io/devices/HS1SA.html
        DecodeResult r = decode(TOPIC, "{\"battery\":96,\"battery_low\":false,\"linkquality\":87,"
                + "\"smoke\":true,\"tamper\":false}");

        assertThat(r.problems()).isEmpty();
        assertThat(r.events()).hasSize(2);
        assertThat(r.events().get(0).type()).isEqualTo(EventType.ALERT);
        assertThat(r.events().get(0).attributes()).isEqualTo(Map.of("kind", "smoke", "active", "true"));
        assertThat(r.events().get(1).attributes()).isEqualTo(Map.of("kind", "tamper", "active", "false"));
    }

    @Test
    void decodesGasDetectorAlarmAndDensityInLel() {
        // Aqara JT-BZ-01AQ/A natural gas detector: gas (binary), gas_density in %LEL:
        // https://www.zigbee2mqtt.io/devices/JT-BZ-01AQ_A.html
        DecodeResult r = decode(TOPIC, "{\"gas\":true,\"gas_density\":12,\"gas_sensitivity\":\"15%LEL\","
                + "\"linkquality\":110,\"power_outage_count\":0,\"state\":\"preparation\"}");

        assertThat(r.problems()).isEmpty();
        assertThat(value(r, Quantity.GAS)).isEqualTo(12);
        assertThat(r.events()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventType.ALERT);
            assertThat(e.attributes()).isEqualTo(Map.of("kind", "gas", "active", "true"));
        });
    }

    @Test
    void decodesWaterLeakAsAlert() {
        // Aqara SJCGQ11LM water leak sensor: https://www.zigbee2mqtt.io/devices/SJCGQ11LM.html
        DecodeResult r = decode(TOPIC, "{\"battery\":100,\"water_leak\":true,\"voltage\":3025,\"linkquality\":60}");

        assertThat(r.events()).singleElement().extracting(DeviceEvent::attributes)
                .isEqualTo(Map.of("kind", "water_leak", "active", "true"));
    }

    @Test
    void decodesSmartPlugWithEnergyInWattHoursAndMainsVoltageInVolts() {
        // Tuya TS011F_plug_1 exposes power (W), current (A), voltage (V), energy (kWh), state, child_lock...:
        // https://www.zigbee2mqtt.io/devices/TS011F_plug_1.html
        DecodeResult r = decode(TOPIC, "{\"child_lock\":\"UNLOCK\",\"current\":0.54,\"energy\":12.34,"
                + "\"indicator_mode\":\"off/on\",\"linkquality\":100,\"power\":120,\"power_outage_memory\":\"restore\","
                + "\"state\":\"ON\",\"voltage\":229}");

        assertThat(r.problems()).isEmpty();
        assertThat(value(r, Quantity.POWER)).isEqualTo(120);
        assertThat(value(r, Quantity.ENERGY)).isEqualTo(12340.0);
        assertThat(value(r, Quantity.VOLTAGE)).isEqualTo(229);
        assertThat(value(r, Quantity.CURRENT)).isEqualTo(0.54);
    }

    @Test
    void decodesOccupancyAndPresenceAsOccupancyEvents() {
        // Aqara RTCGQ11LM motion sensor: occupancy, illuminance: https://www.zigbee2mqtt.io/devices/RTCGQ11LM.html
        DecodeResult pir = decode(TOPIC, "{\"battery\":100,\"illuminance\":381,\"linkquality\":90,\"occupancy\":true,"
                + "\"voltage\":3005}");
        // Tuya mmWave presence sensor: presence, illuminance: https://www.zigbee2mqtt.io/devices/ZY-M100-S_1.html
        DecodeResult mmwave = decode(TOPIC, "{\"presence\":false,\"illuminance\":120,\"linkquality\":150}");

        assertThat(pir.events()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventType.OCCUPANCY);
            assertThat(e.attributes()).isEqualTo(Map.of("occupied", "true"));
        });
        assertThat(value(pir, Quantity.ILLUMINANCE)).isEqualTo(381);
        assertThat(mmwave.events()).singleElement().extracting(DeviceEvent::attributes)
                .isEqualTo(Map.of("occupied", "false"));
    }

    @Test
    void prefersIlluminanceLuxOverTheOldRawIlluminance() {
        // before Zigbee2MQTT 2.0, illuminance was the raw value next to illuminance_lux
        DecodeResult old = decode(TOPIC, "{\"illuminance\":26000,\"illuminance_lux\":398,\"occupancy\":false}");
        // since 2.0, only illuminance is sent, in lx
        DecodeResult current = decode(TOPIC, "{\"illuminance\":412}");

        assertThat(old.readings()).singleElement().satisfies(reading -> {
            assertThat(reading.quantity()).isEqualTo(Quantity.ILLUMINANCE);
            assertThat(reading.value()).isEqualTo(398);
        });
        assertThat(value(current, Quantity.ILLUMINANCE)).isEqualTo(412);
    }

    @Test
    void decodesNoiseAndParticulates() {
        DecodeResult r = decode(TOPIC, "{\"noise\":52.5,\"pm10\":41,\"pm25\":18}");

        assertThat(value(r, Quantity.NOISE)).isEqualTo(52.5);
        assertThat(value(r, Quantity.PM10)).isEqualTo(41);
        assertThat(value(r, Quantity.PM25)).isEqualTo(18);
    }

    @Test
    void ignoresUnknownKeysAndNullsWithoutProblems() {
        DecodeResult r = decode(TOPIC, "{\"state\":\"ON\",\"update\":{\"state\":\"idle\",\"installed_version\":268513281},"
                + "\"update_available\":false,\"eco2\":900,\"hcho\":0.02,\"temperature\":null,\"humidity\":70.1}");

        assertThat(r.problems()).isEmpty();
        assertThat(r.readings()).singleElement().extracting(Reading::quantity).isEqualTo(Quantity.HUMIDITY);
    }

    // --- time -----------------------------------------------------------------------------------

    @Test
    void usesLastSeenInIso8601Utc() {
        DecodeResult r = decode(TOPIC, "{\"temperature\":28.1,\"last_seen\":\"2026-03-02T01:14:59.123Z\"}");

        assertThat(r.problems()).isEmpty();
        assertThat(r.readings().get(0).timestamp()).isEqualTo(Instant.parse("2026-03-02T01:14:59.123Z").toEpochMilli());
    }

    @Test
    void usesLastSeenInLocalIso8601WithOffset() {
        // ISO_8601_local as Zigbee2MQTT writes it in Vietnam, and the old form without the colon
        DecodeResult withColon = decode(TOPIC, "{\"temperature\":28.1,\"last_seen\":\"2026-03-02T08:14:59+07:00\"}");
        DecodeResult withoutColon = decode(TOPIC, "{\"temperature\":28.1,\"last_seen\":\"2026-03-02T08:14:59.500+0700\"}");

        assertThat(withColon.problems()).isEmpty();
        assertThat(withColon.readings().get(0).timestamp()).isEqualTo(Instant.parse("2026-03-02T01:14:59Z").toEpochMilli());
        assertThat(withoutColon.problems()).isEmpty();
        assertThat(withoutColon.readings().get(0).timestamp()).isEqualTo(Instant.parse("2026-03-02T01:14:59.500Z").toEpochMilli());
    }

    @Test
    void usesLastSeenInEpochMilliseconds() {
        long seen = RECEIVED - 1500;
        DecodeResult r = decode(TOPIC, "{\"contact\":false,\"last_seen\":" + seen + "}");

        assertThat(r.problems()).isEmpty();
        assertThat(r.events().get(0).timestamp()).isEqualTo(seen);
    }

    @Test
    void usesReceiveTimeForRelativeLastSeen() {
        DecodeResult r = decode(TOPIC, "{\"temperature\":28.1,\"last_seen\":\"0 seconds ago\"}");

        assertThat(r.problems()).isEmpty();
        assertThat(r.readings().get(0).timestamp()).isEqualTo(RECEIVED);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "1772414099",                      // epoch seconds where milliseconds belong: 1970
            "\"2026-03-09T01:14:59Z\"",        // a week after the message arrived
            "\"yesterday\"",
            "\"2026-03-02T08:14:59\"",         // no offset: which zone?
            "\"2026-02-30T01:00:00Z\"",
            "\"2026-02-30T01:00:00.000Z\"",       // the toISOString form, parsed without the formatter
            "\"2026-03-02T24:00:00.000Z\"",
            "\"2026-03-0xT01:00:00.000Z\"",
            "true",
            "1772414099123.5",                 // a fraction of a millisecond: not Zigbee2MQTT's epoch
            "-5",
            "1e400"})
    void reportsImplausibleLastSeenAndKeepsValuesWithReceiveTime(String lastSeen) {
        DecodeResult r = decode(TOPIC, "{\"temperature\":28.1,\"last_seen\":" + lastSeen + "}");

        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("$.last_seen");
            assertThat(p.device()).isEqualTo(WHO);
            assertThat(p.message()).contains("receive time is used");
        });
        assertThat(r.readings()).singleElement().satisfies(reading -> {
            assertThat(reading.value()).isEqualTo(28.1);
            assertThat(reading.timestamp()).isEqualTo(RECEIVED);
        });
    }

    @Test
    void reportsAMessageWithoutAnyUsableTime() {
        DecodeResult r = codec.decode(new RawMessage(TOPIC, null, "{\"temperature\":28.1}".getBytes(StandardCharsets.UTF_8), 0), DEVICE);

        assertThat(r.readings()).isEmpty();
        assertThat(r.problems()).singleElement().extracting(DecodeProblem::message).asString().contains("no usable time");
    }

    // --- availability and ignored topics ---------------------------------------------------------

    @Test
    void decodesJsonAndPlainAvailability() {
        DecodeResult json = decode(TOPIC + "/availability", "{\"state\":\"online\"}");
        DecodeResult plain = decode(TOPIC + "/availability", "offline");

        assertThat(json.events()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventType.DEVICE_ONLINE);
            assertThat(e.timestamp()).isEqualTo(RECEIVED);
        });
        assertThat(plain.events()).singleElement().extracting(DeviceEvent::type).isEqualTo(EventType.DEVICE_OFFLINE);
    }

    @Test
    void reportsUnknownAvailabilityStates() {
        DecodeResult json = decode(TOPIC + "/availability", "{\"state\":\"sleepy\"}");
        DecodeResult plain = decode(TOPIC + "/availability", "maybe\n");
        DecodeResult wrongType = decode(TOPIC + "/availability", "{\"state\":1}");

        assertThat(json.problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("$.state");
            assertThat(p.message()).contains("\"sleepy\"");
        });
        assertThat(plain.problems()).singleElement().extracting(DecodeProblem::field).isEqualTo("$");
        assertThat(wrongType.problems()).singleElement().extracting(DecodeProblem::message).asString().contains("the number 1");
        assertThat(json.recordCount() + plain.recordCount() + wrongType.recordCount()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"zigbee2mqtt/bridge/state", "zigbee2mqtt/bridge/devices", "zigbee2mqtt/bridge/logging",
            "zigbee2mqtt/bridge/response/device/rename", "zigbee2mqtt/r101/aq1/set", "zigbee2mqtt/r101/aq1/get"})
    void ignoresBridgeAndCommandTopicsOnPurpose(String topic) {
        DecodeResult r = decode(topic, "{\"state\":\"online\",\"temperature\":\"hot\"}");

        assertThat(r.ignored()).isTrue();
        assertThat(r.recordCount()).isZero();
        assertThat(r.problems()).isEmpty();
    }

    @Test
    void ignoresEmptyPayloadThatClearsARetainedMessage() {
        assertThat(decode(TOPIC, new byte[0]).ignored()).isTrue();
        assertThat(decode(TOPIC + "/availability", new byte[0]).ignored()).isTrue();
    }

    // --- bad input ------------------------------------------------------------------------------

    @Test
    void rejectsTruncatedJsonNamingTheDevice() {
        DecodeResult r = decode(TOPIC, "{\"temperature\":29.8,\"humid");

        assertThat(r.recordCount()).isZero();
        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.device()).isEqualTo(WHO);
            assertThat(p.field()).isEqualTo("$");
            assertThat(p.message()).startsWith("payload is not valid JSON");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1,2,3]", "42", "true", "\"online\"", "null"})
    void rejectsPayloadsThatAreNotObjects(String payload) {
        DecodeResult r = decode(TOPIC, payload);

        assertThat(r.recordCount()).isZero();
        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("$");
            assertThat(p.message()).contains("expected a JSON object");
        });
    }

    @Test
    void reportsWrongTypesPerFieldAndStillDecodesTheGoodFields() {
        DecodeResult r = decode(TOPIC, "{\"temperature\":\"hot\",\"humidity\":70.5,\"co2\":true,\"pm25\":[12],"
                + "\"occupancy\":\"yes\",\"contact\":1,\"voc\":{\"v\":1}}");

        assertThat(r.readings()).singleElement().satisfies(reading -> {
            assertThat(reading.quantity()).isEqualTo(Quantity.HUMIDITY);
            assertThat(reading.value()).isEqualTo(70.5);
        });
        assertThat(r.events()).isEmpty();
        assertThat(r.problems()).extracting(DecodeProblem::field)
                .containsExactlyInAnyOrder("$.temperature", "$.co2", "$.pm25", "$.voc", "$.occupancy", "$.contact");
        assertThat(r.problems()).allSatisfy(p -> assertThat(p.device()).isEqualTo(WHO));
        assertThat(r.problems()).filteredOn(p -> p.field().equals("$.temperature")).singleElement()
                .extracting(DecodeProblem::message).isEqualTo("expected a number, got the string \"hot\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"NaN", "Infinity", "-Infinity", "\"NaN\"", "\"Infinity\"", "\"-inf\"", "1e400", "-1e400"})
    void reportsNonFiniteNumbersAndKeepsTheOtherFields(String bad) {
        DecodeResult r = decode(TOPIC, "{\"temperature\":" + bad + ",\"humidity\":70.5}");

        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("$.temperature");
            assertThat(p.message()).containsAnyOf("NaN", "infinite", "not a finite number");
        });
        assertThat(r.readings()).extracting(Reading::quantity).containsExactly(Quantity.HUMIDITY);
    }

    @Test
    void reportsHugeButFiniteNumbersAsImplausible() {
        DecodeResult r = decode(TOPIC, "{\"co2\":123456789012345678901234567890,\"temperature\":1e300,\"humidity\":101}");

        assertThat(r.readings()).isEmpty();
        assertThat(r.problems()).extracting(DecodeProblem::field).containsExactly("$.temperature", "$.humidity", "$.co2");
        assertThat(r.problems()).allSatisfy(p -> assertThat(p.message()).contains("outside the plausible range"));
    }

    @Test
    void dropsImplausibleValuesNamingTheRange() {
        DecodeResult r = decode(TOPIC, "{\"temperature\":300,\"co2\":-5,\"linkquality\":300,\"pm25\":12}");

        assertThat(r.readings()).extracting(Reading::quantity).containsExactly(Quantity.PM25);
        assertThat(r.problems()).filteredOn(p -> p.field().equals("$.temperature")).singleElement()
                .extracting(DecodeProblem::message).asString().contains("-40..125 Cel");
        assertThat(r.problems()).extracting(DecodeProblem::field).contains("$.co2", "$.linkquality");
    }

    @Test
    void reportsBatteryVoltageMistakenForMainsAsImplausible() {
        // a battery device that has not reported "battery" yet: 2985 is read as V and caught by the range
        DecodeResult r = decode(TOPIC, "{\"voltage\":2985,\"temperature\":27}");

        assertThat(has(r, Quantity.VOLTAGE)).isFalse();
        assertThat(r.problems()).singleElement().extracting(DecodeProblem::field).isEqualTo("$.voltage");
    }

    @Test
    void rejectsDeeplyNestedPayloads() {
        String deep = "{\"a\":".repeat(5000) + "1" + "}".repeat(5000);
        DecodeResult r = decode(TOPIC, "{\"temperature\":21,\"x\":" + deep + "}");

        assertThat(r.recordCount()).isZero();
        assertThat(r.problems()).singleElement().extracting(DecodeProblem::message).asString()
                .contains("nesting depth");
    }

    @Test
    void rejectsPayloadsOverOneMebibyteBeforeParsingNamingTheSize() {
        byte[] big = new byte[JsonPayloadReader.MAX_PAYLOAD_BYTES + 1];
        Arrays.fill(big, (byte) ' ');
        byte[] head = "{\"temperature\":21}".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(head, 0, big, 0, head.length);

        DecodeResult r = decode(TOPIC, big);

        assertThat(r.recordCount()).isZero();
        assertThat(r.problems()).singleElement().extracting(DecodeProblem::message).asString()
                .contains("1048577 bytes").contains("1 MiB");
    }

    @Test
    void acceptsAPayloadOfExactlyOneMebibyte() {
        byte[] big = new byte[JsonPayloadReader.MAX_PAYLOAD_BYTES];
        Arrays.fill(big, (byte) ' ');
        byte[] head = "{\"temperature\":21}".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(head, 0, big, 0, head.length);

        DecodeResult r = decode(TOPIC, big);

        assertThat(r.problems()).isEmpty();
        assertThat(value(r, Quantity.TEMPERATURE)).isEqualTo(21);
    }

    @Test
    void rejectsInvalidUtf8NamingTheOffset() {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        payload.writeBytes("{\"temperature\":21,\"name\":\"".getBytes(StandardCharsets.UTF_8));
        int offset = payload.size();
        payload.write(0xC3);
        payload.write(0x28); // 0xC3 must be followed by a continuation byte
        payload.writeBytes("\"}".getBytes(StandardCharsets.UTF_8));

        DecodeResult r = decode(TOPIC, payload.toByteArray());

        assertThat(r.recordCount()).isZero();
        assertThat(r.problems()).singleElement().extracting(DecodeProblem::message)
                .isEqualTo("payload is not valid UTF-8: bad byte 0xc3 at offset " + offset);
    }

    @Test
    void rejectsOverlongUtf8AndLoneSurrogates() {
        byte[] overlong = {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'};
        byte[] surrogate = {'{', '"', 'a', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'};

        assertThat(decode(TOPIC, overlong).problems()).singleElement().extracting(DecodeProblem::message)
                .asString().contains("not valid UTF-8");
        assertThat(decode(TOPIC, surrogate).problems()).singleElement().extracting(DecodeProblem::message)
                .asString().contains("not valid UTF-8");
    }

    @Test
    void acceptsValidMultibyteUtf8() {
        DecodeResult r = decode(TOPIC, "{\"temperature\":21,\"description\":\"Phòng học 101 – cảm biến\"}");

        assertThat(r.problems()).isEmpty();
        assertThat(value(r, Quantity.TEMPERATURE)).isEqualTo(21);
    }

    @Test
    void rejectsDuplicateKeysAndTrailingContent() {
        DecodeResult duplicate = decode(TOPIC, "{\"temperature\":21,\"temperature\":99}");
        DecodeResult trailing = decode(TOPIC, "{\"temperature\":21} {\"temperature\":99}");

        assertThat(duplicate.recordCount()).isZero();
        assertThat(duplicate.problems()).singleElement().extracting(DecodeProblem::message).asString().contains("temperature");
        assertThat(trailing.recordCount()).isZero();
        assertThat(trailing.problems()).hasSize(1);
    }

    @Test
    void keepsProblemMessagesOnOneLineWhateverTheDeviceSends() {
        DecodeResult r = decode(TOPIC, "{\"temperature\":\"21\\n2026-03-02 INFO forged log line\\u0000\",\"humidity\":\""
                + "x".repeat(5000) + "\"}");

        assertThat(r.problems()).hasSize(2).allSatisfy(p -> {
            assertThat(p.toString()).doesNotContain("\n").doesNotContain("\u0000");
            assertThat(p.toString().length()).isLessThan(200);
        });
    }

    @Test
    void neverThrowsAndNeverDecodesImplausibleValuesFromMutatedPayloads() {
        byte[] seed = ("{\"battery\":91,\"co2\":812,\"humidity\":71.42,\"illuminance\":412,\"linkquality\":120,"
                + "\"pm25\":23,\"temperature\":29.86,\"voc\":210,\"occupancy\":true,\"contact\":false,"
                + "\"last_seen\":\"2026-03-02T01:14:59.123Z\"}").getBytes(StandardCharsets.UTF_8);
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            byte[] mutated = Arrays.copyOf(seed, seed.length);
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits; e++) {
                mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
            }
            if (random.nextInt(10) == 0) {
                mutated = Arrays.copyOf(mutated, random.nextInt(mutated.length));
            }
            DecodeResult r = decode(random.nextBoolean() ? TOPIC : TOPIC + "/availability", mutated);
            assertThat(r.readings()).allSatisfy(reading ->
                    assertThat(PlausibleRanges.isPlausible(reading.quantity(), reading.value())).isTrue());
            assertThat(r.problems()).allSatisfy(p -> assertThat(p.device()).isEqualTo(WHO));
            assertThat(r.problems()).noneSatisfy(p -> assertThat(p.message()).startsWith("decoder failed"));
        }
    }

    @Test
    void decodesTheSamePayloadToTheSameEventIds() {
        String payload = "{\"contact\":false,\"last_seen\":1772414099123}";

        assertThat(decode(TOPIC, payload).events().get(0).id()).isEqualTo(decode(TOPIC, payload).events().get(0).id());
        assertThat(value(decode(TOPIC, "{\"energy\":0.001}"), Quantity.ENERGY)).isCloseTo(1.0, within(0.0));
    }
}
