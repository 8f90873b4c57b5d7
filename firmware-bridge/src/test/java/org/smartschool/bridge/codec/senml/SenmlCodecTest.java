package org.smartschool.bridge.codec.senml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
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
class SenmlCodecTest {
    static final DeviceRef DEVICE = new DeviceRef("school-1", "room-101", "senml-1");
    static final String WHO = "school-1/room-101/senml-1";
    /** 2023-11-14T22:13:20Z */
    static final long RECEIVED = 1_700_000_000_000L;
    static final String JSON = "application/senml+json";
    static final String CBOR = "application/senml+cbor";

    final SenmlCodec codec = new SenmlCodec();

    static DecodeResult decode(SenmlCodec codec, String contentType, byte[] payload) {
        return codec.decode(new RawMessage("coap/senml", contentType, payload, RECEIVED), DEVICE);
    }

    DecodeResult json(String payload) {
        return decode(codec, JSON, payload.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void givesASecondSensorOfOneQuantityItsOwnSubDeviceAndKeepsTheFirstOnTheDevice() {
        // two probes of one device, both in Cel, measured at one time: one identity would keep only one of them
        DecodeResult result = json("""
                [{"bt":1700000000,"n":"temp1","u":"Cel","v":4.5},
                 {"n":"temp2","u":"Cel","v":6.0},
                 {"n":"humidity","u":"%RH","v":61},
                 {"n":"temp1","u":"Cel","t":10,"v":4.6},
                 {"n":"temp2","u":"Cel","t":10,"v":6.1}]""");

        DeviceRef second = new DeviceRef("school-1", "room-101", "senml-1.temp2");
        assertThat(result.problems()).isEmpty();
        assertThat(result.readings()).containsExactly(
                Reading.of(DEVICE, Quantity.TEMPERATURE, 4.5, RECEIVED),
                Reading.of(second, Quantity.TEMPERATURE, 6.0, RECEIVED),
                Reading.of(DEVICE, Quantity.HUMIDITY, 61, RECEIVED),
                Reading.of(DEVICE, Quantity.TEMPERATURE, 4.6, RECEIVED + 10_000),
                Reading.of(second, Quantity.TEMPERATURE, 6.1, RECEIVED + 10_000));
    }

    @Test
    void keepsASingleSensorOnTheDeviceWhateverItsNameAndNamesSubDevicesWithIdCharacters() {
        DecodeResult single = json("[{\"n\":\"temp2\",\"u\":\"Cel\",\"v\":6.0}]");
        DecodeResult oneWire = json("""
                [{"n":"urn:dev:ow:10e2073a01080063","u":"Cel","v":23.1},
                 {"n":"urn:dev:ow:10e2073a01080064","u":"Cel","v":23.4}]""");

        assertThat(single.readings()).containsExactly(Reading.of(DEVICE, Quantity.TEMPERATURE, 6.0, RECEIVED));
        assertThat(oneWire.problems()).isEmpty();
        assertThat(oneWire.readings()).containsExactly(
                Reading.of(DEVICE, Quantity.TEMPERATURE, 23.1, RECEIVED),
                Reading.of(new DeviceRef("school-1", "room-101", "senml-1.urn-dev-ow-10e2073a01080064"), Quantity.TEMPERATURE, 23.4, RECEIVED));
    }

    @Test
    void dropsASecondSensorWhoseSubDeviceIdWouldBeTooLongWithAProblem() {
        String longName = "sensor-" + "x".repeat(60);
        DecodeResult result = json("[{\"n\":\"temp1\",\"u\":\"Cel\",\"v\":4.5},{\"n\":\"" + longName + "\",\"u\":\"Cel\",\"v\":6.0}]");

        assertThat(result.readings()).containsExactly(Reading.of(DEVICE, Quantity.TEMPERATURE, 4.5, RECEIVED));
        assertThat(result.problems()).extracting(DecodeProblem::device, DecodeProblem::field)
                .containsExactly(tuple(WHO, "$[1].n"));
        assertThat(result.problems().get(0).message()).contains("second temperature sensor").contains("longer than 64");
    }

    // --- RFC 8428 examples (https://www.rfc-editor.org/rfc/rfc8428#section-5.1) ---

    @Test
    void decodesSingleDataPointTakenNowAsTemperatureAtReceiveTime() {
        // RFC 8428 section 5.1.1
        DecodeResult result = json("[{\"n\":\"urn:dev:ow:10e2073a01080063\",\"u\":\"Cel\",\"v\":23.1}]");

        assertThat(result.problems()).isEmpty();
        assertThat(result.readings()).containsExactly(Reading.of(DEVICE, Quantity.TEMPERATURE, 23.1, RECEIVED));
    }

    @Test
    void resolvesBaseNameBaseTimeBaseUnitAndRelativeTimes() {
        // RFC 8428 section 5.1.2, second example: current at Tue Jun 8 18:01:16.001 UTC 2010 and the 5 seconds before
        DecodeResult result = json("""
                [
                  {"bn":"urn:dev:ow:10e2073a0108006:","bt":1.276020076001e+09,
                   "bu":"A","bver":5,
                   "n":"voltage","u":"V","v":120.1},
                  {"n":"current","t":-5,"v":1.2},
                  {"n":"current","t":-4,"v":1.3},
                  {"n":"current","t":-3,"v":1.4},
                  {"n":"current","t":-2,"v":1.5},
                  {"n":"current","t":-1,"v":1.6},
                  {"n":"current","v":1.7}
                ]""");

        assertThat(result.problems()).isEmpty();
        assertThat(result.readings()).extracting(Reading::quantity, Reading::value, Reading::unit, Reading::timestamp)
                .containsExactly(
                        tuple(Quantity.VOLTAGE, 120.1, "V", 1_276_020_076_001L),
                        tuple(Quantity.CURRENT, 1.2, "A", 1_276_020_071_001L),
                        tuple(Quantity.CURRENT, 1.3, "A", 1_276_020_072_001L),
                        tuple(Quantity.CURRENT, 1.4, "A", 1_276_020_073_001L),
                        tuple(Quantity.CURRENT, 1.5, "A", 1_276_020_074_001L),
                        tuple(Quantity.CURRENT, 1.6, "A", 1_276_020_075_001L),
                        tuple(Quantity.CURRENT, 1.7, "A", 1_276_020_076_001L));
    }

    @Test
    void decodesTheRfcCborDumpLikeItsJsonTwin() {
        // RFC 8428 section 6: the CBOR dump of the section 5.1.2 example, integer labels
        byte[] cbor = HexFormat.of().parseHex(("87a721781b75726e3a6465763a6f773a3130653230373361303130383030363a22fb41d303a15b0010"
                + "6223614120050067766f6c7461676501615602fb405e066666666666a3006763757272656e74062402fb3ff3333333333333a300"
                + "6763757272656e74062302fb3ff4cccccccccccda3006763757272656e74062202fb3ff6666666666666a3006763757272656e74"
                + "062102f93e00a3006763757272656e74062002fb3ff999999999999aa3006763757272656e74060002fb3ffb333333333333"));

        DecodeResult result = decode(codec, CBOR, cbor);

        assertThat(result.problems()).isEmpty();
        assertThat(result.readings()).extracting(Reading::quantity, Reading::value, Reading::timestamp)
                .containsExactly(
                        tuple(Quantity.VOLTAGE, 120.1, 1_276_020_076_001L),
                        tuple(Quantity.CURRENT, 1.2, 1_276_020_071_001L),
                        tuple(Quantity.CURRENT, 1.3, 1_276_020_072_001L),
                        tuple(Quantity.CURRENT, 1.4, 1_276_020_073_001L),
                        tuple(Quantity.CURRENT, 1.5, 1_276_020_074_001L),
                        tuple(Quantity.CURRENT, 1.6, 1_276_020_075_001L),
                        tuple(Quantity.CURRENT, 1.7, 1_276_020_076_001L));
    }

    @Test
    void mapsHumidityAndBatteryByUnitAndReportsPositionRecordsAsUnmapped() {
        // RFC 8428 section 5.1.3: humidity (bu %RH), position (lon/lat) and battery (%EL) from a mobile device
        DecodeResult result = json("""
                [
                  {"bn":"urn:dev:ow:10e2073a01080063","bt":1.320067464e+09,
                   "bu":"%RH","v":20},
                  {"u":"lon","v":24.30621},
                  {"u":"lat","v":60.07965},
                  {"t":60,"v":20.3},
                  {"u":"lon","t":60,"v":24.30622},
                  {"u":"lat","t":60,"v":60.07965},
                  {"t":120,"v":20.7},
                  {"u":"lon","t":120,"v":24.30623},
                  {"u":"lat","t":120,"v":60.07966},
                  {"u":"%EL","t":150,"v":98},
                  {"t":180,"v":21.2},
                  {"u":"lon","t":180,"v":24.30628},
                  {"u":"lat","t":180,"v":60.07967}
                ]""");

        assertThat(result.readings()).extracting(Reading::quantity, Reading::value, Reading::timestamp)
                .containsExactly(
                        tuple(Quantity.HUMIDITY, 20.0, 1_320_067_464_000L),
                        tuple(Quantity.HUMIDITY, 20.3, 1_320_067_524_000L),
                        tuple(Quantity.HUMIDITY, 20.7, 1_320_067_584_000L),
                        tuple(Quantity.BATTERY, 98.0, 1_320_067_614_000L),
                        tuple(Quantity.HUMIDITY, 21.2, 1_320_067_644_000L));
        assertThat(result.problems()).extracting(DecodeProblem::device, DecodeProblem::field)
                .containsExactly(tuple(WHO, "$[1].v"), tuple(WHO, "$[2].v"), tuple(WHO, "$[4].v"), tuple(WHO, "$[5].v"),
                        tuple(WHO, "$[7].v"), tuple(WHO, "$[8].v"), tuple(WHO, "$[11].v"), tuple(WHO, "$[12].v"));
        assertThat(result.problems().get(0).message()).contains("no canonical quantity", "unit \"lon\"");
    }

    @Test
    void mapsBooleansDeliberatelyAndReportsTextAndData() {
        // RFC 8428 section 5.1.5: multiple data types
        DecodeResult result = json("""
                [
                  {"bn":"urn:dev:ow:10e2073a01080063:","n":"temp","u":"Cel","v":23.1},
                  {"n":"label","vs":"Machine Room"},
                  {"n":"open","vb":false},
                  {"n":"nfv-reader","vd":"aGkgCg"}
                ]""");

        assertThat(result.readings()).containsExactly(Reading.of(DEVICE, Quantity.TEMPERATURE, 23.1, RECEIVED));
        assertThat(result.events()).extracting(e -> e.type(), e -> e.timestamp(), e -> e.device())
                .containsExactly(tuple(EventType.DOOR_CLOSED, RECEIVED, "senml-1"));
        assertThat(result.problems()).extracting(DecodeProblem::field).containsExactly("$[1].vs", "$[3].vd");
        assertThat(result.problems().get(0).message()).contains("urn:dev:ow:10e2073a01080063:label", "not mapped");
    }

    @Test
    void appliesLaterBaseNameButEarlierBaseTimeInACollection() {
        // RFC 8428 section 5.1.6: the last record uses the 3rd record's base name and the 1st record's base time
        DecodeResult result = json("""
                [
                  {"bn":"2001:db8::2/","bt":1.320078429e+09,
                   "n":"temperature","u":"Cel","v":25.2},
                  {"n":"humidity","u":"%RH","v":30},
                  {"bn":"2001:db8::1/","n":"temperature","u":"Cel","v":12.3},
                  {"n":"humidity","u":"%RH","v":67}
                ]""");

        assertThat(result.problems()).isEmpty();
        assertThat(result.readings()).extracting(Reading::quantity, Reading::value, Reading::timestamp)
                .containsExactly(
                        tuple(Quantity.TEMPERATURE, 25.2, 1_320_078_429_000L),
                        tuple(Quantity.HUMIDITY, 30.0, 1_320_078_429_000L),
                        tuple(Quantity.TEMPERATURE, 12.3, 1_320_078_429_000L),
                        tuple(Quantity.HUMIDITY, 67.0, 1_320_078_429_000L));
    }

    @Test
    void readsAHeaderRecordOfBaseFieldsOnlyWithoutAProblem() {
        // RFC 8428 section 5.1.7 starts with a record holding only a base name
        DecodeResult result = json("""
                [
                  {"bn":"urn:dev:ow:10e2073a01080063:"},
                  {"n":"temp","u":"Cel","v":23.1}
                ]""");

        assertThat(result.problems()).isEmpty();
        assertThat(result.readings()).containsExactly(Reading.of(DEVICE, Quantity.TEMPERATURE, 23.1, RECEIVED));
    }

    // --- time ---

    @Test
    void resolvesTimesBelow2Pow28AgainstTheReceiveTime() {
        DecodeResult result = json("""
                [{"bn":"class-7a:","bt":-120,"n":"co2","u":"ppm","v":812},
                 {"n":"co2","t":60,"v":820},
                 {"n":"co2","t":119.5,"v":828}]""");

        assertThat(result.problems()).isEmpty();
        assertThat(result.readings()).extracting(Reading::value, Reading::timestamp).containsExactly(
                tuple(812.0, RECEIVED - 120_000), tuple(820.0, RECEIVED - 60_000), tuple(828.0, RECEIVED - 500));
    }

    @Test
    void usesReceiveTimeWhenTheDeviceClockRunsAheadAndSaysSo() {
        DecodeResult result = json("[{\"n\":\"co2\",\"u\":\"ppm\",\"v\":900,\"t\":" + (RECEIVED / 1000 + 7200) + "}]");

        assertThat(result.readings()).containsExactly(Reading.of(DEVICE, Quantity.CO2, 900, RECEIVED));
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("$[0].t");
            assertThat(p.message()).contains("7200 s after", "receive time used");
        });
    }

