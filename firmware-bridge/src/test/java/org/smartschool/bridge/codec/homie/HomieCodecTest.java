package org.smartschool.bridge.codec.homie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.smartschool.bridge.codec.DecodeProblem;
import org.smartschool.bridge.codec.DecodeResult;
import org.smartschool.bridge.codec.RawMessage;
import org.smartschool.bridge.codec.quantity.NameRules;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class HomieCodecTest {
    private static final DeviceRef DEVICE = new DeviceRef("thpt-le-loi", "room-204", "homie-1");
    private static final long RECEIVED = Instant.parse("2025-03-10T02:15:00Z").toEpochMilli();
    private HomieCodec codec = new HomieCodec();

    private DecodeResult send(String topic, String payload) {
        return send(topic, payload.getBytes(StandardCharsets.UTF_8));
    }

    private DecodeResult send(String topic, byte[] payload) {
        return codec.decode(new RawMessage(topic, null, payload, RECEIVED), DEVICE);
    }

    /** Publishes a property's Homie 4 attributes, as a device does before it reports ready. */
    private void announce(String property, String datatype, String unit) {
        assertThat(send(property + "/$datatype", datatype).ignored()).isTrue();
        if (unit != null) {
            assertThat(send(property + "/$unit", unit).ignored()).isTrue();
        }
    }

    private static Reading onlyReading(DecodeResult result) {
        assertThat(result.problems()).as(result.toString()).isEmpty();
        assertThat(result.readings()).hasSize(1);
        Reading r = result.readings().get(0);
        assertThat(r.timestamp()).isEqualTo(RECEIVED);
        assertThat(r.room()).isEqualTo("room-204");
        return r;
    }

    private static DecodeProblem onlyProblem(DecodeResult result, String field) {
        assertThat(result.readings()).isEmpty();
        assertThat(result.events()).isEmpty();
        assertThat(result.problems()).as(result.toString()).hasSize(1);
        DecodeProblem p = result.problems().get(0);
        assertThat(p.device()).isEqualTo(DEVICE.toString());
        assertThat(p.field()).isEqualTo(field);
        return p;
    }

    @Test
    void learnsDatatypeAndUnitThenDecodesTheValue() {
        // the "super-car" example of the Homie 4 convention: https://homieiot.github.io/specification/spec-core-v4_0_0/
        assertThat(send("homie/super-car/engine/temperature/$name", "Engine temperature").ignored()).isTrue();
        assertThat(send("homie/super-car/engine/temperature/$settable", "false").ignored()).isTrue();
        announce("homie/super-car/engine/temperature", "float", "°C");
        assertThat(send("homie/super-car/engine/temperature/$format", "-20:120").ignored()).isTrue();

        Reading t = onlyReading(send("homie/super-car/engine/temperature", "21.5"));

        assertThat(t.quantity()).isEqualTo(Quantity.TEMPERATURE);
        assertThat(t.value()).isEqualTo(21.5);
        assertThat(t.unit()).isEqualTo("Cel");
        assertThat(t.device()).isEqualTo("homie-1");
    }

    @Test
    void convertsValuesFromTheirUnit() {
        // recommended units: https://homieiot.github.io/specification/#units
        announce("homie/lab/fridge/temperature", "float", "°F");
        announce("homie/lab/air/pressure", "float", "Pa");
        announce("homie/lab/meter/energy", "float", "kWh");
        announce("homie/lab/meter/current", "integer", "mA");
        announce("homie/lab/air/co2", "integer", "ppm");
        announce("homie/lab/air/tvoc", "integer", "ppm");

        assertThat(onlyReading(send("homie/lab/fridge/temperature", "39.2")).value()).isCloseTo(4.0, within(1e-9));
        assertThat(onlyReading(send("homie/lab/air/pressure", "101325")).value()).isCloseTo(1013.25, within(1e-9));
        assertThat(onlyReading(send("homie/lab/meter/energy", "1.5")).value()).isCloseTo(1500.0, within(1e-9));
        assertThat(onlyReading(send("homie/lab/meter/current", "250")).value()).isCloseTo(0.25, within(1e-12));
        Reading co2 = onlyReading(send("homie/lab/air/co2", "1180"));
        assertThat(co2.quantity()).isEqualTo(Quantity.CO2);
        assertThat(co2.value()).isEqualTo(1180);
        Reading voc = onlyReading(send("homie/lab/air/tvoc", "1"));
        assertThat(voc.quantity()).isEqualTo(Quantity.VOC);
        assertThat(voc.value()).isEqualTo(1000);
    }

    @Test
    void tellsPercentQuantitiesApartByNameAndRefusesToGuess() {
        announce("homie/room/climate/humidity", "float", "%");
        announce("homie/room/power/battery", "integer", "%");
        announce("homie/room/blinds/level", "integer", "%");

        assertThat(onlyReading(send("homie/room/climate/humidity", "64.5")).quantity()).isEqualTo(Quantity.HUMIDITY);
        assertThat(onlyReading(send("homie/room/power/battery", "87")).quantity()).isEqualTo(Quantity.BATTERY);
        assertThat(onlyProblem(send("homie/room/blinds/level", "40"), "blinds/level").message())
                .contains("unknown quantity").contains("\"level\"").contains("\"blinds\"");
    }

    @Test
    void placesAPropertyByAnUnambiguousUnitOrByItsNode() {
        announce("homie/room/light-sensor/reading", "float", "lx");
        announce("homie/room/temperature/value", "float", null);

        assertThat(onlyReading(send("homie/room/light-sensor/reading", "350")).quantity()).isEqualTo(Quantity.ILLUMINANCE);
        assertThat(onlyReading(send("homie/room/temperature/value", "27.5")).quantity()).isEqualTo(Quantity.TEMPERATURE);
    }

    @Test
    void refusesAUnitThatDoesNotFitTheQuantity() {
        announce("homie/room/climate/temperature", "float", "%");

        assertThat(onlyProblem(send("homie/room/climate/temperature", "40"), "climate/temperature").message())
                .contains("not a unit of temperature");
    }

    @Test
    void reportsAValueThatArrivesBeforeItsMetadataAndDecodesItAfterwards() {
        DecodeResult early = send("homie/room/climate/temperature", "28.1");
        announce("homie/room/climate/temperature", "float", "°C");
        DecodeResult later = send("homie/room/climate/temperature", "28.2");

        assertThat(onlyProblem(early, "climate/temperature").message()).contains("$datatype");
        assertThat(onlyReading(later).value()).isEqualTo(28.2);
    }

    @Test
    void decodesHomie5WithTheDescriptionDocument() {
        // $description with nodes/properties objects and homie/5/<device>/<node>/<property> values:
        // https://homieiot.github.io/specification/ (Homie 5)
        DecodeResult described = send("homie/5/super-car/$description", """
                {"homie": "5.0", "name": "Supercar", "version": 7,
                 "nodes": {"engine": {"name": "Car engine",
                   "properties": {"temperature": {"name": "Engine temperature", "unit": "°C", "datatype": "float", "format": "-20:120"},
                                  "speed": {"datatype": "integer", "unit": "rpm"}}},
                           "cabin": {"properties": {"co2": {"datatype": "integer", "unit": "ppm"},
                                                    "occupied": {"datatype": "boolean"},
                                                    "mode": {"datatype": "enum", "format": "eco,sport"}}}}}""");

        assertThat(described.ignored()).isTrue();
        assertThat(onlyReading(send("homie/5/super-car/engine/temperature", "21.5")).value()).isEqualTo(21.5);
        assertThat(onlyReading(send("homie/5/super-car/cabin/co2", "950")).quantity()).isEqualTo(Quantity.CO2);
        assertThat(send("homie/5/super-car/cabin/occupied", "true").events()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventType.OCCUPANCY);
            assertThat(e.attributes()).containsEntry("occupied", "true");
        });
        assertThat(send("homie/5/super-car/cabin/mode", "eco").ignored()).isTrue();
        assertThat(onlyProblem(send("homie/5/super-car/engine/speed", "3000"), "engine/speed").message()).contains("unknown quantity");
    }

    @Test
    void turnsTheStateLifecycleIntoDeviceEvents() {
        // $state values: https://homieiot.github.io/specification/spec-core-v4_0_0/#device-lifecycle
        assertThat(send("homie/room-sensor/$state", "ready").events()).singleElement()
                .satisfies(e -> assertThat(e.type()).isEqualTo(EventType.DEVICE_ONLINE));
        assertThat(send("homie/room-sensor/$state", "lost").events()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventType.DEVICE_OFFLINE);
            assertThat(e.attributes()).containsEntry("state", "lost");
            assertThat(e.timestamp()).isEqualTo(RECEIVED);
        });
        assertThat(send("homie/5/room-sensor/$state", "disconnected").events()).singleElement()
                .satisfies(e -> assertThat(e.type()).isEqualTo(EventType.DEVICE_OFFLINE));
        assertThat(send("homie/room-sensor/$state", "alert").events()).singleElement()
                .satisfies(e -> assertThat(e.type()).isEqualTo(EventType.FAULT));
        assertThat(send("homie/room-sensor/$state", "sleeping").ignored()).isTrue();
        assertThat(send("homie/room-sensor/$state", "init").ignored()).isTrue();
        assertThat(onlyProblem(send("homie/room-sensor/$state", "dead"), "$state").message()).contains("unknown state");
    }

    @Test
    void turnsBooleanPropertiesIntoEvents() {
        announce("homie/door-1/contact/open", "boolean", null);
        announce("homie/door-1/pir/motion", "boolean", null);

        assertThat(send("homie/door-1/pir/motion", "false").events()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventType.OCCUPANCY);
            assertThat(e.attributes()).containsEntry("occupied", "false");
        });
        assertThat(send("homie/door-1/contact/open", "true").events()).singleElement()
                .satisfies(e -> assertThat(e.type()).isEqualTo(EventType.DOOR_OPEN));
        // booleans are case sensitive: https://homieiot.github.io/specification/#boolean
        assertThat(onlyProblem(send("homie/door-1/pir/motion", "TRUE"), "pir/motion").message()).contains("true or false");
    }

    @Test
    void givesASecondPropertyOfTheSameQuantityItsOwnDevice() {
        announce("homie/fridge/bottom/temperature", "float", "°C");
        announce("homie/fridge/top/temperature", "float", "°C");

        Reading bottom = onlyReading(send("homie/fridge/bottom/temperature", "3.1"));
        Reading top = onlyReading(send("homie/fridge/top/temperature", "5.4"));

        assertThat(bottom.device()).isEqualTo("homie-1");
        assertThat(top.device()).isEqualTo("homie-1.top");
        assertThat(top.value()).isEqualTo(5.4);
    }

    @Test
    void ignoresCommandsTargetsOtherAttributesAndBroadcasts() {
        announce("homie/lamp/light/power", "boolean", null);
        assertThat(send("homie/lamp/light/power/set", "true").ignored()).isTrue();
        assertThat(send("homie/5/lamp/light/brightness/$target", "100").ignored()).isTrue();
        assertThat(send("homie/lamp/$nodes", "light").ignored()).isTrue();
        assertThat(send("homie/lamp/light/$properties", "power").ignored()).isTrue();
        assertThat(send("homie/$broadcast/alert", "Intruder detected").ignored()).isTrue();
        assertThat(send("homie", "x").ignored()).isTrue();
    }

    @Test
    void readsTheLegacyStatsBattery() {
        // $stats/battery in %: Homie 3.0 / legacy stats extension,
        // https://github.com/homieiot/convention/blob/develop/extensions/documents/homie_legacy_stats_extension.md
        Reading battery = onlyReading(send("homie/door-1/$stats/battery", "80"));

        assertThat(battery.quantity()).isEqualTo(Quantity.BATTERY);
        assertThat(battery.value()).isEqualTo(80);
    }

    // --- the memory and its bound ------------------------------------------------------------

    @Test
    void forgetsTheLeastRecentlyUsedDeviceBeyondTheBound() {
        codec = new HomieCodec(NameRules.defaults(), 2, 2);
        announce("homie/a/air/temperature", "float", "°C");
        announce("homie/b/air/temperature", "float", "°C");
        announce("homie/c/air/temperature", "float", "°C");

        assertThat(codec.rememberedDevices()).isEqualTo(2);
        assertThat(onlyProblem(send("homie/a/air/temperature", "20"), "air/temperature").message()).contains("$datatype");
        assertThat(onlyReading(send("homie/c/air/temperature", "21")).value()).isEqualTo(21);
        assertThat(send("homie/c/air/humidity/$datatype", "float").ignored()).isTrue();
        assertThat(onlyProblem(send("homie/c/air/pressure/$datatype", "float"), "air/pressure/$datatype").message())
                .contains("2 properties");
    }

    @Test
    void forgetsARemovedHomie5Device() {
        send("homie/5/gone/$description", "{\"homie\":\"5.0\",\"nodes\":{\"air\":{\"properties\":{\"temperature\":{\"datatype\":\"float\",\"unit\":\"°C\"}}}}}");
        assertThat(codec.rememberedDevices()).isEqualTo(1);

        assertThat(send("homie/5/gone/$state", "").ignored()).isTrue();

        assertThat(codec.rememberedDevices()).isZero();
    }

    @Test
    void refusesAttributeValuesLongerThanTheBound() {
        assertThat(onlyProblem(send("homie/x/air/temperature/$unit", "°C".repeat(40)), "air/temperature/$unit").message())
                .contains("longer than");
    }

    @Test
    void staysConsistentWhenDecodedFromSeveralThreads() throws Exception {
        codec = new HomieCodec(NameRules.defaults(), 50, 8);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    int decoded = 0;
                    for (int i = 0; i < 500; i++) {
                        String device = "homie/d" + thread + "-" + (i % 100) + "/air/temperature";
                        send(device + "/$datatype", "float");
                        decoded += send(device, "20.5").readings().size();
                    }
                    return decoded;
                }));
            }
            for (Future<Integer> f : results) {
                assertThat(f.get(10, TimeUnit.SECONDS)).isPositive();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(codec.rememberedDevices()).isLessThanOrEqualTo(50);
    }

    // --- malformed input -------------------------------------------------------------------

    @Test
    void rejectsValuesThatAreNotHomieNumbers() {
        announce("homie/room/climate/temperature", "float", "°C");
        // "NaN" and "Infinity" are not valid float payloads: https://homieiot.github.io/specification/#float
        for (String bad : List.of("21,5", "NaN", "Infinity", "", "21.5°C", "0x15")) {
            assertThat(onlyProblem(send("homie/room/climate/temperature", bad), "climate/temperature").message()).as(bad)
                    .containsAnyOf("expected a number", "no value");
        }
        assertThat(onlyProblem(send("homie/room/climate/temperature", "1e400"), "climate/temperature").message()).contains("too large");
        assertThat(onlyProblem(send("homie/room/climate/temperature", "451"), "climate/temperature").message()).contains("plausible");
    }

    @Test
    void rejectsInvalidUtf8AndOversizedValues() {
        announce("homie/room/climate/temperature", "float", "°C");
        byte[] big = new byte[1024 * 1024];
        Arrays.fill(big, (byte) '2');

        assertThat(onlyProblem(send("homie/room/climate/temperature", new byte[] {'2', (byte) 0xFF}), "climate/temperature").message())
                .contains("UTF-8");
        assertThat(onlyProblem(send("homie/room/climate/temperature", big), "climate/temperature").message()).contains("bytes");
        assertThat(onlyProblem(send("homie/room/climate/temperature/$unit", new byte[] {(byte) 0xB0, 'C'}), "climate/temperature/$unit")
                .message()).contains("UTF-8");
    }

    @Test
    void rejectsABrokenDescriptionAndKeepsItsGoodProperties() {
        assertThat(onlyProblem(send("homie/5/car/$description", "{\"homie\":\"5.0\",\"nodes\":{"), "$").message()).contains("not valid JSON");
        assertThat(onlyProblem(send("homie/5/car/$description", "{\"nodes\":[1,2]}"), "$description.nodes").message()).contains("an array");
        String deep = "{\"nodes\":{\"a\":{\"properties\":" + "{\"x\":".repeat(50) + "1" + "}".repeat(50) + "}}}";
        assertThat(onlyProblem(send("homie/5/car/$description", deep), "$").message()).contains("nesting");
        byte[] big = new byte[1024 * 1024 + 1];
        Arrays.fill(big, (byte) ' ');
        assertThat(onlyProblem(send("homie/5/car/$description", big), "$").message()).contains("1 MiB");

        DecodeResult partly = send("homie/5/car/$description",
                "{\"nodes\":{\"air\":{\"properties\":{\"temperature\":{\"datatype\":\"float\",\"unit\":\"°C\"},\"humidity\":{\"datatype\":7}}}}}");

        assertThat(partly.problems()).singleElement().satisfies(p -> assertThat(p.field()).isEqualTo("$description.nodes.air.properties.humidity"));
        assertThat(onlyReading(send("homie/5/car/air/temperature", "22")).value()).isEqualTo(22);
    }

    @Test
    void neverThrowsOnArbitraryTopicsAndBytes() {
        java.util.Random random = new java.util.Random(5);
        String[] levels = {"homie", "5", "dev", "node", "temperature", "$datatype", "$unit", "$state", "$description", "", "$stats", "battery"};
        for (int i = 0; i < 3000; i++) {
            StringBuilder topic = new StringBuilder();
            int depth = 1 + random.nextInt(6);
            for (int d = 0; d < depth; d++) {
                topic.append(d == 0 ? "" : "/").append(levels[random.nextInt(levels.length)]);
            }
            byte[] bytes = new byte[random.nextInt(24)];
            random.nextBytes(bytes);
            String[] payloads = {"float", "°C", "21.5", "true", new String(bytes, StandardCharsets.ISO_8859_1)};
            assertThat(send(topic.toString(), payloads[random.nextInt(payloads.length)])).isNotNull();
            assertThat(send(topic.toString(), bytes)).isNotNull();
        }
    }
}
