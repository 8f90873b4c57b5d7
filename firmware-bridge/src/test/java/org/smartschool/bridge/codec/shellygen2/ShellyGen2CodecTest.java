package org.smartschool.bridge.codec.shellygen2;

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
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ShellyGen2CodecTest {
    private static final DeviceRef DEVICE = new DeviceRef("thpt-le-loi", "lab-chem", "ht-1");
    private static final long RECEIVED = Instant.parse("2025-03-10T02:15:00Z").toEpochMilli();
    private static final String RPC = "shellyplusht-08b61fcb7f3c/events/rpc";
    private final ShellyGen2Codec codec = new ShellyGen2Codec();

    private DecodeResult decode(String topic, String payload) {
        return decode(topic, payload.getBytes(StandardCharsets.UTF_8));
    }

    private DecodeResult decode(String topic, byte[] payload) {
        return codec.decode(new RawMessage(topic, "application/json", payload, RECEIVED), DEVICE);
    }

    private static Reading reading(DecodeResult result, String device, Quantity quantity) {
        List<Reading> found = result.readings().stream()
                .filter(r -> r.device().equals(device) && r.quantity() == quantity).toList();
        assertThat(found).as("%s of %s in %s", quantity, device, result).hasSize(1);
        return found.get(0);
    }

    private static DecodeProblem onlyProblem(DecodeResult result, String field) {
        assertThat(result.problems()).as(result.toString()).hasSize(1);
        DecodeProblem p = result.problems().get(0);
        assertThat(p.device()).isEqualTo(DEVICE.toString());
        assertThat(p.field()).isEqualTo(field);
        return p;
    }

    private static String notifyStatus(double ts, String components) {
        return "{\"src\":\"shellyplusht-08b61fcb7f3c\",\"dst\":\"shellyplusht-08b61fcb7f3c/events\",\"method\":\"NotifyStatus\","
                + "\"params\":{\"ts\":" + ts + "," + components + "}}";
    }

    @Test
    void decodesAFullStatusOfAnHtWithItsTimestampAndNoBatteryWhenOnUsb() {
        // NotifyFullStatus of a Plus H&T over MQTT: https://gist.github.com/NelsonMinar/494a0f53785c20290b395639548349fa
        // (wifi object shortened; the H&T is on USB power: external.present)
        DecodeResult result = decode(RPC, """
                {"src": "shellyplusht-b8d61a8b17cc", "dst": "shellyplusht-b8d61a8b17cc/events", "method": "NotifyFullStatus",
                 "params": {"ts": 1680962879.62, "ble": {}, "cloud": {"connected": false},
                  "devicepower:0": {"id": 0, "battery": {"V": 0.43, "percent": 0}, "external": {"present": true}},
                  "ht_ui": {}, "humidity:0": {"id": 0, "rh": 42.2}, "mqtt": {"connected": true},
                  "sys": {"mac": "B8D61A8B17CC", "restart_required": false, "time": null, "unixtime": null, "uptime": 3,
                          "wakeup_reason": {"boot": "deepsleep_wake", "cause": "status_update"}, "wakeup_period": 600},
                  "temperature:0": {"id": 0, "tC": 19.8, "tF": 67.6},
                  "wifi": {"sta_ip": "192.168.3.183", "status": "got ip", "ssid": "winos", "rssi": -58}}}""");

        assertThat(result.problems()).isEmpty();
        assertThat(result.readings()).hasSize(3);
        long ts = 1_680_962_879_620L;
        Reading t = reading(result, "ht-1", Quantity.TEMPERATURE);
        assertThat(t.value()).isEqualTo(19.8);
        assertThat(t.timestamp()).isEqualTo(ts);
        assertThat(t.room()).isEqualTo("lab-chem");
        assertThat(reading(result, "ht-1", Quantity.HUMIDITY).value()).isEqualTo(42.2);
        assertThat(reading(result, "ht-1", Quantity.RSSI).value()).isEqualTo(-58);
    }

    @Test
    void decodesANotifyStatusOfOneChangedComponent() {
        // NotifyStatus frame: https://shelly-api-docs.shelly.cloud/gen2/General/Notifications ;
        // Temperature status tC/tF: https://shelly-api-docs.shelly.cloud/gen2/ComponentsAndServices/Temperature
        DecodeResult result = decode(RPC, notifyStatus(1741572900.12, "\"temperature:0\":{\"id\":0,\"tC\":24.3,\"tF\":75.7}"));

        Reading t = reading(result, "ht-1", Quantity.TEMPERATURE);
        assertThat(t.value()).isEqualTo(24.3);
        assertThat(t.unit()).isEqualTo("Cel");
        assertThat(t.timestamp()).isEqualTo(1_741_572_900_120L);
        assertThat(result.readings()).hasSize(1);
    }

    @Test
    void decodesSwitchPowerVoltageCurrentAndEnergyButNotTheRelayTemperature() {
        // Switch status example (apower W, voltage V, current A, aenergy.total Wh, temperature of the relay):
        // https://shelly-api-docs.shelly.cloud/gen2/ComponentsAndServices/Switch
        DecodeResult result = decode("shellypro4pm-f008d1d8b8b8/events/rpc", notifyStatus(1741572901.0,
                "\"switch:0\":{\"id\":0,\"source\":\"timer\",\"output\":true,\"apower\":1180.4,\"voltage\":237.571,\"current\":5.012,"
                        + "\"aenergy\":{\"total\":14093.5,\"by_minute\":[19653.1,19612.2,19702.0],\"minute_ts\":1741572840},"
                        + "\"temperature\":{\"tC\":45.8,\"tF\":114.5}},"
                        + "\"switch:1\":{\"id\":1,\"apower\":12.5,\"voltage\":237.4,\"current\":0.09,\"aenergy\":{\"total\":310.2}}"));

        assertThat(result.problems()).isEmpty();
        assertThat(reading(result, "ht-1", Quantity.POWER).value()).isEqualTo(1180.4);
        assertThat(reading(result, "ht-1", Quantity.VOLTAGE).value()).isEqualTo(237.571);
        assertThat(reading(result, "ht-1", Quantity.CURRENT).value()).isEqualTo(5.012);
        Reading energy = reading(result, "ht-1", Quantity.ENERGY);
        assertThat(energy.value()).isEqualTo(14093.5);
        assertThat(energy.unit()).isEqualTo("Wh");
        assertThat(reading(result, "ht-1.switch-1", Quantity.POWER).value()).isEqualTo(12.5);
        assertThat(reading(result, "ht-1.switch-1", Quantity.ENERGY).value()).isEqualTo(310.2);
        assertThat(result.readings()).hasSize(8).noneMatch(r -> r.quantity() == Quantity.TEMPERATURE);
    }

    @Test
    void givesAddOnSensorsBeyondTheFirstTheirOwnDevices() {
        // Plus Add-on peripherals are temperature:100.. (https://shelly-api-docs.shelly.cloud/gen2/Addons/ShellySensorAddon)
        DecodeResult result = decode("shellyplus1-a8032ab12345/events/rpc", notifyStatus(1741572902.5,
                "\"temperature:100\":{\"id\":100,\"tC\":4.6,\"tF\":40.3},\"temperature:101\":{\"id\":101,\"tC\":-18.2,\"tF\":-0.8}"));

        assertThat(reading(result, "ht-1", Quantity.TEMPERATURE).value()).isEqualTo(4.6);
        assertThat(reading(result, "ht-1.temperature-101", Quantity.TEMPERATURE).value()).isEqualTo(-18.2);
    }

    @Test
    void decodesBatteryIlluminanceAndSmokeAlarms() {
        // DevicePower: https://shelly-api-docs.shelly.cloud/gen2/ComponentsAndServices/DevicePower ;
        // Illuminance: https://shelly-api-docs.shelly.cloud/gen2/ComponentsAndServices/Illuminance ;
        // Smoke (Plus Smoke): https://shelly-api-docs.shelly.cloud/gen2/ComponentsAndServices/Smoke
        DecodeResult result = decode(RPC, notifyStatus(1741572903.0,
                "\"devicepower:0\":{\"id\":0,\"battery\":{\"V\":5.92,\"percent\":75},\"external\":{\"present\":false}},"
                        + "\"illuminance:0\":{\"id\":0,\"lux\":240,\"illumination\":\"twilight\"},"
                        + "\"smoke:0\":{\"id\":0,\"alarm\":true,\"mute\":false}"));

        assertThat(result.problems()).isEmpty();
        assertThat(reading(result, "ht-1", Quantity.BATTERY).value()).isEqualTo(75);
        assertThat(reading(result, "ht-1", Quantity.ILLUMINANCE).value()).isEqualTo(240);
        assertThat(result.events()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventType.ALERT);
            assertThat(e.attributes()).containsEntry("kind", "smoke").containsEntry("active", "true");
            assertThat(e.timestamp()).isEqualTo(1_741_572_903_000L);
        });
    }

    @Test
    void convertsFahrenheitWhenOnlyTfIsGiven() {
        DecodeResult result = decode(RPC, notifyStatus(1741572904.0, "\"temperature:0\":{\"id\":0,\"tF\":77.0}"));

        assertThat(reading(result, "ht-1", Quantity.TEMPERATURE).value()).isCloseTo(25.0, within(1e-9));
    }

    @Test
    void decodesTheGenericStatusTopicWithTheReceiveTime() {
        // <topic_prefix>/status/<component:id> (status_ntf): https://shelly-api-docs.shelly.cloud/gen2/ComponentsAndServices/Mqtt
        DecodeResult result = decode("shellyplusht-08b61fcb7f3c/status/humidity:0", "{\"id\":0,\"rh\":61.5}");

        Reading h = reading(result, "ht-1", Quantity.HUMIDITY);
        assertThat(h.value()).isEqualTo(61.5);
        assertThat(h.timestamp()).isEqualTo(RECEIVED);
    }

    @Test
    void turnsOnlineTrueAndFalseIntoEvents() {
        // <topic_prefix>/online: https://shelly-api-docs.shelly.cloud/gen2/ComponentsAndServices/Mqtt
        assertThat(decode("shellyplusht-08b61fcb7f3c/online", "true").events()).singleElement()
                .satisfies(e -> assertThat(e.type()).isEqualTo(EventType.DEVICE_ONLINE));
        assertThat(decode("shellyplusht-08b61fcb7f3c/online", "false").events()).singleElement()
                .satisfies(e -> assertThat(e.type()).isEqualTo(EventType.DEVICE_OFFLINE));
        assertThat(onlyProblem(decode("shellyplusht-08b61fcb7f3c/online", "yes"), "$").message()).contains("true or false");
    }

    @Test
    void ignoresEventsResponsesAndStatusWithoutMeasurements() {
        // NotifyEvent: https://shelly-api-docs.shelly.cloud/gen2/General/Notifications
        assertThat(decode(RPC, "{\"src\":\"shellyplus1-a8032ab12345\",\"dst\":\"x/events\",\"method\":\"NotifyEvent\","
                + "\"params\":{\"ts\":1631266595.44,\"events\":[{\"component\":\"input:0\",\"id\":0,\"event\":\"single_push\","
                + "\"ts\":1631266595.44}]}}").ignored()).isTrue();
        assertThat(decode(RPC, notifyStatus(1741572905.0, "\"switch:0\":{\"id\":0,\"output\":false,\"source\":\"button\"}")).ignored()).isTrue();
        assertThat(decode(RPC, "{\"id\":1,\"src\":\"x\",\"dst\":\"y\",\"result\":{\"was_on\":true}}").ignored()).isTrue();
        assertThat(decode("shellyplusht-08b61fcb7f3c/debug/log", "boot").ignored()).isTrue();
    }

    // --- time and malformed input -----------------------------------------------------------

    @Test
    void refusesATimestampFromTheFutureAndStillDecodesTheValues() {
        long inAYear = RECEIVED / 1000 + 365L * 24 * 3600;
        DecodeResult result = decode(RPC, notifyStatus(inAYear, "\"humidity:0\":{\"id\":0,\"rh\":55.0}"));

        assertThat(onlyProblem(result, "$.params.ts").message()).contains("ahead");
        assertThat(reading(result, "ht-1", Quantity.HUMIDITY).timestamp()).isEqualTo(RECEIVED);
    }

    @Test
    void reportsATemperatureTheDeviceCannotMeasureWithItsErrors() {
        DecodeResult result = decode(RPC, notifyStatus(1741572906.0,
                "\"temperature:100\":{\"id\":100,\"tC\":null,\"tF\":null,\"errors\":[\"out_of_range\"]},\"humidity:0\":{\"id\":0,\"rh\":50.0}"));

        assertThat(onlyProblem(result, "$.params['temperature:100'].tC").message()).contains("no value").contains("out_of_range");
        assertThat(result.readings()).singleElement().satisfies(r -> assertThat(r.quantity()).isEqualTo(Quantity.HUMIDITY));
    }

    @Test
    void reportsWrongTypesNanInfinityAndHugeNumbersPerField() {
        DecodeResult result = decode(RPC, notifyStatus(1741572907.0,
                "\"switch:0\":{\"id\":0,\"apower\":\"12W\",\"voltage\":NaN,\"current\":1e400,\"aenergy\":{\"total\":-Infinity}},"
                        + "\"humidity:0\":{\"id\":0,\"rh\":1234567890123456789012345678901234567890},"
                        + "\"smoke:0\":{\"id\":0,\"alarm\":\"yes\"},\"temperature:0\":[21.5],\"illuminance:0\":{\"id\":0,\"lux\":310}"));

        assertThat(result.problems()).extracting(DecodeProblem::field).containsExactlyInAnyOrder(
                "$.params['switch:0'].apower", "$.params['switch:0'].voltage", "$.params['switch:0'].current",
                "$.params['switch:0'].aenergy.total", "$.params['humidity:0'].rh", "$.params['smoke:0'].alarm",
                "$.params['temperature:0']");
        assertThat(result.problems()).allSatisfy(p -> assertThat(p.device()).isEqualTo(DEVICE.toString()));
        assertThat(result.readings()).singleElement().satisfies(r -> {
            assertThat(r.quantity()).isEqualTo(Quantity.ILLUMINANCE);
            assertThat(r.value()).isEqualTo(310);
        });
        assertThat(result.events()).isEmpty();
    }

    @Test
    void rejectsTruncatedJsonAndFramesWithoutComponentStatuses() {
        assertThat(onlyProblem(decode(RPC, "{\"method\":\"NotifyStatus\",\"params\":{\"ts\":17415"), "$").message()).contains("not valid JSON");
        assertThat(onlyProblem(decode(RPC, "{\"method\":\"NotifyStatus\",\"params\":[1,2]}"), "$.params").message()).contains("an array");
        assertThat(onlyProblem(decode(RPC, "{\"method\":42}"), "$.method").message()).contains("method name");
        assertThat(onlyProblem(decode(RPC, "\"NotifyStatus\""), "$").message()).contains("JSON-RPC frame");
        assertThat(onlyProblem(decode(RPC, notifyStatus(1741572908.0, "\"temperature:x\":{\"tC\":20}")),
                "$.params['temperature:x']").message()).contains("not a number");
    }

    @Test
    void rejectsDeepNestingHugePayloadsAndInvalidUtf8() {
        String deep = notifyStatus(1741572909.0, "\"switch:0\":" + "{\"a\":".repeat(60) + "1" + "}".repeat(60));
        byte[] big = new byte[1024 * 1024 + 10];
        Arrays.fill(big, (byte) ' ');
        byte[] utf8 = notifyStatus(1741572909.0, "\"humidity:0\":{\"id\":0,\"rh\":50.0,\"n\":\"xx\"}").getBytes(StandardCharsets.UTF_8);
        int at = new String(utf8, StandardCharsets.ISO_8859_1).indexOf("xx");
        utf8[at] = (byte) 0xF0;
        utf8[at + 1] = (byte) 0x28;

        assertThat(onlyProblem(decode(RPC, deep), "$").message()).contains("nesting");
        assertThat(onlyProblem(decode(RPC, big), "$").message()).contains("1 MiB");
        assertThat(onlyProblem(decode(RPC, utf8), "$").message()).contains("UTF-8");
        assertThat(onlyProblem(decode("x/online", new byte[] {(byte) 0xC0, (byte) 0xAF}), "$").message()).contains("UTF-8");
    }

    @Test
    void neverThrowsOnArbitraryBytes() {
        java.util.Random random = new java.util.Random(11);
        for (int i = 0; i < 2000; i++) {
            byte[] bytes = new byte[random.nextInt(64)];
            random.nextBytes(bytes);
            for (String topic : List.of(RPC, "x/online", "x/status/switch:0")) {
                assertThat(decode(topic, bytes)).isNotNull();
            }
        }
    }
}
