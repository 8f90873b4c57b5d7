package org.smartschool.bridge.codec.tasmota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

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

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class TasmotaCodecTest {
    private static final DeviceRef DEVICE = new DeviceRef("thpt-le-loi", "room-101", "env-1");
    private static final long RECEIVED = Instant.parse("2025-03-10T02:15:00Z").toEpochMilli();
    private final TasmotaCodec codec = new TasmotaCodec();

    private DecodeResult decode(String topic, String payload) {
        return decode(topic, payload.getBytes(StandardCharsets.UTF_8));
    }

    private DecodeResult decode(String topic, byte[] payload) {
        return codec.decode(new RawMessage(topic, null, payload, RECEIVED), DEVICE);
    }

    private static Reading reading(DecodeResult result, String device, Quantity quantity) {
        List<Reading> found = result.readings().stream()
                .filter(r -> r.device().equals(device) && r.quantity() == quantity).toList();
        assertThat(found).as("%s of %s in %s", quantity, device, result).hasSize(1);
        return found.get(0);
    }

    private static void assertOnlyProblem(DecodeResult result, String field, String fragment) {
        assertThat(result.problems()).as(result.toString()).hasSize(1);
        DecodeProblem problem = result.problems().get(0);
        assertThat(problem.device()).isEqualTo(DEVICE.toString());
        assertThat(problem.field()).isEqualTo(field);
        assertThat(problem.message()).containsIgnoringCase(fragment);
    }

    // --- documented payloads ---------------------------------------------------------------

    @Test
    void decodesAm2301WithTheReceiveTimeBecauseTasmotaTimeIsLocal() {
        // https://tasmota.github.io/docs/AM2301/
        DecodeResult result = decode("tele/env-1/SENSOR",
                "{\"Time\":\"2019-01-01T00:00:00\",\"AM2301\":{\"Temperature\":24.6,\"Humidity\":58.2},\"TempUnit\":\"C\"}");

        assertThat(result.problems()).isEmpty();
        assertThat(result.readings()).hasSize(2);
        Reading t = reading(result, "env-1", Quantity.TEMPERATURE);
        assertThat(t.value()).isEqualTo(24.6);
        assertThat(t.unit()).isEqualTo("Cel");
        assertThat(t.timestamp()).isEqualTo(RECEIVED);
        assertThat(t.school()).isEqualTo("thpt-le-loi");
        assertThat(t.room()).isEqualTo("room-101");
        assertThat(reading(result, "env-1", Quantity.HUMIDITY).value()).isEqualTo(58.2);
        assertThat(reading(result, "env-1", Quantity.HUMIDITY).unit()).isEqualTo("%RH");
    }

    @Test
    void decodesBme280TemperatureHumidityAndPressureInHpa() {
        // https://tasmota.github.io/docs/BME280/
        DecodeResult result = decode("tele/env-1/SENSOR", """
                {"Time": "2019-11-03T19:34:28",
                 "BME280": {"Temperature": 21.7, "Humidity": 66.6, "Pressure": 988.6},
                 "PressureUnit": "hPa", "TempUnit": "C"}""");

        assertThat(result.problems()).isEmpty();
        assertThat(reading(result, "env-1", Quantity.TEMPERATURE).value()).isEqualTo(21.7);
        assertThat(reading(result, "env-1", Quantity.HUMIDITY).value()).isEqualTo(66.6);
        Reading p = reading(result, "env-1", Quantity.PRESSURE);
        assertThat(p.value()).isEqualTo(988.6);
        assertThat(p.unit()).isEqualTo("hPa");
    }

    @Test
    void convertsPressureFromMmHgAndInHg() {
        // PressureUnit mmHg is SetOption24 (https://tasmota.github.io/docs/Commands/#setoption24), inHg SetOption139
        DecodeResult mm = decode("tele/env-1/SENSOR",
                "{\"Time\":\"2019-11-03T19:34:28\",\"BME280\":{\"Temperature\":21.7,\"Pressure\":741.5},\"PressureUnit\":\"mmHg\",\"TempUnit\":\"C\"}");
        DecodeResult in = decode("tele/env-1/SENSOR",
                "{\"Time\":\"2019-11-03T19:34:28\",\"BME280\":{\"Pressure\":29.19},\"PressureUnit\":\"inHg\"}");

        assertThat(reading(mm, "env-1", Quantity.PRESSURE).value()).isCloseTo(988.58, within(0.01));
        assertThat(reading(in, "env-1", Quantity.PRESSURE).value()).isCloseTo(988.49, within(0.01));
    }

    @Test
    void convertsFahrenheitAndGivesTheLessPreferredSensorItsOwnSubDevice() {
        // "SHT3X (and DHT11, multiple Sensor example)", https://tasmota.github.io/docs/JSON-Status-Responses/
        DecodeResult result = decode("stat/env-1/STATUS10", """
                {"StatusSNS": {"Time": "2018-02-07T20:16:19",
                  "DHT11": {"Temperature": 78.8, "Humidity": 27.0},
                  "SHT3X": {"Temperature": 74.8, "Humidity": 18.9},
                  "TempUnit": "F"}}""");

        assertThat(result.problems()).isEmpty();
        assertThat(reading(result, "env-1", Quantity.TEMPERATURE).value()).isCloseTo(23.778, within(0.001));
        assertThat(reading(result, "env-1", Quantity.HUMIDITY).value()).isEqualTo(18.9);
        assertThat(reading(result, "env-1.DHT11", Quantity.TEMPERATURE).value()).isCloseTo(26.0, within(0.001));
        assertThat(reading(result, "env-1.DHT11", Quantity.HUMIDITY).value()).isEqualTo(27.0);
        assertThat(result.readings()).hasSize(4).allSatisfy(r -> assertThat(r.room()).isEqualTo("room-101"));
    }

    @Test
    void decodesScd40CarbonDioxideAndLeavesOutTheRunningAverageAndDewPoint() {
        // https://tasmota.github.io/docs/SCD4x/
        DecodeResult result = decode("tele/env-1/SENSOR",
                "{\"Time\":\"2024-01-01T10:31:09\",\"SCD40\":{\"CarbonDioxide\":1204,\"eCO2\":1235,\"Temperature\":28.8,"
                        + "\"Humidity\":47.5,\"DewPoint\":16.5},\"TempUnit\":\"C\"}");

        assertThat(result.problems()).isEmpty();
        assertThat(result.readings()).hasSize(3);
        Reading co2 = reading(result, "env-1", Quantity.CO2);
        assertThat(co2.value()).isEqualTo(1204);
        assertThat(co2.unit()).isEqualTo("ppm");
        assertThat(reading(result, "env-1", Quantity.TEMPERATURE).value()).isEqualTo(28.8);
        assertThat(reading(result, "env-1", Quantity.HUMIDITY).value()).isEqualTo(47.5);
    }

    @Test
    void decodesScd30() {
        // field names from Scd30Show(), https://github.com/arendst/Tasmota/blob/development/tasmota/tasmota_xsns_sensor/xsns_42_scd30.ino
        DecodeResult result = decode("tele/env-1/SENSOR",
                "{\"Time\":\"2024-03-11T09:05:00\",\"SCD30\":{\"CarbonDioxide\":1530,\"eCO2\":1498,\"Temperature\":30.1,"
                        + "\"Humidity\":72.4,\"DewPoint\":24.6},\"TempUnit\":\"C\"}");

        assertThat(result.problems()).isEmpty();
        assertThat(reading(result, "env-1", Quantity.CO2).value()).isEqualTo(1530);
        assertThat(reading(result, "env-1", Quantity.TEMPERATURE).value()).isEqualTo(30.1);
        assertThat(reading(result, "env-1", Quantity.HUMIDITY).value()).isEqualTo(72.4);
    }

    @Test
    void decodesMhz19bCarbonDioxideButNeitherItsHousingNorTheEsp32ChipTemperature() {
        // payload quoted in https://github.com/sieren/Homepoint/issues/178 (Tasmota on ESP32 with an MH-Z19B)
        DecodeResult result = decode("tele/env-1/SENSOR",
                "{\"Time\":\"2021-08-23T10:22:13\",\"MHZ19B\":{\"Model\":\"B\",\"CarbonDioxide\":589,\"Temperature\":27.0},"
                        + "\"ESP32\":{\"Temperature\":34.4},\"TempUnit\":\"C\"}");

        assertThat(result.problems()).isEmpty();
        assertThat(result.readings()).hasSize(1);
        assertThat(reading(result, "env-1", Quantity.CO2).value()).isEqualTo(589);
    }

    @Test
    void decodesParticulateMatterFromPms5003AndSds0x1() {
        // PMS5003: https://tasmota.github.io/docs/JSON-Status-Responses/ ("PMS5003 and HTU21");
        // SDS0X1 keys PM2.5/PM10: https://tasmota.github.io/docs/SDS011/
        DecodeResult result = decode("tele/env-1/SENSOR", """
                {"Time": "2018-02-16T16:22:12",
                 "HTU21": {"Temperature": 24.7, "Humidity": 32.1},
                 "PMS5003": {"CF1": 1, "CF2.5": 2, "CF10": 2, "PM1": 1, "PM2.5": 2, "PM10": 2,
                             "PB0.3": 423, "PB0.5": 116, "PB1": 17, "PB2.5": 1, "PB5": 0, "PB10": 0},
                 "SDS0X1": {"PM2.5": 3.1, "PM10": 5.6},
                 "TempUnit": "C"}""");

        assertThat(result.problems()).isEmpty();
        assertThat(reading(result, "env-1", Quantity.PM25).value()).isEqualTo(2);
        assertThat(reading(result, "env-1", Quantity.PM25).unit()).isEqualTo("ug/m3");
        assertThat(reading(result, "env-1", Quantity.PM10).value()).isEqualTo(2);
        assertThat(reading(result, "env-1.SDS0X1", Quantity.PM25).value()).isEqualTo(3.1);
        assertThat(reading(result, "env-1.SDS0X1", Quantity.PM10).value()).isEqualTo(5.6);
        assertThat(reading(result, "env-1", Quantity.TEMPERATURE).value()).isEqualTo(24.7);
        assertThat(result.readings()).hasSize(6);
    }

    @Test
    void decodesBh1750Illuminance() {
        // https://tasmota.github.io/docs/BH1750/
        DecodeResult result = decode("tele/env-1/SENSOR", "{\"Time\":\"2019-11-03T20:45:37\",\"BH1750\":{\"Illuminance\":79}}");

        assertThat(result.problems()).isEmpty();
        Reading lux = reading(result, "env-1", Quantity.ILLUMINANCE);
        assertThat(lux.value()).isEqualTo(79);
        assertThat(lux.unit()).isEqualTo("lx");
    }

    @Test
    void decodesOneDs18b20AndGivesFurtherProbesTheirOwnSubDevicesInNumericOrder() {
        // https://tasmota.github.io/docs/DS18x20/ : one sensor is "DS18B20", several are "DS18B20-1".."DS18B20-n"
        DecodeResult single = decode("tele/fridge-1/SENSOR",
                "{\"Time\":\"2019-01-01T00:00:00\",\"DS18B20\":{\"Temperature\":4.7},\"TempUnit\":\"C\"}");
        DecodeResult several = decode("tele/fridge-1/SENSOR", """
                {"Time": "2024-05-02T08:00:00",
                 "DS18B20-10": {"Id": "0000054EBB2A", "Temperature": 6.1},
                 "DS18B20-2": {"Id": "000003287CD8", "Temperature": 3.9},
                 "DS18B20-1": {"Id": "01144A0CB2AA", "Temperature": 4.2},
                 "TempUnit": "C"}""");

        assertThat(reading(single, "env-1", Quantity.TEMPERATURE).value()).isEqualTo(4.7);
        assertThat(several.problems()).isEmpty();
        assertThat(reading(several, "env-1", Quantity.TEMPERATURE).value()).isEqualTo(4.2);
        assertThat(reading(several, "env-1.DS18B20-2", Quantity.TEMPERATURE).value()).isEqualTo(3.9);
        assertThat(reading(several, "env-1.DS18B20-10", Quantity.TEMPERATURE).value()).isEqualTo(6.1);
    }

    @Test
    void decodesEnergyTotalInKwhAsWattHours() {
        // "POW" StatusSNS, https://tasmota.github.io/docs/JSON-Status-Responses/ ; Total is kWh
        // (Home Assistant discovery "unit_of_meas":"kWh" for ENERGY Total, https://pastebin.com/XiaKgnUt)
        DecodeResult result = decode("tele/plug-1/SENSOR", """
                {"Time": "2020-03-11T17:49:33", "ENERGY": {"TotalStartTime": "2020-02-12T18:49:35", "Total": 14.834,
                 "Yesterday": 0.553, "Today": 0.176, "Period": 0, "Power": 57, "ApparentPower": 60,
                 "ReactivePower": 18, "Factor": 0.95, "Voltage": 230, "Current": 0.262}}""");

        assertThat(result.problems()).isEmpty();
        assertThat(result.readings()).hasSize(4);
        Reading energy = reading(result, "env-1", Quantity.ENERGY);
        assertThat(energy.value()).isCloseTo(14834.0, within(1e-9));
        assertThat(energy.unit()).isEqualTo("Wh");
        assertThat(reading(result, "env-1", Quantity.POWER).value()).isEqualTo(57);
        assertThat(reading(result, "env-1", Quantity.VOLTAGE).value()).isEqualTo(230);
        assertThat(reading(result, "env-1", Quantity.CURRENT).value()).isEqualTo(0.262);
    }

    @Test
    void givesEachChannelOfAMultiChannelMeterItsOwnDevice() {
        // a two-channel meter publishes arrays ("Power":[52,5]); ENERGY fields of xdrv_03_energy.ino
        DecodeResult result = decode("tele/plug-1/SENSOR", """
                {"Time": "2024-09-18T11:19:21", "ENERGY": {"TotalStartTime": "2024-09-16T00:00:00",
                 "Total": [2.813, 0.254], "Yesterday": [1.530, 0.125], "Today": [0.772, 0.059],
                 "Power": [52, 5], "ApparentPower": [66, 10], "ReactivePower": [40, 9], "Factor": [0.79, 0.50],
                 "Voltage": 235, "Current": [0.278, 0.044]}}""");

        assertThat(result.problems()).isEmpty();
        assertThat(reading(result, "env-1", Quantity.POWER).value()).isEqualTo(52);
        assertThat(reading(result, "env-1.ENERGY-2", Quantity.POWER).value()).isEqualTo(5);
        assertThat(reading(result, "env-1", Quantity.ENERGY).value()).isCloseTo(2813.0, within(1e-9));
        assertThat(reading(result, "env-1.ENERGY-2", Quantity.ENERGY).value()).isCloseTo(254.0, within(1e-9));
        assertThat(reading(result, "env-1", Quantity.VOLTAGE).value()).isEqualTo(235);
        assertThat(reading(result, "env-1.ENERGY-2", Quantity.CURRENT).value()).isEqualTo(0.044);
    }

    // --- time ----------------------------------------------------------------------------

    @Test
    void usesTheEpochFieldOfTimeTwoAsUtc() {
        // "Time 2" = ISO and Epoch, https://tasmota.github.io/docs/Commands/#time
        long epoch = Instant.parse("2025-03-10T02:14:30Z").getEpochSecond();
        DecodeResult result = decode("tele/env-1/SENSOR",
                "{\"Time\":\"2025-03-10T09:14:30\",\"Epoch\":" + epoch + ",\"BH1750\":{\"Illuminance\":412}}");

        assertThat(result.problems()).isEmpty();
        assertThat(reading(result, "env-1", Quantity.ILLUMINANCE).timestamp()).isEqualTo(epoch * 1000);
    }

    @Test
    void usesANumericTimeAsUtcSecondsAndAnOffsetTimeAsIs() {
        long epoch = Instant.parse("2025-03-10T02:14:00Z").getEpochSecond();
        DecodeResult numeric = decode("tele/env-1/SENSOR", "{\"Time\":" + epoch + ",\"BH1750\":{\"Illuminance\":412}}");
        DecodeResult offset = decode("tele/env-1/SENSOR",
                "{\"Time\":\"2025-03-10T09:14:00+07:00\",\"BH1750\":{\"Illuminance\":412}}");

        assertThat(reading(numeric, "env-1", Quantity.ILLUMINANCE).timestamp()).isEqualTo(epoch * 1000);
        assertThat(reading(offset, "env-1", Quantity.ILLUMINANCE).timestamp()).isEqualTo(epoch * 1000);
    }

    @Test
    void acceptsTheOldDottedLocalTimeWithoutAProblem() {
        // Tasmota 5.x format "2018.02.15 01:00:50", https://tasmota.github.io/docs/JSON-Status-Responses/
        DecodeResult result = decode("stat/env-1/STATUS10",
                "{\"StatusSNS\":{\"Time\":\"2018.02.01 21:29:40\",\"DS18B20\":{\"Temperature\":19.7},\"TempUnit\":\"C\"}}");

        assertThat(result.problems()).isEmpty();
        assertThat(reading(result, "env-1", Quantity.TEMPERATURE).timestamp()).isEqualTo(RECEIVED);
    }

    @Test
    void refusesAnEpochFromADeviceWhoseClockIsNotSet() {
        DecodeResult result = decode("tele/env-1/SENSOR", "{\"Time\":\"1970-01-01T00:33:28\",\"Epoch\":2008,\"BH1750\":{\"Illuminance\":412}}");

        assertOnlyProblem(result, "$.Epoch", "clock is not set");
        assertThat(reading(result, "env-1", Quantity.ILLUMINANCE).timestamp()).isEqualTo(RECEIVED);
    }

    // --- LWT, STATE and other topics -------------------------------------------------------

    @Test
    void turnsLwtOnlineAndOfflineIntoDeviceEvents() {
        // tele/%topic%/LWT Online / Offline, https://tasmota.github.io/docs/MQTT/
        DecodeResult online = decode("tele/env-1/LWT", "Online");
        DecodeResult offline = decode("tele/env-1/LWT", "Offline");

        DeviceEvent up = online.events().get(0);
        assertThat(online.events()).hasSize(1);
        assertThat(up.type()).isEqualTo(EventType.DEVICE_ONLINE);
        assertThat(up.device()).isEqualTo("env-1");
        assertThat(up.timestamp()).isEqualTo(RECEIVED);
        assertThat(offline.events()).singleElement().satisfies(e -> assertThat(e.type()).isEqualTo(EventType.DEVICE_OFFLINE));
    }

    @Test
    void rejectsAnLwtThatIsNeitherOnlineNorOffline() {
        DecodeResult result = decode("tele/env-1/LWT", "Maybe\n");

        assertOnlyProblem(result, "$", "neither Online nor Offline");
        assertThat(result.events()).isEmpty();
    }

    @Test
    void mapsStateWifiSignalToRssiAndNotTheQualityPercentage() {
        // STATE payload with "RSSI" (0-100 quality) and "Signal" (dBm), as printed by mosquitto_sub in the
        // tasmota-influxdb guide; field list of MqttShowState in the Tasmota source
        DecodeResult result = decode("tele/env-1/STATE", """
                {"Time":"2020-03-11T17:49:33","Uptime":"0T18:30:12","UptimeSec":66612,"Heap":28,"SleepMode":"Dynamic",
                 "Sleep":50,"LoadAvg":19,"MqttCount":1,"POWER":"ON","Wifi":{"AP":1,"SSId":"no_net",
                 "BSSId":"82:2A:A8:D1:25:5D","Channel":6,"RSSI":62,"Signal":-69,"LinkCount":1,"Downtime":"0T00:00:05"}}""");

        Reading rssi = reading(result, "env-1", Quantity.RSSI);
        assertThat(rssi.value()).isEqualTo(-69);
        assertThat(rssi.unit()).isEqualTo("dBm");
        assertThat(result.readings()).hasSize(1);
    }

    @Test
    void ignoresResultsInfoAndStateWithoutSignalOnPurpose() {
        assertThat(decode("stat/env-1/RESULT", "{\"POWER\":\"ON\"}").ignored()).isTrue();
        assertThat(decode("tele/env-1/INFO1", "{\"Module\":\"Generic\"}").ignored()).isTrue();
        assertThat(decode("tele/env-1/STATE", "{\"Time\":\"2018-03-02T18:25:02\",\"Wifi\":{\"AP\":1,\"RSSI\":66}}").ignored()).isTrue();
        assertThat(decode("tele/env-1/SENSOR", "{\"Time\":\"2018-03-02T18:25:02\",\"Switch1\":\"ON\"}").ignored()).isTrue();
    }

    @Test
    void readsTheKindFromTheLastLevelWhateverTheFullTopic() {
        DecodeResult result = decode("school/lab-1/tele/SENSOR", "{\"BH1750\":{\"Illuminance\":300}}");

        assertThat(reading(result, "env-1", Quantity.ILLUMINANCE).value()).isEqualTo(300);
    }

    // --- malformed input -------------------------------------------------------------------

    @Test
    void rejectsTruncatedJsonNamingTheDevice() {
        DecodeResult result = decode("tele/env-1/SENSOR", "{\"Time\":\"2019-01-01T00:00:00\",\"AM2301\":{\"Temperature\":24.");

        assertOnlyProblem(result, "$", "not valid JSON");
        assertThat(result.readings()).isEmpty();
    }

    @Test
    void reportsAWrongTypeAndStillDecodesTheGoodFields() {
        DecodeResult result = decode("tele/env-1/SENSOR",
                "{\"AM2301\":{\"Temperature\":\"hot\",\"Humidity\":58.2},\"BH1750\":{\"Illuminance\":true}}");

        assertThat(result.problems()).extracting(DecodeProblem::field)
                .containsExactlyInAnyOrder("$.AM2301.Temperature", "$.BH1750.Illuminance");
        assertThat(result.problems()).allSatisfy(p -> assertThat(p.device()).isEqualTo(DEVICE.toString()));
        assertThat(result.readings()).singleElement().satisfies(r -> {
            assertThat(r.quantity()).isEqualTo(Quantity.HUMIDITY);
            assertThat(r.value()).isEqualTo(58.2);
        });
    }

    @Test
    void reportsNullNanInfinityAndHugeNumbersWithoutAValue() {
        DecodeResult result = decode("tele/env-1/SENSOR",
                "{\"AM2301\":{\"Temperature\":null,\"Humidity\":NaN},\"SCD30\":{\"CarbonDioxide\":1e400,\"Temperature\":Infinity},"
                        + "\"BH1750\":{\"Illuminance\":123456789012345678901234567890},\"SDS0X1\":{\"PM2.5\":-Infinity,\"PM10\":12}}");

        assertThat(result.problems()).extracting(DecodeProblem::field).containsExactlyInAnyOrder(
                "$.AM2301.Temperature", "$.AM2301.Humidity", "$.SCD30.CarbonDioxide", "$.SCD30.Temperature",
                "$.BH1750.Illuminance", "$.SDS0X1['PM2.5']");
        assertThat(result.readings()).singleElement().satisfies(r -> {
            assertThat(r.quantity()).isEqualTo(Quantity.PM10);
            assertThat(r.value()).isEqualTo(12);
        });
    }

    @Test
    void dropsImplausibleValuesWithAProblem() {
        DecodeResult result = decode("tele/env-1/SENSOR", "{\"AM2301\":{\"Temperature\":24.6,\"Humidity\":140.0}}");

        assertOnlyProblem(result, "$.AM2301.Humidity", "plausible range");
        assertThat(result.readings()).singleElement().satisfies(r -> assertThat(r.quantity()).isEqualTo(Quantity.TEMPERATURE));
    }

    @Test
    void refusesTemperaturesInAnUnknownUnitRatherThanGuessing() {
        DecodeResult result = decode("tele/env-1/SENSOR", "{\"AM2301\":{\"Temperature\":297.8,\"Humidity\":58.2},\"TempUnit\":\"K\"}");

        assertThat(result.problems()).extracting(DecodeProblem::field).containsExactlyInAnyOrder("$.TempUnit", "$.AM2301.Temperature");
        assertThat(result.readings()).singleElement().satisfies(r -> assertThat(r.quantity()).isEqualTo(Quantity.HUMIDITY));
    }

    @Test
    void reportsADriverThatIsNotAnObject() {
        DecodeResult result = decode("tele/env-1/SENSOR", "{\"AM2301\":[24.6,58.2],\"BH1750\":{\"Illuminance\":79}}");

        assertOnlyProblem(result, "$.AM2301", "expected an object");
        assertThat(result.readings()).hasSize(1);
    }

    @Test
    void rejectsATopLevelArray() {
        DecodeResult result = decode("tele/env-1/SENSOR", "[{\"AM2301\":{\"Temperature\":24.6}}]");

        assertOnlyProblem(result, "$", "expected a JSON object");
    }

    @Test
    void rejectsDeepNesting() {
        String deep = "{\"AM2301\":" + "[".repeat(100) + "]".repeat(100) + "}";

        DecodeResult result = decode("tele/env-1/SENSOR", deep);

        assertOnlyProblem(result, "$", "nesting");
        assertThat(result.readings()).isEmpty();
    }

    @Test
    void rejectsAPayloadOverOneMebibyteWithoutParsingIt() {
        byte[] big = new byte[1024 * 1024 + 1];
        Arrays.fill(big, (byte) ' ');
        big[0] = '{';
        big[big.length - 1] = '}';

        DecodeResult result = decode("tele/env-1/SENSOR", big);

        assertOnlyProblem(result, "$", "1 MiB");
    }

    @Test
    void rejectsInvalidUtf8() {
        byte[] payload = "{\"AM2301\":{\"Temperature\":24.6},\"x\":\"\u00e9\"}".getBytes(StandardCharsets.UTF_8);
        byte[] broken = Arrays.copyOf(payload, payload.length);
        int at = new String(payload, StandardCharsets.ISO_8859_1).indexOf('\u00c3');
        broken[at + 1] = (byte) 0x28; // a lead byte followed by a non-continuation byte

        DecodeResult result = decode("tele/env-1/SENSOR", broken);

        assertOnlyProblem(result, "$", "UTF-8");
        assertThat(result.readings()).isEmpty();
    }

    @Test
    void neverThrowsOnArbitraryBytes() {
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 2000; i++) {
            byte[] bytes = new byte[random.nextInt(64)];
            random.nextBytes(bytes);
            for (String topic : List.of("tele/x/SENSOR", "tele/x/LWT", "tele/x/STATE", "stat/x/STATUS10")) {
                DecodeResult result = decode(topic, bytes);
                assertThat(result).isNotNull();
            }
        }
    }
}
