package org.smartschool.bridge.codec.lwm2m;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import org.assertj.core.data.Offset;
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
class Lwm2mCodecTest {
    static final DeviceRef DEVICE = new DeviceRef("school-1", "lab-2", "lwm2m-7");
    static final String WHO = "school-1/lab-2/lwm2m-7";
    static final long RECEIVED = 1_700_000_000_000L;

    final Lwm2mCodec codec = new Lwm2mCodec();

    DecodeResult json(String payload) {
        return codec.decode(new RawMessage("rd/lwm2m-7", "application/senml+json", payload.getBytes(StandardCharsets.UTF_8), RECEIVED), DEVICE);
    }

    @Test
    void readsBatteryLevelFromTheDeviceObjectAndSkipsItsHousekeeping() {
        // OMA-TS-LightweightM2M_Core-V1_1, section 7.4.7 (SenML JSON), Read on /3/0:
        // https://openmobilealliance.org/release/LightweightM2M/V1_1-20180710-A/HTML-Version/OMA-TS-LightweightM2M_Core-V1_1-20180710-A.html
        DecodeResult result = json("""
                [{"bn":"/3/0/","n":"0","vs":"Open Mobile Alliance"},
                 {"n":"1","vs":"Lightweight M2M Client"},
                 {"n":"2","vs":"345000123"},
                 {"n":"3","vs":"1.0"},
                 {"n":"6/0","v":1},
                 {"n":"6/1","v":5},
                 {"n":"7/0","v":3800},
                 {"n":"7/1","v":5000},
                 {"n":"8/0","v":125},
                 {"n":"8/1","v":900},
                 {"n":"9","v":100},
                 {"n":"10","v":15},
                 {"n":"11/0","v":0},
                 {"n":"13","v":1367491215},
                 {"n":"14","vs":"+02:00"},
                 {"n":"16","vs":"U"}]""");

        assertThat(result.problems()).isEmpty();
        assertThat(result.readings()).containsExactly(Reading.of(DEVICE, Quantity.BATTERY, 100, RECEIVED));
    }

    @Test
    void givesASecondInstanceOfOneObjectItsOwnSubDeviceAndKeepsTheLowestOnTheDevice() {
        // a Read of /3303 on a client with two thermometers: both instances at one time
        DecodeResult result = json("""
                [{"bn":"/3303/1/","n":"5700","v":6.2},
                 {"n":"5701","vs":"Cel"},
                 {"bn":"/3303/0/","n":"5700","v":4.1},
                 {"n":"5701","vs":"Cel"},
                 {"bn":"/3304/0/","n":"5700","v":55}]""");

        assertThat(result.problems()).isEmpty();
        assertThat(result.readings()).containsExactly(
                Reading.of(new DeviceRef("school-1", "lab-2", "lwm2m-7.3303-1"), Quantity.TEMPERATURE, 6.2, RECEIVED),
                Reading.of(DEVICE, Quantity.TEMPERATURE, 4.1, RECEIVED),
                Reading.of(DEVICE, Quantity.HUMIDITY, 55, RECEIVED));
    }

    @Test
    void keepsAClientsOnlyInstanceOnTheDeviceWhateverItsNumber() {
        DecodeResult result = json("[{\"bn\":\"/3303/4/\",\"n\":\"5700\",\"v\":21.5}]");

        assertThat(result.problems()).isEmpty();
        assertThat(result.readings()).containsExactly(Reading.of(DEVICE, Quantity.TEMPERATURE, 21.5, RECEIVED));
    }

    @Test
    void readsATemperatureObjectInstanceWithItsUnitsAndSkipsMinMax() {
        // IPSO Temperature, https://github.com/OpenMobileAlliance/lwm2m-registry/blob/prod/3303.xml
        DecodeResult result = json("""
                [{"bn":"/3303/0/","n":"5700","v":31.4},
                 {"n":"5701","vs":"Cel"},
                 {"n":"5601","v":24.1},
                 {"n":"5602","v":33.0},
                 {"n":"5750","vs":"Classroom 7A"}]""");

        assertThat(result.problems()).isEmpty();
        assertThat(result.readings()).containsExactly(Reading.of(DEVICE, Quantity.TEMPERATURE, 31.4, RECEIVED));
    }

    @Test
    void convertsBySensorUnitsSentAfterTheValue() {
        DecodeResult result = json("""
                [{"bn":"/3303/1/","n":"5700","v":88.7},
                 {"n":"5701","vs":"°F"},
                 {"bn":"/3304/0/","n":"5700","v":0.71},
                 {"n":"5701","vs":"/"}]""");

        assertThat(result.problems()).isEmpty();
        assertThat(result.readings()).extracting(Reading::quantity, Reading::unit).containsExactly(
                tuple(Quantity.TEMPERATURE, "Cel"), tuple(Quantity.HUMIDITY, "%RH"));
        assertThat(result.readings().get(0).value()).isCloseTo(31.5, Offset.offset(1e-9));
        assertThat(result.readings().get(1).value()).isCloseTo(71.0, Offset.offset(1e-9));
    }

