package org.smartschool.bridge.codec.serialline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.smartschool.bridge.codec.Codec;
import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.codec.DecodeProblem;
import org.smartschool.bridge.codec.DecodeResult;
import org.smartschool.bridge.codec.RawMessage;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SerialLineCodecTest {
    private static final DeviceRef UART = new DeviceRef("thpt-le-loi", "room-10a1", "uart-10a1");
    private static final long RECEIVED = 1_725_494_400_000L; // 2024-09-05T00:00:00Z, 07:00 in Hanoi
    private static final String WHO = "thpt-le-loi/room-10a1/uart-10a1";

    private static final String ALPHABET = "CO2=T;H*$.-e1234567890ABF \r\n";

    private final SerialLineCodec codec = new SerialLineCodec();

    private static DecodeResult decode(SerialLineCodec codec, String frame) {
        return codec.decode(new RawMessage("/dev/ttyUSB0", null, frame.getBytes(StandardCharsets.US_ASCII), RECEIVED), UART);
    }

    private DecodeResult decode(String frame) {
        return decode(codec, frame);
    }

    @Test
    void decodesTheDefaultFrameIntoCanonicalReadingsStampedWithTheReceiveTime() {
        // What an Arduino sketch prints with Serial.print("CO2="); ... Serial.println(h); (CRLF ending).
        DecodeResult result = decode("CO2=812;T=29.4;H=71\r\n");

        assertThat(result.problems()).isEmpty();
        assertThat(result.events()).isEmpty();
        assertThat(result.readings()).extracting(Reading::quantity, Reading::value, Reading::unit, Reading::timestamp)
                .containsExactly(
                        tuple(Quantity.CO2, 812.0, "ppm", RECEIVED),
                        tuple(Quantity.TEMPERATURE, 29.4, "Cel", RECEIVED),
                        tuple(Quantity.HUMIDITY, 71.0, "%RH", RECEIVED));
        assertThat(result.readings()).allSatisfy(r -> assertThat(r.deviceRef()).isEqualTo(UART));
    }

    @Test
    void decodesEveryDefaultKeyCaseInsensitivelyWithSpacesAndATrailingSeparator() {
        DecodeResult result = decode("co2 = 1450; t=31.2; h=78.5; pm25=35; PM10=52; lux=320; Noise=61.5; VOC=220;"
                + " P=1009.8; GAS=3; AIRV=0.48; V=229.6; I=0.35; W=80.4; WH=1520; BAT=87; RSSI=-67;\n");

        assertThat(result.problems()).isEmpty();
        assertThat(result.readings()).extracting(Reading::quantity, Reading::value).containsExactly(
                tuple(Quantity.CO2, 1450.0), tuple(Quantity.TEMPERATURE, 31.2), tuple(Quantity.HUMIDITY, 78.5),
                tuple(Quantity.PM25, 35.0), tuple(Quantity.PM10, 52.0), tuple(Quantity.ILLUMINANCE, 320.0),
                tuple(Quantity.NOISE, 61.5), tuple(Quantity.VOC, 220.0), tuple(Quantity.PRESSURE, 1009.8),
                tuple(Quantity.GAS, 3.0), tuple(Quantity.AIR_VELOCITY, 0.48), tuple(Quantity.VOLTAGE, 229.6),
                tuple(Quantity.CURRENT, 0.35), tuple(Quantity.POWER, 80.4), tuple(Quantity.ENERGY, 1520.0),
                tuple(Quantity.BATTERY, 87.0), tuple(Quantity.RSSI, -67.0));
    }

    @Test
    void nmeaXorChecksumMatchesThePublishedGprmcExample() {
        // NMEA 0183: XOR of all bytes between '$' and '*'. Sentence and checksum *28 from
        // http://www.tigoe.net/pcomp/code/category/date/2007/11 ("XOR calculation for NMEA checksums").
        byte[] sentence = "$GPRMC,155123.000,A,4043.8432,N,07359.7653,W,0.15,83.25,200407,,*28"
                .getBytes(StandardCharsets.US_ASCII);
        int star = sentence.length - 3;

        assertThat(FrameChecksum.NMEA_XOR.compute(sentence, 1, star)).isEqualTo(0x28);
    }

    @Test
    void crc16ModbusMatchesTheCatalogueCheckValue() {
        // CRC RevEng catalogue, CRC-16/MODBUS: check=0x4b37 for "123456789"
        // https://reveng.sourceforge.io/crc-catalogue/16.htm#crc.cat.crc-16-modbus
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);

        assertThat(FrameChecksum.CRC16_MODBUS.compute(check, 0, check.length)).isEqualTo(0x4B37);
        assertThat(FrameChecksum.CRC16_MODBUS.format(0x4B37)).isEqualTo("4B37");
    }

    @Test
    void acceptsAFrameWhoseNmeaChecksumIsRightWithOrWithoutTheDollarSign() {
        // XOR of "CO2=812;T=29.4;H=71" is 0x33.
        assertThat(decode("CO2=812;T=29.4;H=71*33\r\n").readings()).hasSize(3);
        assertThat(decode("$CO2=812;T=29.4;H=71*33").readings()).hasSize(3);
        assertThat(decode("CO2=812;T=29.4;H=71*33").problems()).isEmpty();
        assertThat(decode("CO2=812;T=29.4;H=71*33").readings()).extracting(Reading::value)
                .containsExactly(812.0, 29.4, 71.0);
    }

    @Test
    void rejectsTheWholeFrameOnABadNmeaChecksumNamingExpectedAndActual() {
        // One corrupted digit (812 -> 813) on a noisy line: no reading may survive.
        DecodeResult result = decode("CO2=813;T=29.4;H=71*33");

        assertThat(result.readings()).isEmpty();
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.device()).isEqualTo(WHO);
            assertThat(p.field()).isEqualTo("$.checksum");
            assertThat(p.message()).contains("expected 32").contains("actual 33");
        });
    }

    @Test
    void verifiesACrc16ModbusTrailerAndRejectsAWrongOne() {
        SerialLineCodec crc = new SerialLineCodec(SerialLineOptions.defaults().withChecksum(FrameChecksum.CRC16_MODBUS, true));

        // CRC-16/MODBUS of "CO2=812;T=29.4;H=71" is 0x58A8.
        DecodeResult good = decode(crc, "CO2=812;T=29.4;H=71*58A8\n");
        DecodeResult lowerCase = decode(crc, "CO2=812;T=29.4;H=71*58a8\n");
        DecodeResult bad = decode(crc, "CO2=812;T=29.4;H=17*58A8\n");

        assertThat(good.problems()).isEmpty();
        assertThat(good.readings()).extracting(Reading::value).containsExactly(812.0, 29.4, 71.0);
        assertThat(lowerCase.readings()).hasSize(3);
        assertThat(bad.readings()).isEmpty();
        assertThat(bad.problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("$.checksum");
            assertThat(p.message()).contains("actual 58A8").containsPattern("expected [0-9A-F]{4}")
                    .doesNotContain("expected 58A8");
        });
    }

    @Test
    void rejectsATruncatedFrameWhenTheChecksumIsRequired() {
        SerialLineCodec strict = new SerialLineCodec(SerialLineOptions.defaults().withChecksum(FrameChecksum.NMEA_XOR, true));

        DecodeResult cutBeforeTrailer = decode(strict, "CO2=812;T=29.4;H=7");
        DecodeResult cutInTrailer = decode(strict, "CO2=812;T=29.4;H=71*3");

        assertThat(cutBeforeTrailer.readings()).isEmpty();
        assertThat(cutBeforeTrailer.problems()).extracting(DecodeProblem::field).containsExactly("$.checksum");
        assertThat(cutInTrailer.readings()).isEmpty();
        assertThat(cutInTrailer.problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("$.checksum");
            assertThat(p.message()).contains("2 hex digits");
        });
    }

    @Test
    void decodesCustomSeparatorsAndKeysGivenThroughOptions() {
        // An ESP32 sketch printing "temp:27.5,hum:80,co2:640" for a lab fridge probe and room sensor.
        SerialLineOptions options = SerialLineOptions.defaults()
                .withKeys(Map.of("temp", Quantity.TEMPERATURE, "hum", Quantity.HUMIDITY, "co2", Quantity.CO2))
                .withSeparators(",", ":")
                .withIgnoredKeys(Set.of("seq"));
        SerialLineCodec custom = new SerialLineCodec(options);

        DecodeResult result = decode(custom, "seq:118,temp:27.5,hum:80,co2:640\r\n");

        assertThat(result.problems()).isEmpty();
        assertThat(result.readings()).extracting(Reading::quantity, Reading::value).containsExactly(
                tuple(Quantity.TEMPERATURE, 27.5), tuple(Quantity.HUMIDITY, 80.0), tuple(Quantity.CO2, 640.0));
    }

    @Test
    void keepsTheGoodPairsOfAPartlyBadFrameAndNamesEachBadOne() {
        DecodeResult result = decode("CO2=812;T=abc;H=;XYZ=4;garbage;=5;LUX=0x1F;NOISE=58");

        assertThat(result.readings()).extracting(Reading::quantity, Reading::value)
                .containsExactly(tuple(Quantity.CO2, 812.0), tuple(Quantity.NOISE, 58.0));
        assertThat(result.problems()).extracting(DecodeProblem::field)
                .containsExactly("$.T", "$.H", "$.XYZ", "$[4]", "$[5]", "$.LUX");
        assertThat(result.problems()).allSatisfy(p -> assertThat(p.device()).isEqualTo(WHO));
        assertThat(result.problems().get(0).message()).contains("not a decimal number");
        assertThat(result.problems().get(1).message()).contains("empty");
        assertThat(result.problems().get(2).message()).contains("unknown key");
        assertThat(result.problems().get(3).message()).contains("no '='");
    }

    @Test
    void rejectsNanInfinityAndOverflowingNumbersWithoutAReading() {
        DecodeResult result = decode("T=NaN;H=Infinity;CO2=1e999;PM25=-Infinity;LUX=1d;NOISE=0x1p3");

        assertThat(result.readings()).isEmpty();
        assertThat(result.problems()).extracting(DecodeProblem::field)
                .containsExactly("$.T", "$.H", "$.CO2", "$.PM25", "$.LUX", "$.NOISE");
        assertThat(result.problems().get(2).message()).contains("out of range");
    }

    @Test
    void dropsValuesOutsideTheSensorsPlausibleRange() {
        // A DHT22 glitch reads 150 %RH; an MH-Z19 fresh from power-up can print 65535 ppm; -300 Cel is a wiring fault.
        DecodeResult result = decode("CO2=65535;H=150;T=-300;LUX=320");

        assertThat(result.readings()).extracting(Reading::quantity, Reading::value)
                .containsExactly(tuple(Quantity.ILLUMINANCE, 320.0));
        assertThat(result.problems()).extracting(DecodeProblem::field).containsExactly("$.CO2", "$.H", "$.T");
        assertThat(result.problems()).allSatisfy(p -> assertThat(p.message()).contains("plausible range"));
    }

    @Test
    void dropsBothValuesWhenOneQuantityAppearsTwiceInAFrame() {
        SerialLineCodec aliases = new SerialLineCodec(SerialLineOptions.defaults().withKeys(
                Map.of("T", Quantity.TEMPERATURE, "TEMP", Quantity.TEMPERATURE, "H", Quantity.HUMIDITY)));

        DecodeResult repeated = decode("T=29.4;T=30.1;H=71");
        DecodeResult aliased = decode(aliases, "T=29.4;TEMP=30.1;H=71");

        assertThat(repeated.readings()).extracting(Reading::quantity).containsExactly(Quantity.HUMIDITY);
        assertThat(repeated.problems()).extracting(DecodeProblem::field).containsExactly("$.T");
        assertThat(aliased.readings()).extracting(Reading::quantity).containsExactly(Quantity.HUMIDITY);
        assertThat(aliased.problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("$.TEMP");
            assertThat(p.message()).contains("temperature").contains("both values are dropped");
        });
    }

    @Test
    void rejectsInvalidUtf8AndControlBytesNamingTheOffset() {
        byte[] invalidUtf8 = {'T', '=', '2', '9', (byte) 0xC3, (byte) 0x28, ';', 'H', '=', '7', '1'};
        byte[] nul = {'T', '=', '2', 0, '9'};

        DecodeResult utf8 = codec.decode(new RawMessage("/dev/ttyS0", null, invalidUtf8, RECEIVED), UART);
        DecodeResult control = codec.decode(new RawMessage("/dev/ttyS0", null, nul, RECEIVED), UART);

        assertThat(utf8.readings()).isEmpty();
        assertThat(utf8.problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("$");
            assertThat(p.device()).isEqualTo(WHO);
            assertThat(p.message()).contains("0xC3").contains("offset 4");
        });
        assertThat(control.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("offset 3"));
    }

    @Test
    void rejectsAOneMebibytePayloadWithoutScanningIt() {
        byte[] huge = new byte[1 << 20];
        Arrays.fill(huge, (byte) '7');
        huge[0] = 'T';
        huge[1] = '=';

        DecodeResult result = codec.decode(new RawMessage("/dev/ttyS0", null, huge, RECEIVED), UART);

        assertThat(result.readings()).isEmpty();
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("$");
            assertThat(p.message()).contains("1048576 bytes");
        });
    }

    @Test
    void rejectsAHugeNumberAndDeeplyNestedNoiseAsNotANumber() {
        String nested = "[".repeat(1500) + "]".repeat(1500);

        DecodeResult result = decode("CO2=" + "9".repeat(400) + ";T=" + nested);

        assertThat(result.readings()).isEmpty();
        assertThat(result.problems()).extracting(DecodeProblem::field).containsExactly("$.CO2", "$.T");
        assertThat(result.problems()).allSatisfy(p -> assertThat(p.message()).hasSizeLessThan(120));
    }

    @Test
    void ignoresBlankLinesOnPurpose() {
        assertThat(decode("\r\n").ignored()).isTrue();
        assertThat(decode("   ").ignored()).isTrue();
        assertThat(decode("").ignored()).isTrue();
    }

    @Test
    void neverThrowsForAnyShortAsciiOrBinaryFrame() {
        Random random = new Random(42);
        for (int i = 0; i < 5_000; i++) {
            byte[] bytes = new byte[random.nextInt(40)];
            for (int j = 0; j < bytes.length; j++) {
                bytes[j] = (byte) (random.nextBoolean() ? ALPHABET.charAt(random.nextInt(ALPHABET.length()))
                        : random.nextInt(256));
            }
            DecodeResult result = codec.decode(new RawMessage("/dev/ttyS0", null, bytes, RECEIVED), UART);
            assertThat(result.readings()).allSatisfy(r -> assertThat(Double.isFinite(r.value())).isTrue());
        }
    }

    @Test
    void validatesOptionsNamingTheBadOption() {
        SerialLineOptions defaults = SerialLineOptions.defaults();

        assertThatThrownBy(() -> defaults.withSeparators(";", ";")).hasMessageContaining("must differ");
        assertThatThrownBy(() -> defaults.withSeparators("", "=")).hasMessageContaining("'pairSeparator'");
        assertThatThrownBy(() -> defaults.withSeparators(";", "*")).hasMessageContaining("'keyValueSeparator'");
        assertThatThrownBy(() -> defaults.withKeys(Map.of())).hasMessageContaining("'keys'");
        assertThatThrownBy(() -> defaults.withKeys(Map.of("C O2", Quantity.CO2))).hasMessageContaining("'keys'");
        assertThatThrownBy(() -> defaults.withKeys(Map.of("t", Quantity.TEMPERATURE, "T", Quantity.TEMPERATURE)))
                .hasMessageContaining("case-insensitively");
        assertThatThrownBy(() -> defaults.withIgnoredKeys(Set.of("CO2"))).hasMessageContaining("'ignoredKeys'");
        assertThatThrownBy(() -> defaults.withChecksum(FrameChecksum.NONE, true)).hasMessageContaining("'checksumRequired'");
    }

    @Test
    void withoutAChecksumAStarIsPartOfTheValue() {
        SerialLineCodec plain = new SerialLineCodec(SerialLineOptions.defaults().withChecksum(FrameChecksum.NONE, false));

        DecodeResult result = decode(plain, "CO2=812;H=71*33");

        assertThat(result.readings()).extracting(Reading::quantity).containsExactly(Quantity.CO2);
        assertThat(result.problems()).extracting(DecodeProblem::field).containsExactly("$.H");
    }

    @Test
    void registryShipsTheCodecUnderItsName() {
        assertThat(CodecRegistry.standard().require("serial-line")).isInstanceOf(SerialLineCodec.class)
                .extracting(Codec::name).isEqualTo("serial-line");
        assertThat(((SerialLineCodec) CodecRegistry.standard().require("serial-line")).options())
                .isEqualTo(SerialLineOptions.defaults());
    }
}
