package org.smartschool.bridge.codec.cardreader;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.smartschool.bridge.codec.Codec;
import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.codec.DecodeProblem;
import org.smartschool.bridge.codec.DecodeResult;
import org.smartschool.bridge.codec.RawMessage;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.EventType;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CardReaderCodecTest {
    private static final DeviceRef DOOR = new DeviceRef("thcs-nguyen-du", "room-7b", "door-7b");
    private static final String WHO = "thcs-nguyen-du/room-7b/door-7b";
    private static final long RECEIVED = 1_725_497_700_000L; // 2024-09-05T00:55:00Z, 07:55 in Hanoi

    private final CardReaderCodec codec = new CardReaderCodec();

    private DecodeResult decode(String frame) {
        return decode(frame.getBytes(StandardCharsets.UTF_8));
    }

    private DecodeResult decode(byte[] frame) {
        return codec.decode(new RawMessage("school/door-7b/tap", null, frame, RECEIVED), DOOR);
    }

    private static DeviceEvent onlyTap(DecodeResult result) {
        assertThat(result.problems()).isEmpty();
        assertThat(result.readings()).isEmpty();
        assertThat(result.events()).hasSize(1);
        DeviceEvent tap = result.events().get(0);
        assertThat(tap.type()).isEqualTo(EventType.CARD_TAP);
        assertThat(tap.timestamp()).isEqualTo(RECEIVED);
        assertThat(tap.deviceRef()).isEqualTo(DOOR);
        return tap;
    }

    private static DecodeProblem onlyProblem(DecodeResult result) {
        assertThat(result.events()).isEmpty();
        assertThat(result.readings()).isEmpty();
        assertThat(result.problems()).hasSize(1);
        DecodeProblem problem = result.problems().get(0);
        assertThat(problem.device()).isEqualTo(WHO);
        return problem;
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "04A22B1C", "04a22b1c", "04:A2:2B:1C", "04 A2 2B 1C", "04-A2-2B-1C", "0x04 0xA2 0x2B 0x1C",
            "UID:04:A2:2B:1C", "UID: 04 A2 2B 1C", "uid=04A22B1C", " Card UID: 04 A2 2B 1C\r\n", "UID Value: 0x04 0xA2 0x2B 0x1C",
            "0x04A22B1C", "4:A2:2B:1C"})
    void normalizesEveryCommonWayOfWritingAFourByteUid(String frame) {
        // MFRC522 DumpInfo prints "Card UID: 04 A2 2B 1C" (github.com/miguelbalboa/rfid examples/DumpInfo);
        // ESPHome's rc522 format_uid joins bytes with '-' (https://esphome.io/api/rc522_8cpp_source);
        // Adafruit_PN532 PrintHex writes " 0x04 0xA2..." after "UID Value:" (examples/readMifare);
        // sketches using Serial.print(b, HEX) drop a byte's leading zero ("4:A2:2B:1C").
        DeviceEvent tap = onlyTap(decode(frame));

        assertThat(tap.attributes()).containsExactlyInAnyOrderEntriesOf(
                Map.of("uid", "04A22B1C", "format", "nfc_uid", "uid_bytes", "4"));
    }

    @Test
    void decodesASevenByteUltralightUidFromThePn532ExampleOutput() {
        // LPC1343CodeBase PN532 MifareUltralight_MemDump sample output: "UID: 04 7b cb 51 96 22 80"
        // (github.com/microbuilder/LPC1343CodeBase tools/examples/sensors/pn532/MifareUltralight_MemDump/readme.txt)
        DeviceEvent tap = onlyTap(decode("UID: 04 7b cb 51 96 22 80\n"));

        assertThat(tap.attributes()).containsEntry("uid", "047BCB51962280").containsEntry("uid_bytes", "7");
    }

    @Test
    void decodesATenByteTripleSizeUid() {
        DeviceEvent tap = onlyTap(decode("{\"uid\":\"88:04:A2:2B:88:1C:5A:3C:71:80\"}"));

        assertThat(tap.attributes()).containsEntry("uid", "8804A22B881C5A3C7180").containsEntry("uid_bytes", "10");
    }

    @Test
    void decodesTasmotaRc522AndPn532Telemetry() {
        // https://tasmota.github.io/docs/MFRC522/ : tele/rfid-test/SENSOR
        DeviceEvent rc522 = onlyTap(decode(
                "{\"Time\":\"2021-01-23T13:10:50\",\"RC522\":{\"UID\":\"BA839D07\",\"Data\":\"\",\"Type\":\"MIFARE 1KB\"}}"));
        // https://tasmota.github.io/docs/PN532/ : tele/tasmota/SENSOR
        DeviceEvent pn532 = onlyTap(decode("{\"Time\":\"2019-01-10T18:23:24\",\"PN532\":{\"UID\":\"94D8FC5F\", \"DATA\":\"\"}}"));

        assertThat(rc522.attributes()).containsExactlyInAnyOrderEntriesOf(Map.of("uid", "BA839D07", "format", "nfc_uid",
                "uid_bytes", "4", "reader", "rc522", "card_type", "MIFARE 1KB"));
        assertThat(pn532.attributes()).containsExactlyInAnyOrderEntriesOf(Map.of("uid", "94D8FC5F", "format", "nfc_uid",
                "uid_bytes", "4", "reader", "pn532"));
    }

    @Test
    void decodesAWiegand26FrameFromItsBitsCheckingBothParities() {
        // CIVINTEC CN56 reader manual 6.4.2: data D4 1B 81 -> "1 11010100 00011011 10000001 0"
        // (https://manualshive.com/ru/manual/civintec/cn56-series/2611587?page=25); H10301 layout: even parity,
        // 8-bit facility, 16-bit card number, odd parity (http://www.rfideas.com/support/learning_center/proximity_card_formats.php)
        DeviceEvent text = onlyTap(decode("W26:11101010000011011100000010\r\n"));
        DeviceEvent json = onlyTap(decode("{\"wiegand\":26,\"bits\":\"11101010000011011100000010\"}"));
        DeviceEvent number = onlyTap(decode("{\"wiegand\":26,\"value\":61355778}"));

        Map<String, String> expected = Map.of("uid", "D41B81", "format", "wiegand26", "facility", "212", "card_number", "7041");
        assertThat(text.attributes()).containsExactlyInAnyOrderEntriesOf(expected);
        assertThat(json.attributes()).containsExactlyInAnyOrderEntriesOf(expected);
        assertThat(number.attributes()).containsExactlyInAnyOrderEntriesOf(expected);
        assertThat(text.id()).isEqualTo(json.id()).isEqualTo(number.id());
    }

    @Test
    void decodesAWiegand34Frame() {
        // CIVINTEC CN56 reader manual 6.4.5: data 89 D4 1B 81 -> "1 10001001 11010100 00011011 10000001 1"
        DeviceEvent bits = onlyTap(decode("WIEGAND34=1100010011101010000011011100000011"));
        DeviceEvent value = onlyTap(decode("{\"wiegand\":34,\"value\":13214693123}"));

        Map<String, String> expected = Map.of("uid", "89D41B81", "format", "wiegand34", "facility", "35284", "card_number", "7041");
        assertThat(bits.attributes()).containsExactlyInAnyOrderEntriesOf(expected);
        assertThat(value.attributes()).containsExactlyInAnyOrderEntriesOf(expected);
    }

    @Test
    void decodesAClassicFacility123Card4567Frame() {
        DeviceEvent tap = onlyTap(decode("W26:10111101100010001110101110"));

        assertThat(tap.attributes()).containsEntry("facility", "123").containsEntry("card_number", "4567")
                .containsEntry("uid", "7B11D7");
    }

    @Test
    void rejectsAWiegand26FrameWithABadEvenParityBit() {
        DecodeProblem problem = onlyProblem(decode("W26:01101010000011011100000010"));

        assertThat(problem.field()).isEqualTo("$");
        assertThat(problem.message()).contains("even parity");
    }

    @Test
    void rejectsAWiegand26FrameWithABadOddParityBit() {
        DecodeProblem problem = onlyProblem(decode("{\"wiegand\":26,\"bits\":\"11101010000011011100000011\"}"));

        assertThat(problem.field()).isEqualTo("$.bits");
        assertThat(problem.message()).contains("odd parity");
    }

    @Test
    void rejectsAWiegand34FrameWithOneFlippedDataBit() {
        // The noise a long door cable picks up: bit 20 flipped, the odd parity over bits 17-32 fails.
        String good = "1100010011101010000011011100000011";
        char[] bits = good.toCharArray();
        bits[20] = bits[20] == '0' ? '1' : '0';

        DecodeProblem problem = onlyProblem(decode("W34:" + new String(bits)));

        assertThat(problem.message()).contains("odd parity");
    }

    @Test
    void rejectsWrongWiegandLengthsAndValues() {
        assertThat(onlyProblem(decode("W26:1110101000001101110000001")).message()).contains("carries 25 bits");
        assertThat(onlyProblem(decode("W4:1011")).message()).contains("only 26 and 34");
        assertThat(onlyProblem(decode("W26:11101010000011011100000012")).message()).contains("position 25");
        assertThat(onlyProblem(decode("{\"wiegand\":26,\"value\":67108864}")).message()).contains("does not fit in 26 bits");
        assertThat(onlyProblem(decode("{\"wiegand\":26,\"value\":-5}")).message()).contains("does not fit");
        assertThat(onlyProblem(decode("{\"wiegand\":26,\"value\":6.1e7}")).field()).isEqualTo("$.value");
        assertThat(onlyProblem(decode("{\"wiegand\":26,\"value\":99999999999999999999999}")).field()).isEqualTo("$.value");
        assertThat(onlyProblem(decode("{\"wiegand\":\"26\",\"value\":61355778}")).field()).isEqualTo("$.wiegand");
        assertThat(onlyProblem(decode("{\"wiegand\":26}")).message()).contains("exactly one of 'bits' and 'value'");
        assertThat(onlyProblem(decode("{\"wiegand\":26,\"bits\":11101}")).field()).isEqualTo("$.bits");
    }

    @ParameterizedTest
    @ValueSource(strings = {"04A22B", "04:A2:2B:1C:99", "04A22B1C9", "UID:", "04:A2-2B:1C", "04A2 2B1C", "ZZ:A2:2B:1C"})
    void rejectsAUidThatIsNotFourSevenOrTenBytes(String frame) {
        DecodeProblem problem = onlyProblem(decode(frame));

        assertThat(problem.field()).isEqualTo("$");
        assertThat(problem.message()).isNotBlank();
    }

    @Test
    void namesTheUidLengthInsteadOfTheUid() {
        // An EM4100 125 kHz tag seen through an RDM6300 has a 5-byte id: not an ISO 14443 UID.
        DecodeProblem problem = onlyProblem(decode("UID:04:A2:2B:1C:99"));

        assertThat(problem.message()).contains("UID of 5 bytes");
    }

    @Test
    void neverPutsCardDigitsIntoAProblem() {
        // Card UIDs are personal data (Decree 13/2023/ND-CP): problems are logged, so they describe
        // the frame's shape only. Every bad frame below carries the digits A4B2C3D4 or a Wiegand number.
        List<String> badFrames = List.of(
                "UID:A4:B2:C3:D4:99",
                "A4B2C3D499",
                "A4B2C3D4F",
                "A4B2C3D4;",
                "A4B2C3D4" + "0".repeat(80),
                "{\"uid\":\"A4:B2:C3:D4:99\"}",
                "{\"uid\":A4B2C3D4}",
                "{\"uid\":\"A4B2C3D4\"",
                "{\"uid\":\"A4B2C3D4\",\"uid\":\"A4B2C3D4\"}",
                "{\"uid\":\"A4B2C3D4\"} trailing A4B2C3D4",
                "{\"RC522\":{\"UID\":\"A4B2C3D499\",\"Type\":\"MIFARE 1KB\"}}",
                "{\"PN532\":{\"UID\":[\"A4B2C3D4\"]}}",
                "{\"wiegand\":26,\"bits\":\"11101010000011011100000011\"}",
                "{\"wiegand\":26,\"value\":61355779}",
                "W26:01101010000011011100000010",
                "W34:1100010011101010000011011100000010");
        for (String frame : badFrames) {
            DecodeProblem problem = onlyProblem(decode(frame));
            assertThat(problem.toString()).as(frame)
                    .doesNotContainIgnoringCase("A4B2C3D4")
                    .doesNotContainIgnoringCase("A4:B2")
                    .doesNotContainIgnoringCase("D41B81")
                    .doesNotContain("61355779")
                    .doesNotContain("7041")
                    .doesNotContain("1101010000011011");
        }
    }

    @Test
    void rejectsMalformedJsonNamingTheField() {
        assertThat(onlyProblem(decode("{\"uid\":1234}")).field()).isEqualTo("$.uid");
        assertThat(onlyProblem(decode("{\"uid\":null}")).field()).isEqualTo("$.uid");
        assertThat(onlyProblem(decode("{\"RC522\":\"BA839D07\"}")).field()).isEqualTo("$.RC522");
        assertThat(onlyProblem(decode("{\"RC522\":{\"Data\":\"\"}}")).field()).isEqualTo("$.RC522.UID");
        assertThat(onlyProblem(decode("{\"uid\":\"04A22B1C\",\"wiegand\":26}")).message()).contains("more than one");
        assertThat(onlyProblem(decode("{\"card\":\"04A22B1C\"}")).message()).contains("none of");
        assertThat(onlyProblem(decode("[\"04A22B1C\"]")).field()).isEqualTo("$");
        assertThat(onlyProblem(decode("{\"uid\":\"04A2")).message()).contains("not valid JSON");
        assertThat(onlyProblem(decode("{\"wiegand\":NaN,\"bits\":\"1\"}")).field()).isEqualTo("$.wiegand");
        assertThat(onlyProblem(decode("{\"wiegand\":26,\"value\":Infinity}")).field()).isEqualTo("$.value");
    }

    @Test
    void rejectsDeepNestingHugePayloadsAndInvalidUtf8() {
        String deep = "{\"a\":".repeat(500) + "1" + "}".repeat(500);
        byte[] huge = new byte[1 << 20];
        Arrays.fill(huge, (byte) ' ');
        huge[0] = '{';
        byte[] invalidUtf8 = {'{', '"', 'u', 'i', 'd', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        byte[] binaryText = {'0', '4', (byte) 0xA2, '2', 'B'};

        assertThat(onlyProblem(decode(deep)).message()).contains("nesting depth");
        assertThat(onlyProblem(decode(huge)).message()).contains("1048576 bytes");
        assertThat(onlyProblem(decode(invalidUtf8)).message()).contains("UTF-8").contains("offset 8");
        assertThat(onlyProblem(decode(binaryText)).message()).contains("0xA2").contains("offset 2");
        assertThat(onlyProblem(decode("04:A2:2B:1C\nUID:04:A2:2B:1D")).message()).contains("several lines");
    }

    @Test
    void ignoresBlankFramesOnPurpose() {
        assertThat(decode("\r\n").ignored()).isTrue();
        assertThat(decode("").ignored()).isTrue();
    }

    @Test
    void masksTheUidAndCardNumberWhenATapIsLogged() {
        DeviceEvent tap = onlyTap(decode("W26:11101010000011011100000010"));

        assertThat(tap.loggableAttributes()).containsEntry("uid", "***").containsEntry("card_number", "***")
                .containsEntry("facility", "212").containsEntry("format", "wiegand26");
    }

    @Test
    void neverThrowsForRandomFrames() {
        Random random = new Random(7);
        String alphabet = "0123456789ABCDEFabcdefxXUID: -W{}\"[],uidwiegandbitsvalue\r\n";
        for (int i = 0; i < 5_000; i++) {
            byte[] bytes = new byte[random.nextInt(60)];
            for (int j = 0; j < bytes.length; j++) {
                bytes[j] = (byte) (random.nextInt(8) > 0 ? alphabet.charAt(random.nextInt(alphabet.length())) : random.nextInt(256));
            }
            DecodeResult result = decode(bytes);
            assertThat(result.recordCount() + result.problems().size() + (result.ignored() ? 1 : 0)).isEqualTo(1);
        }
    }

    @Test
    void registryShipsTheCodecUnderItsName() {
        assertThat(CodecRegistry.standard().require("card-reader")).isInstanceOf(CardReaderCodec.class)
                .extracting(Codec::name).isEqualTo("card-reader");
    }
}