    @Test
    void readsIlluminanceLoudnessAndTimestampedNotifications() {
        // LwM2M 1.1 Notify with several timestamped values of one resource: base time plus relative times
        DecodeResult result = json("""
                [{"bn":"/3301/0/5700","bt":1699999800,"v":412},
                 {"t":60,"v":433},
                 {"bn":"/3324/0/","n":"5700","bt":1699999900,"v":57.5}]""");

        assertThat(result.problems()).isEmpty();
        assertThat(result.readings()).extracting(Reading::quantity, Reading::value, Reading::unit, Reading::timestamp).containsExactly(
                tuple(Quantity.ILLUMINANCE, 412.0, "lx", 1_699_999_800_000L),
                tuple(Quantity.ILLUMINANCE, 433.0, "lx", 1_699_999_860_000L),
                tuple(Quantity.NOISE, 57.5, "dBA", 1_699_999_900_000L));
    }

    @Test
    void turnsPresenceDigitalInputStateIntoOccupancyEvents() {
        // IPSO Presence, https://github.com/OpenMobileAlliance/lwm2m-registry/blob/prod/3302.xml
        DecodeResult result = json("""
                [{"bn":"/3302/0/","n":"5500","vb":true},
                 {"n":"5501","v":17},
                 {"n":"5751","vs":"PIR"},
                 {"bn":"/3302/1/","n":"5500","v":0}]""");

        assertThat(result.problems()).isEmpty();
        assertThat(result.events()).extracting(DeviceEvent::type, DeviceEvent::attributes, DeviceEvent::timestamp).containsExactly(
                tuple(EventType.OCCUPANCY, Map.of("occupied", "true"), RECEIVED),
                tuple(EventType.OCCUPANCY, Map.of("occupied", "false"), RECEIVED));
    }

    @Test
    void decidesWhatAConcentrationMeasuresByUnitsOrApplicationType() {
        // IPSO Concentration, https://github.com/OpenMobileAlliance/lwm2m-registry/blob/prod/3325.xml
        DecodeResult result = json("""
                [{"bn":"/3325/0/","n":"5700","v":1180},
                 {"n":"5701","vs":"ppm"},
                 {"bn":"/3325/1/","n":"5700","v":0.35},
                 {"n":"5701","vs":"ppm"},
                 {"n":"5750","vs":"TVOC"},
                 {"bn":"/3325/2/","n":"5700","v":21},
                 {"n":"5701","vs":"ug/m3"},
                 {"n":"5750","vs":"PM2.5"}]""");

        assertThat(result.problems()).isEmpty();
        assertThat(result.readings()).extracting(Reading::quantity, Reading::value).containsExactly(
                tuple(Quantity.CO2, 1180.0), tuple(Quantity.VOC, 350.0), tuple(Quantity.PM25, 21.0));
    }

    @Test
    void reportsAConcentrationItCannotPlace() {
        DecodeResult result = json("""
                [{"bn":"/3325/0/","n":"5700","v":1180},
                 {"bn":"/3325/1/","n":"5700","v":9},
                 {"n":"5701","vs":"ppm"},
                 {"n":"5750","vs":"CO"}]""");

        assertThat(result.readings()).isEmpty();
        assertThat(result.problems()).extracting(DecodeProblem::device, DecodeProblem::field)
                .containsExactly(tuple(WHO, "$[0].v"), tuple(WHO, "$[1].v"));
        assertThat(result.problems().get(0).message()).contains("/3325/0/5700", "no units");
        assertThat(result.problems().get(1).message()).contains("\"CO\"");
    }

    @Test
    void readsTheAirQualityObjectsCo2AndParticlesAndSkipsAverages() {
        // uCIFI Air quality, https://github.com/OpenMobileAlliance/lwm2m-registry/blob/prod/3428.xml
        DecodeResult result = json("""
                [{"bn":"/3428/0/","n":"1","v":41.2},
                 {"n":"2","v":38.0},
                 {"n":"3","v":23.5},
                 {"n":"4","v":19.9},
                 {"n":"7","v":0.4},
                 {"n":"17","v":1450},
                 {"n":"18","v":1290}]""");

        assertThat(result.problems()).isEmpty();
        assertThat(result.readings()).extracting(Reading::quantity, Reading::value, Reading::unit).containsExactly(
                tuple(Quantity.PM10, 41.2, "ug/m3"), tuple(Quantity.PM25, 23.5, "ug/m3"), tuple(Quantity.CO2, 1450.0, "ppm"));
    }

    @Test
    void usesTheIpsoTimestampResourceAsMeasurementTime() {
        // Nordic's nRF9160 samples set /3303/0/5518 with the device time before notifying 5700
        DecodeResult result = json("""
                [{"bn":"/3303/0/","n":"5700","v":29.0},
                 {"n":"5518","v":1699999000},
                 {"n":"6050","v":0.25}]""");

        assertThat(result.problems()).isEmpty();
        assertThat(result.readings()).containsExactly(Reading.of(DEVICE, Quantity.TEMPERATURE, 29.0, 1_699_999_000_250L));
    }