    @Test
    void dropsARecordWhoseTimeIsNoMoment() {
        DecodeResult result = json("[{\"n\":\"co2\",\"u\":\"ppm\",\"v\":900,\"t\":1e300},{\"n\":\"co2\",\"u\":\"ppm\",\"v\":905}]");

        assertThat(result.readings()).containsExactly(Reading.of(DEVICE, Quantity.CO2, 905, RECEIVED));
        assertThat(result.problems()).extracting(DecodeProblem::field).containsExactly("$[0].t");
    }

    // --- names, units and sums ---

    @Test
    void mapsNamesByTheirLastSegmentAndUnitsToCanonicalUnits() {
        DecodeResult result = json("""
                [{"bn":"urn:dev:mac:0024befffe804ff1:","n":"co2","v":1210},
                 {"n":"pm2.5","u":"ug/m3","v":17.5},
                 {"n":"pm10","u":"mg/m3","v":0.04},
                 {"n":"air-temperature","u":"K","v":303.15},
                 {"n":"pressure","u":"Pa","v":100870},
                 {"n":"light","u":"lx","v":420},
                 {"n":"sound","u":"dB","v":58.5},
                 {"n":"tvoc","u":"ppb","v":130},
                 {"n":"relative_humidity","u":"%","v":76}]""");

        assertThat(result.problems()).isEmpty();
        assertThat(result.readings()).extracting(Reading::quantity, Reading::value, Reading::unit).containsExactly(
                tuple(Quantity.CO2, 1210.0, "ppm"),
                tuple(Quantity.PM25, 17.5, "ug/m3"),
                tuple(Quantity.PM10, 40.0, "ug/m3"),
                tuple(Quantity.TEMPERATURE, 30.0, "Cel"),
                tuple(Quantity.PRESSURE, 1008.7, "hPa"),
                tuple(Quantity.ILLUMINANCE, 420.0, "lx"),
                tuple(Quantity.NOISE, 58.5, "dBA"),
                tuple(Quantity.VOC, 130.0, "ppb"),
                tuple(Quantity.HUMIDITY, 76.0, "%RH"));
        assertThat(result.readings().get(3).value()).isCloseTo(30.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void mapsByUnitWhenTheNameSaysNothing() {
        DecodeResult result = json("""
                [{"bn":"urn:dev:ow:10e2073a01080063:","n":"s1","u":"ppm","v":640},
                 {"n":"s2","u":"Cel","v":29.5},
                 {"n":"s3","u":"kWh","v":12.5},
                 {"n":"s4","u":"J","v":7200}]""");

        assertThat(result.problems()).isEmpty();
        assertThat(result.readings()).extracting(Reading::quantity, Reading::value).containsExactly(
                tuple(Quantity.CO2, 640.0), tuple(Quantity.TEMPERATURE, 29.5), tuple(Quantity.ENERGY, 12_500.0),
                tuple(Quantity.ENERGY, 2.0));
    }

    @Test
    void turnsASumOfWattsIntoEnergyInWattHours() {
        // RFC 8428 section 10: a meter reports watts in v and the energy used in s (W*s)
        DecodeResult result = json("[{\"n\":\"lab-fridge:power\",\"u\":\"W\",\"v\":85.5,\"s\":7200000}]");

        assertThat(result.problems()).isEmpty();
        assertThat(result.readings()).extracting(Reading::quantity, Reading::value, Reading::unit)
                .containsExactly(tuple(Quantity.POWER, 85.5, "W"), tuple(Quantity.ENERGY, 2000.0, "Wh"));
    }

    @Test
    void reportsAUnitThatCannotBeConvertedForTheNamedQuantity() {
        DecodeResult result = json("[{\"n\":\"temperature\",\"u\":\"%RH\",\"v\":55}]");

        assertThat(result.readings()).isEmpty();
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("$[0].u");
            assertThat(p.message()).contains("\"%RH\"", "cannot be converted to Cel", "K");
        });
    }

