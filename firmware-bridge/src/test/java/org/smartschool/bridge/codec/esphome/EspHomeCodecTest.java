package org.smartschool.bridge.codec.esphome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.smartschool.bridge.codec.DecodeProblem;
import org.smartschool.bridge.codec.DecodeResult;
import org.smartschool.bridge.codec.RawMessage;
import org.smartschool.bridge.codec.quantity.NameRules;
import org.smartschool.bridge.codec.quantity.QuantityRule;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;

/**
 * Topics follow the MQTT component's defaults, {@code <topic_prefix>/<component>/<object_id>/state} and
 * {@code <topic_prefix>/status} (https://esphome.io/components/mqtt.html, "MQTT Component Base Configuration"
 * and "Last Will And Birth Messages"); object ids are the entity names of the components' documented examples
 * passed through ESPHome's str_snake_case + str_sanitize (esphome/core/helpers.cpp).
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class EspHomeCodecTest {
    private static final DeviceRef DEVICE = new DeviceRef("thpt-le-loi", "room-101", "air-1");
    private static final long RECEIVED = Instant.parse("2025-03-10T02:15:00Z").toEpochMilli();
    private final EspHomeCodec codec = new EspHomeCodec();

    private DecodeResult decode(String topic, String payload) {
        return decode(codec, topic, payload.getBytes(StandardCharsets.UTF_8));
    }

    private static DecodeResult decode(EspHomeCodec codec, String topic, byte[] payload) {
        return codec.decode(new RawMessage(topic, null, payload, RECEIVED), DEVICE);
    }

    private static Reading onlyReading(DecodeResult result) {
        assertThat(result.problems()).as(result.toString()).isEmpty();
        assertThat(result.readings()).hasSize(1);
        Reading r = result.readings().get(0);
        assertThat(r.device()).isEqualTo("air-1");
        assertThat(r.room()).isEqualTo("room-101");
        assertThat(r.timestamp()).isEqualTo(RECEIVED);
        return r;
    }

    private static DecodeProblem onlyProblem(DecodeResult result, String field) {
        assertThat(result.readings()).isEmpty();
        assertThat(result.events()).isEmpty();
        assertThat(result.problems()).hasSize(1);
        DecodeProblem p = result.problems().get(0);
        assertThat(p.device()).isEqualTo(DEVICE.toString());
        assertThat(p.field()).isEqualTo(field);
        return p;
    }

    @Test
    void decodesScd4xCarbonDioxideTemperatureAndHumidity() {
        // names "Workshop CO2", "Workshop Temperature", "Workshop Humidity": https://esphome.io/components/sensor/scd4x.html
        Reading co2 = onlyReading(decode("air-1/sensor/workshop_co2/state", "812"));
        Reading t = onlyReading(decode("air-1/sensor/workshop_temperature/state", "29.43"));
        Reading h = onlyReading(decode("air-1/sensor/workshop_humidity/state", "71.2"));

        assertThat(co2.quantity()).isEqualTo(Quantity.CO2);
        assertThat(co2.value()).isEqualTo(812);
        assertThat(co2.unit()).isEqualTo("ppm");
        assertThat(t.quantity()).isEqualTo(Quantity.TEMPERATURE);
        assertThat(t.value()).isEqualTo(29.43);
        assertThat(t.unit()).isEqualTo("Cel");
        assertThat(h.quantity()).isEqualTo(Quantity.HUMIDITY);
        assertThat(h.value()).isEqualTo(71.2);
    }

    @Test
    void decodesBme280PressureInHectopascal() {
        // name "BME280 Pressure": https://esphome.io/components/sensor/bme280.html (unit hPa)
        Reading p = onlyReading(decode("air-1/sensor/bme280_pressure/state", "1008.4"));

        assertThat(p.quantity()).isEqualTo(Quantity.PRESSURE);
        assertThat(p.value()).isEqualTo(1008.4);
    }

    @Test
    void decodesParticulateMatterAndIgnoresPm1OnPurpose() {
        // names "Particulate Matter <2.5µm Concentration" etc.: https://esphome.io/components/sensor/pmsx003.html
        Reading pm25 = onlyReading(decode("air-1/sensor/particulate_matter__2_5__m_concentration/state", "14"));
        Reading pm10 = onlyReading(decode("air-1/sensor/particulate_matter__10_0__m_concentration/state", "21"));
        DecodeResult pm1 = decode("air-1/sensor/particulate_matter__1_0__m_concentration/state", "9");
        // "PM2.5" / "PM10.0": https://esphome.io/components/sensor/pmsa003i.html
        Reading short25 = onlyReading(decode("air-1/sensor/pm2_5/state", "15"));
        Reading short10 = onlyReading(decode("air-1/sensor/pm10_0/state", "22"));
        DecodeResult counts = decode("air-1/sensor/pmc__10__m/state", "3");

        assertThat(pm25.quantity()).isEqualTo(Quantity.PM25);
        assertThat(pm25.value()).isEqualTo(14);
        assertThat(pm10.quantity()).isEqualTo(Quantity.PM10);
        assertThat(pm10.value()).isEqualTo(21);
        assertThat(short25.quantity()).isEqualTo(Quantity.PM25);
        assertThat(short10.quantity()).isEqualTo(Quantity.PM10);
        assertThat(pm1.ignored()).isTrue();
        assertThat(counts.ignored()).isTrue();
    }

    @Test
    void decodesWifiSignalIlluminanceAndEnergy() {
        // "WiFi Signal Sensor": https://esphome.io/components/sensor/wifi_signal.html ;
        // "BH1750 Illuminance": https://esphome.io/components/sensor/bh1750.html ;
        // total_daily_energy in Wh: https://esphome.io/components/sensor/total_daily_energy.html
        Reading rssi = onlyReading(decode("air-1/sensor/wifi_signal_sensor/state", "-67"));
        Reading lux = onlyReading(decode("air-1/sensor/bh1750_illuminance/state", "412.5"));
        Reading energy = onlyReading(decode("air-1/sensor/total_daily_energy/state", "1532.4"));

        assertThat(rssi.quantity()).isEqualTo(Quantity.RSSI);
        assertThat(rssi.value()).isEqualTo(-67);
        assertThat(lux.quantity()).isEqualTo(Quantity.ILLUMINANCE);
        assertThat(lux.value()).isEqualTo(412.5);
        assertThat(energy.quantity()).isEqualTo(Quantity.ENERGY);
        assertThat(energy.value()).isEqualTo(1532.4);
    }

    @Test
    void ignoresUptimeAndDewPointOnPurpose() {
        // "Uptime Sensor": https://esphome.io/components/sensor/uptime.html
        assertThat(decode("air-1/sensor/uptime_sensor/state", "86400").ignored()).isTrue();
        assertThat(decode("air-1/sensor/dew_point/state", "22.1").ignored()).isTrue();
    }

    @Test
    void turnsBinarySensorsIntoEvents() {
        // "Living Room Window" with device_class window: https://esphome.io/components/binary_sensor/gpio.html ;
        // a PIR "Classroom Motion" (device_class motion): https://esphome.io/components/binary_sensor/index.html
        DecodeResult window = decode("air-1/binary_sensor/living_room_window/state", "ON");
        DecodeResult motion = decode("air-1/binary_sensor/classroom_motion/state", "OFF");
        DecodeResult smoke = decode("air-1/binary_sensor/lab_smoke_detector/state", "ON");

        DeviceEvent open = window.events().get(0);
        assertThat(open.type()).isEqualTo(EventType.DOOR_OPEN);
        assertThat(open.attributes()).containsEntry("contact", "window");
        assertThat(open.timestamp()).isEqualTo(RECEIVED);
        assertThat(motion.events()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventType.OCCUPANCY);
            assertThat(e.attributes()).containsEntry("occupied", "false");
        });
        assertThat(smoke.events()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventType.ALERT);
            assertThat(e.attributes()).containsEntry("kind", "smoke").containsEntry("active", "true");
        });
    }

    @Test
    void turnsStatusIntoOnlineAndOfflineEvents() {
        // birth "online" / last will "offline" on <TOPIC_PREFIX>/status: https://esphome.io/components/mqtt.html
        assertThat(decode("air-1/status", "online").events()).singleElement()
                .satisfies(e -> assertThat(e.type()).isEqualTo(EventType.DEVICE_ONLINE));
        assertThat(decode("school/floor-2/air-1/status", "offline").events()).singleElement()
                .satisfies(e -> assertThat(e.type()).isEqualTo(EventType.DEVICE_OFFLINE));
        assertThat(onlyProblem(decode("air-1/status", "rebooting"), "status").message()).contains("online or offline");
    }

    @Test
    void ignoresOtherComponentsDiscoveryAndLogs() {
        assertThat(decode("air-1/switch/fan/state", "ON").ignored()).isTrue();
        assertThat(decode("air-1/text_sensor/ip_address/state", "192.168.1.20").ignored()).isTrue();
        assertThat(decode("homeassistant/sensor/air-1/co2/config", "{}").ignored()).isTrue();
        assertThat(decode("air-1/debug", "[D][sensor:093]: 'co2': Sending state 812").ignored()).isTrue();
    }

    @Test
    void reportsAnUnknownObjectIdAsAnUnknownQuantityNamingIt() {
        DecodeResult result = decode("air-1/sensor/soil_moisture/state", "41");
        DecodeResult binary = decode("air-1/binary_sensor/bell/state", "ON");

        DecodeProblem p = onlyProblem(result, "sensor/soil_moisture");
        assertThat(p.message()).contains("unknown quantity").contains("\"soil_moisture\"");
        assertThat(onlyProblem(binary, "binary_sensor/bell").message()).contains("unknown quantity").contains("\"bell\"");
    }

    @Test
    void appliesConfiguredRulesBeforeTheDefaultsWithTheirUnit() {
        NameRules custom = new NameRules(List.of(QuantityRule.of("*_f", Quantity.TEMPERATURE, "°F"),
                QuantityRule.of("*_kwh", Quantity.ENERGY, "kWh")), List.of()).before(NameRules.defaults());
        EspHomeCodec configured = new EspHomeCodec(custom);

        Reading fridge = onlyReading(decode(configured, "air-1/sensor/fridge_temperature_f/state", "39.2".getBytes(StandardCharsets.UTF_8)));
        Reading energy = onlyReading(decode(configured, "air-1/sensor/meter_kwh/state", "12.5".getBytes(StandardCharsets.UTF_8)));

        assertThat(fridge.quantity()).isEqualTo(Quantity.TEMPERATURE);
        assertThat(fridge.value()).isCloseTo(4.0, within(1e-9));
        assertThat(energy.value()).isCloseTo(12500.0, within(1e-9));
    }

    // --- malformed input -------------------------------------------------------------------

    @Test
    void reportsNanAndNoneAsNoValue() {
        // NaN is published as "nan", or "None" with publish_nan_as_none (mqtt_sensor.cpp)
        assertThat(onlyProblem(decode("air-1/sensor/workshop_co2/state", "nan"), "sensor/workshop_co2").message()).contains("no value");
        assertThat(onlyProblem(decode("air-1/sensor/workshop_co2/state", "None"), "sensor/workshop_co2").message()).contains("no value");
    }

    @Test
    void rejectsTextThatIsNotAPlainDecimalNumber() {
        for (String bad : List.of("23,5", "0x1p3", "12d", "Infinity", "-inf", "", "1.2.3", "{\"value\":12}", "12 ppm")) {
            DecodeProblem p = onlyProblem(decode("air-1/sensor/workshop_temperature/state", bad), "sensor/workshop_temperature");
            assertThat(p.message()).as(bad).containsAnyOf("expected a number", "no value");
        }
    }

    @Test
    void rejectsHugeAndImplausibleNumbers() {
        assertThat(onlyProblem(decode("air-1/sensor/workshop_co2/state", "1e400"), "sensor/workshop_co2").message()).contains("too large");
        assertThat(onlyProblem(decode("air-1/sensor/workshop_co2/state", "99999999999999999999999"), "sensor/workshop_co2").message())
                .contains("plausible range");
        assertThat(onlyProblem(decode("air-1/sensor/workshop_temperature/state", "-300"), "sensor/workshop_temperature").message())
                .contains("plausible range");
    }

    @Test
    void rejectsOversizedPayloadsAndInvalidUtf8() {
        byte[] big = new byte[1024 * 1024];
        java.util.Arrays.fill(big, (byte) '1');
        byte[] broken = {'2', '3', (byte) 0xC3, (byte) 0x28};

        assertThat(onlyProblem(decode(codec, "air-1/sensor/workshop_co2/state", big), "sensor/workshop_co2").message()).contains("bytes");
        assertThat(onlyProblem(decode(codec, "air-1/sensor/workshop_co2/state", broken), "sensor/workshop_co2").message()).contains("UTF-8");
        assertThat(onlyProblem(decode(codec, "air-1/binary_sensor/classroom_motion/state", broken), "binary_sensor/classroom_motion")
                .message()).contains("UTF-8");
    }

    @Test
    void rejectsABinaryStateOtherThanOnOrOff() {
        assertThat(onlyProblem(decode("air-1/binary_sensor/classroom_motion/state", "MAYBE"), "binary_sensor/classroom_motion")
                .message()).contains("ON or OFF");
    }

    @Test
    void neverThrowsOnArbitraryBytesOrTopics() {
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 2000; i++) {
            byte[] bytes = new byte[random.nextInt(40)];
            random.nextBytes(bytes);
            String objectId = new String(bytes, StandardCharsets.ISO_8859_1);
            for (String topic : List.of("a/sensor/" + objectId + "/state", "a/binary_sensor/co2/state", "a/status", objectId)) {
                assertThat(decode(codec, topic, bytes)).isNotNull();
            }
        }
    }
}