    @Test
    void distrustsAnIpsoTimestampFromTheFuture() {
        DecodeResult result = json("[{\"bn\":\"/3303/0/\",\"n\":\"5700\",\"v\":29.0},{\"n\":\"5518\",\"v\":1800000000}]");

        assertThat(result.readings()).containsExactly(Reading.of(DEVICE, Quantity.TEMPERATURE, 29.0, RECEIVED));
        assertThat(result.problems()).singleElement().satisfies(p -> assertThat(p.field()).isEqualTo("$[1].v"));
    }

    @Test
    void dropsAValueTheSensorMarkedRejected() {
        DecodeResult result = json("[{\"bn\":\"/3304/0/\",\"n\":\"5700\",\"v\":99.9},{\"n\":\"6042\",\"v\":1}]");

        assertThat(result.readings()).isEmpty();
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("$[0].v");
            assertThat(p.message()).contains("6042", "rejected");
        });
    }

    @Test
    void readsCborWithLwm2mPaths() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CBORGenerator g = new CBORFactory().createGenerator(out)) {
            g.writeStartArray();
            g.writeStartObject();
            g.writeFieldId(-2);
            g.writeString("/3303/0/");
            g.writeFieldId(0);
            g.writeString("5700");
            g.writeFieldId(2);
            g.writeNumber(27.25f);
            g.writeEndObject();
            g.writeEndArray();
        }

        DecodeResult result = codec.decode(new RawMessage("rd/lwm2m-7", "112", out.toByteArray(), RECEIVED), DEVICE);

        assertThat(result.problems()).isEmpty();
        assertThat(result.readings()).containsExactly(Reading.of(DEVICE, Quantity.TEMPERATURE, 27.25, RECEIVED));
    }

    // --- malformed ---

    @Test
    void reportsNamesThatAreNotResourcePaths() {
        DecodeResult result = json("""
                [{"n":"temperature","v":22},
                 {"n":"/3303/x/5700","v":22},
                 {"n":"/3303/0","v":22},
                 {"n":"/3303/0/5700/","v":22},
                 {"n":"/99999/0/5700","v":22},
                 {"n":"/3303/0/5700","v":22.5}]""");

        assertThat(result.readings()).containsExactly(Reading.of(DEVICE, Quantity.TEMPERATURE, 22.5, RECEIVED));
        assertThat(result.problems()).extracting(DecodeProblem::field).containsExactly("$[0].n", "$[1].n", "$[2].n", "$[3].n", "$[4].n");
    }

    @Test
    void reportsAnUnknownObjectOnceAndAnUnknownResource() {
        DecodeResult result = json("""
                [{"bn":"/3311/0/","n":"5850","vb":true},
                 {"n":"5851","v":80},
                 {"bn":"/3303/0/","n":"9999","v":1},
                 {"n":"5700","vs":"warm"}]""");

        assertThat(result.recordCount()).isZero();
        assertThat(result.problems()).extracting(DecodeProblem::field, DecodeProblem::message).containsExactly(
                tuple("$[0].n", "object 3311 (/3311/0/5850) is not mapped; mapped objects: [3, 3301, 3302, 3303, 3304, 3324, 3325, 3428]"),
                tuple("$[2].n", "resource /3303/0/9999 is not mapped"),
                tuple("$[3].vs", "/3303/0/5700 must be a number for temperature"));
    }

    @Test
    void reportsAnImplausibleOrUnconvertibleValue() {
        DecodeResult result = json("""
                [{"bn":"/3303/0/","n":"5700","v":4000},
                 {"bn":"/3304/0/","n":"5700","u":"lx","v":50}]""");

        assertThat(result.readings()).isEmpty();
        assertThat(result.problems()).extracting(DecodeProblem::field).containsExactly("$[0].v", "$[1].v");
        assertThat(result.problems().get(0).message()).contains("outside the plausible range");
        assertThat(result.problems().get(1).message()).contains("\"lx\"", "cannot be converted to %RH");
    }

    @Test
    void rejectsMalformedPacksThroughTheSenmlReader() {
        DecodeResult truncated = json("[{\"bn\":\"/3303/0/\",\"n\":\"5700\",\"v\":2");
        byte[] badUtf8 = "[{\"n\":\"/3303/0/5700\",\"v\":2}]".getBytes(StandardCharsets.UTF_8);
        badUtf8[8] = (byte) 0xff;
        DecodeResult invalid = codec.decode(new RawMessage("rd/lwm2m-7", "application/senml+json", badUtf8, RECEIVED), DEVICE);
        DecodeResult nan = json("[{\"n\":\"/3303/0/5700\",\"v\":NaN}]");
        DecodeResult huge = codec.decode(new RawMessage("rd/lwm2m-7", null, new byte[1024 * 1024 + 1], RECEIVED), DEVICE);

        assertThat(truncated.recordCount() + invalid.recordCount() + nan.recordCount() + huge.recordCount()).isZero();
        assertThat(truncated.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("not valid JSON"));
        assertThat(invalid.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("UTF-8", "offset 8"));
        assertThat(nan.problems()).singleElement().satisfies(p -> assertThat(p.field()).isEqualTo("$[0].v"));
        assertThat(huge.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("1 MiB"));
    }
}