    @Test
    void turnsPresenceBooleansIntoOccupancyEvents() {
        DecodeResult result = json("[{\"bn\":\"room-101/\",\"n\":\"presence\",\"vb\":true,\"t\":-30},{\"n\":\"smoke\",\"vb\":false}]");

        assertThat(result.problems()).isEmpty();
        assertThat(result.events()).extracting(e -> e.type(), e -> e.attributes(), e -> e.timestamp()).containsExactly(
                tuple(EventType.OCCUPANCY, java.util.Map.of("occupied", "true"), RECEIVED - 30_000),
                tuple(EventType.ALERT, java.util.Map.of("kind", "smoke", "active", "false"), RECEIVED));
    }

    @Test
    void reportsABooleanWithoutAMeaning() {
        DecodeResult result = json("[{\"n\":\"fan\",\"vb\":true}]");

        assertThat(result.events()).isEmpty();
        assertThat(result.problems()).extracting(DecodeProblem::field).containsExactly("$[0].vb");
    }

    @Test
    void dropsAnImplausibleValueWithAProblem() {
        DecodeResult result = json("[{\"n\":\"temperature\",\"u\":\"Cel\",\"v\":1e300},{\"n\":\"co2\",\"u\":\"ppm\",\"v\":-5}]");

        assertThat(result.readings()).isEmpty();
        assertThat(result.problems()).extracting(DecodeProblem::field).containsExactly("$[0].v", "$[1].v");
        assertThat(result.problems().get(0).message()).contains("outside the plausible range");
    }

    @Test
    void rejectsANameOutsideTheRfcCharacterSet() {
        DecodeResult result = json("[{\"n\":\"room temp\",\"u\":\"Cel\",\"v\":22},{\"n\":\"/3303/0/5700\",\"u\":\"Cel\",\"v\":23}]");

        assertThat(result.readings()).isEmpty();
        assertThat(result.problems()).extracting(DecodeProblem::field).containsExactly("$[0].n", "$[1].n");
        assertThat(result.problems().get(0).message()).contains("RFC 8428 section 4.5.1");
    }

    // --- versions and must-understand fields ---

    @Test
    void rejectsAPackOfANewerSenmlVersion() {
        DecodeResult result = json("[{\"bver\":11,\"n\":\"co2\",\"u\":\"ppm\",\"v\":800}]");

        assertThat(result.recordCount()).isZero();
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.device()).isEqualTo(WHO);
            assertThat(p.field()).isEqualTo("$[0].bver");
            assertThat(p.message()).contains("version 11 is newer than 10");
        });
    }

    @Test
    void rejectsAPackWhoseRecordsDisagreeOnTheVersion() {
        DecodeResult result = json("[{\"bver\":5,\"n\":\"co2\",\"u\":\"ppm\",\"v\":800},{\"bver\":6,\"n\":\"co2\",\"v\":810}]");

        assertThat(result.recordCount()).isZero();
        assertThat(result.problems()).extracting(DecodeProblem::field).containsExactly("$[1].bver");
    }

    @Test
    void rejectsAPackWithAnUnknownMustUnderstandField() {
        DecodeResult result = json("[{\"n\":\"co2\",\"u\":\"ppm\",\"v\":800,\"rt_\":\"x\"}]");

        assertThat(result.recordCount()).isZero();
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("$[0].rt_");
            assertThat(p.message()).contains("must be understood");
        });
    }

    @Test
    void ignoresUnknownExtensionFields() {
        DecodeResult result = json("[{\"n\":\"co2\",\"u\":\"ppm\",\"v\":800,\"vlo\":\"3:0\",\"x\":{\"y\":[1,2]}}]");

        assertThat(result.problems()).isEmpty();
        assertThat(result.readings()).containsExactly(Reading.of(DEVICE, Quantity.CO2, 800, RECEIVED));
    }

    // --- content types ---

    @Test
    void picksTheFormatByContentTypeNameOrCoapContentFormat() throws IOException {
        byte[] cbor = cbor(g -> {
            g.writeStartArray();
            g.writeStartObject();
            g.writeFieldId(0);
            g.writeString("co2");
            g.writeFieldId(1);
            g.writeString("ppm");
            g.writeFieldId(2);
            g.writeNumber(777);
            g.writeEndObject();
            g.writeEndArray();
        });

        assertThat(decode(codec, "application/senml+cbor", cbor).readings()).extracting(Reading::value).containsExactly(777.0);
        assertThat(decode(codec, "112", cbor).readings()).extracting(Reading::value).containsExactly(777.0);
        assertThat(decode(codec, "Application/SenML+JSON; charset=utf-8", "[{\"n\":\"co2\",\"v\":1}]".getBytes(StandardCharsets.UTF_8))
                .readings()).extracting(Reading::value).containsExactly(1.0);
    }

    @Test
    void readsJsonWhenTheTransportCarriesNoContentTypeAndCborWhenConfigured() throws IOException {
        byte[] json = "[{\"n\":\"co2\",\"v\":700}]".getBytes(StandardCharsets.UTF_8);
        byte[] cbor = cbor(g -> {
            g.writeStartArray();
            g.writeStartObject();
            g.writeFieldId(0);
            g.writeString("co2");
            g.writeFieldId(2);
            g.writeNumber(701);
            g.writeEndObject();
            g.writeEndArray();
        });

        assertThat(decode(codec, null, json).readings()).extracting(Reading::value).containsExactly(700.0);
        SenmlCodec cborByDefault = new SenmlCodec(new SenmlPackReader(), SenmlFormat.CBOR);
        assertThat(decode(cborByDefault, null, cbor).readings()).extracting(Reading::value).containsExactly(701.0);
    }

    @Test
    void rejectsAContentTypeThatIsNotSenmlWithoutTryingToParse() {
        DecodeResult result = decode(codec, "application/json", "[{\"n\":\"co2\",\"v\":700}]".getBytes(StandardCharsets.UTF_8));

        assertThat(result.recordCount()).isZero();
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("$");
            assertThat(p.message()).contains("\"application/json\"", "is not SenML");
        });
    }

    // --- malformed input ---

    @Test
    void rejectsTruncatedJson() {
        DecodeResult result = json("[{\"n\":\"co2\",\"u\":\"ppm\",\"v\":800},{\"n\":\"co2\",\"v\":8");

        assertThat(result.recordCount()).isZero();
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.device()).isEqualTo(WHO);
            assertThat(p.field()).isEqualTo("$[1]");
            assertThat(p.message()).contains("not valid JSON");
        });
    }

    @Test
    void reportsWrongTypesPerFieldAndKeepsTheOtherRecords() {
        DecodeResult result = json("""
                [{"n":"co2","u":"ppm","v":"800"},
                 {"n":"temperature","u":"Cel","v":28.5},
                 {"n":"occupancy","vb":"yes"},
                 {"n":42,"v":1},
                 "not a record"]""");

        assertThat(result.readings()).containsExactly(Reading.of(DEVICE, Quantity.TEMPERATURE, 28.5, RECEIVED));
        assertThat(result.problems()).extracting(DecodeProblem::field, DecodeProblem::message).containsExactly(
                tuple("$[0].v", "expected a number, found a string"),
                tuple("$[2].vb", "expected true or false, found a string"),
                tuple("$[3].n", "expected a string, found a number"),
                tuple("$[4]", "a record is an object of labelled fields; found a string"));
    }

    @Test
    void dropsEveryRecordAfterABaseFieldOfTheWrongType() {
        DecodeResult result = json("""
                [{"n":"co2","u":"ppm","v":800},
                 {"bt":"yesterday","n":"co2","v":810},
                 {"n":"co2","v":820},
                 {"bt":1.7e9,"n":"co2","v":830}]""");

        assertThat(result.readings()).containsExactly(Reading.of(DEVICE, Quantity.CO2, 800, RECEIVED));
        assertThat(result.problems()).extracting(DecodeProblem::field).containsExactly("$[1].bt", "$[1]");
        assertThat(result.problems().get(1).message()).contains("the 2 after it");
    }

    @Test
    void reportsNanAndInfinityAsProblemsOfTheirField() {
        DecodeResult result = json("[{\"n\":\"co2\",\"v\":NaN},{\"n\":\"co2\",\"v\":-Infinity},{\"n\":\"co2\",\"v\":1e400},{\"n\":\"co2\",\"v\":640}]");

        assertThat(result.readings()).containsExactly(Reading.of(DEVICE, Quantity.CO2, 640, RECEIVED));
        assertThat(result.problems()).extracting(DecodeProblem::field).containsExactly("$[0].v", "$[1].v", "$[2].v");
        assertThat(result.problems()).allSatisfy(p -> assertThat(p.message()).contains("not a finite number"));
    }

    @Test
    void reportsHugeNumbersWithoutAWrongValue() {
        DecodeResult huge = json("[{\"n\":\"co2\",\"v\":123456789012345678901234567890},{\"n\":\"co2\",\"v\":700}]");
        DecodeResult overlong = json("[{\"n\":\"co2\",\"v\":700},{\"n\":\"humidity\",\"v\":" + "9".repeat(300) + "}]");

        assertThat(huge.readings()).containsExactly(Reading.of(DEVICE, Quantity.CO2, 700, RECEIVED));
        assertThat(huge.problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("$[0].v");
            assertThat(p.message()).contains("outside the plausible range");
        });
        assertThat(overlong.recordCount()).isZero();
        assertThat(overlong.problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("$[1]");
            assertThat(p.message()).contains("number length");
        });
    }

    @Test
    void rejectsDeepNestingWithoutStackOverflow() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        DecodeResult inArray = json(deep);
        DecodeResult inField = json("[{\"n\":\"co2\",\"v\":1,\"ext\":" + deep + "}]");

        assertThat(inArray.recordCount()).isZero();
        assertThat(inArray.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("nesting depth"));
        assertThat(inField.recordCount()).isZero();
        assertThat(inField.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("nesting depth"));
    }

    @Test
    void rejectsAPayloadOverOneMebibyteAndDecodesOneJustUnder() {
        StringBuilder pack = new StringBuilder("[{\"bn\":\"room-101:\",\"n\":\"co2\",\"u\":\"ppm\",\"v\":800}");
        String record = ",{\"n\":\"co2\",\"v\":801}";
        while (pack.length() + record.length() + 1 < 1024 * 1024) {
            pack.append(record);
        }
        String justUnder = pack + "]";
        DecodeResult ok = json(justUnder);
        DecodeResult tooBig = json(justUnder.substring(0, justUnder.length() - 1) + "," + " ".repeat(64) + "{\"n\":\"co2\",\"v\":1}]");

        assertThat(justUnder.length()).isLessThanOrEqualTo(1024 * 1024);
        assertThat(ok.problems()).isEmpty();
        assertThat(ok.readings()).hasSizeGreaterThan(40_000).allSatisfy(r -> assertThat(r.quantity()).isEqualTo(Quantity.CO2));
        assertThat(tooBig.recordCount()).isZero();
        assertThat(tooBig.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("1 MiB"));
    }

    @Test
    void rejectsInvalidUtf8() {
        byte[] payload = "[{\"n\":\"co2-\",\"v\":800}]".getBytes(StandardCharsets.UTF_8);
        payload[10] = (byte) 0xc3;
        payload[11] = (byte) 0x28;

        DecodeResult result = decode(codec, JSON, payload);

        assertThat(result.recordCount()).isZero();
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.device()).isEqualTo(WHO);
            assertThat(p.message()).contains("not valid UTF-8", "offset 10");
        });
    }

    @Test
    void reportsDuplicateFieldsAndTwoValueFieldsPerRecord() {
        DecodeResult result = json("[{\"n\":\"co2\",\"v\":800,\"v\":900},{\"n\":\"co2\",\"v\":810,\"vs\":\"810\"},{\"n\":\"co2\",\"v\":820}]");

        assertThat(result.readings()).containsExactly(Reading.of(DEVICE, Quantity.CO2, 820, RECEIVED));
        assertThat(result.problems()).extracting(DecodeProblem::field).containsExactly("$[0].v", "$[1]");
    }

    @Test
    void rejectsAPayloadThatIsNotAnArray() {
        assertThat(json("{\"n\":\"co2\",\"v\":800}").problems()).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("array of records"));
        assertThat(json("").problems()).singleElement().satisfies(p -> assertThat(p.field()).isEqualTo("$"));
        assertThat(json("[] []").problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("after the end"));
    }

    @Test
    void rejectsTruncatedCbor() {
        byte[] whole = HexFormat.of().parseHex("81a3006363" + "6f3201637070 6d02f9 4a40".replace(" ", ""));
        for (int cut = 1; cut < whole.length; cut++) {
            DecodeResult result = decode(codec, CBOR, java.util.Arrays.copyOf(whole, cut));
            assertThat(result.recordCount()).as("cut at %d", cut).isZero();
            assertThat(result.problems()).as("cut at %d", cut).singleElement()
                    .satisfies(p -> assertThat(p.message()).contains("CBOR"));
        }
        assertThat(decode(codec, CBOR, whole).readings()).extracting(Reading::quantity, Reading::value)
                .containsExactly(tuple(Quantity.CO2, 12.5));
    }

    @Test
    void reportsWrongCborTypesAndNonFiniteFloatsPerField() throws IOException {
        byte[] payload = cbor(g -> {
            g.writeStartArray();
            g.writeStartObject();
            g.writeFieldId(0);
            g.writeString("co2");
            g.writeFieldId(2);
            g.writeString("800");
            g.writeEndObject();
            g.writeStartObject();
            g.writeFieldId(0);
            g.writeNumber(7);
            g.writeFieldId(2);
            g.writeNumber(800);
            g.writeEndObject();
            g.writeStartObject();
            g.writeFieldId(0);
            g.writeString("co2");
            g.writeFieldId(2);
            g.writeNumber(Double.NaN);
            g.writeEndObject();
            g.writeStartObject();
            g.writeFieldId(0);
            g.writeString("co2");
            g.writeFieldId(2);
            g.writeNumber(Float.POSITIVE_INFINITY);
            g.writeEndObject();
            g.writeStartObject();
            g.writeFieldId(0);
            g.writeString("co2");
            g.writeFieldId(2);
            g.writeNumber(815);
            g.writeEndObject();
            g.writeEndArray();
        });

        DecodeResult result = decode(codec, CBOR, payload);

        assertThat(result.readings()).containsExactly(Reading.of(DEVICE, Quantity.CO2, 815, RECEIVED));
        assertThat(result.problems()).extracting(DecodeProblem::field).containsExactly("$[0].v", "$[1].n", "$[2].v", "$[3].v");
    }

    @Test
    void rejectsCborGarbageWithoutException() {
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 2000; i++) {
            byte[] garbage = new byte[random.nextInt(64)];
            random.nextBytes(garbage);
            DecodeResult result = decode(codec, CBOR, garbage);
            assertThat(result.problems().size() + result.recordCount()).isPositive();
            result.problems().forEach(p -> assertThat(p.device()).isEqualTo(WHO));
        }
    }

    @Test
    void rejectsJsonGarbageWithoutException() {
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 2000; i++) {
            byte[] garbage = new byte[random.nextInt(64)];
            random.nextBytes(garbage);
            DecodeResult result = decode(codec, JSON, garbage);
            assertThat(result.problems()).isNotEmpty();
            assertThat(result.recordCount()).isZero();
        }
    }

    interface CborWriter {
        void write(CBORGenerator generator) throws IOException;
    }

    static byte[] cbor(CborWriter writer) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CBORGenerator generator = new CBORFactory().createGenerator(out)) {
            writer.write(generator);
        }
        return out.toByteArray();
    }
}
