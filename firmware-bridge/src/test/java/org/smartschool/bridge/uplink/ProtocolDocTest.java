package org.smartschool.bridge.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.dataformat.cbor.CBORFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;

/** docs/protocol.md and the code agree: numbers, names, limits, the measured sizes and the worked example. */
@Timeout(30)
class ProtocolDocTest {
    private static String doc;

    @BeforeAll
    static void readDoc() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docs/protocol.md"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("docs/protocol.md above " + Path.of("").toAbsolutePath()).isNotNull();
        doc = Files.readString(dir.resolve("docs/protocol.md"), StandardCharsets.UTF_8);
    }

    @Test
    void quantityTableListsEveryQuantityWithItsNumberAndUnit() {
        for (Quantity q : Quantity.values()) {
            assertThat(doc).contains("| " + WireCatalog.number(q) + " | `" + q.id() + "` | `" + q.unit() + "` |");
        }
    }

    @Test
    void eventTypeTableListsEveryTypeWithItsNumber() {
        for (EventType t : EventType.values()) {
            assertThat(doc).contains("| " + WireCatalog.number(t) + " | `" + t.id() + "` |");
        }
    }

    @Test
    void keyTableMatchesTheCode() {
        for (int key = 1; key <= WireCatalog.KEY_COUNT; key++) {
            assertThat(doc).contains("| " + key + " | `" + WireCatalog.keyName(key) + "` |");
        }
        assertThat(doc).contains("A group is an array of exactly " + WireCatalog.GROUP_ELEMENTS + " elements")
                .contains("an array of exactly " + WireCatalog.SERIES_ELEMENTS + " elements")
                .contains("An event is an array of exactly " + WireCatalog.EVENT_ELEMENTS + " elements")
                .contains("integer -" + DecimalScale.MAX_DECIMALS + "..0, or `null`")
                .contains("at most 2^53\n(" + DecimalScale.MAX_MANTISSA + ")");
    }

    @Test
    void limitsHeaderContentTypeAndTopicsMatchTheCode() {
        assertThat(doc).contains("| `MAX_FRAME_BYTES` | " + BatchCodec.MAX_FRAME_BYTES + " |")
                .contains("| `MAX_INFLATED_BYTES` | " + BatchCodec.MAX_INFLATED_BYTES + " |")
                .contains("| `MAX_RECORDS` | " + BatchCodec.MAX_RECORDS + " |")
                .contains(String.format("0       1     0x%02x '%c'   magic", BatchCodec.MAGIC_0, BatchCodec.MAGIC_0))
                .contains(String.format("1       1     0x%02x '%c'   magic", BatchCodec.MAGIC_1, BatchCodec.MAGIC_1))
                .contains(String.format("2       1     0x%02x       frame version", BatchCodec.VERSION))
                .contains("MQTT 5 content type `" + BatchCodec.CONTENT_TYPE + "`");
        for (String kind : List.of(UplinkTopics.BATCH, UplinkTopics.HEALTH, UplinkTopics.CONFIG)) {
            assertThat(doc).contains("| `" + UplinkTopics.ROOT + "/{school}/{gateway}/" + kind + "` |");
        }
    }

    @Test
    void measuredSizesAreTheOnesTheSizeTestPrints() throws IOException {
        BatchFrameSizeTest.Sizes sizes = BatchFrameSizeTest.measure();

        assertThat(doc).contains(sizes.summary()).contains(sizes.detail().replace(System.lineSeparator(), "\n").replace("%n", "\n"));
    }

    @Test
    void workedExampleIsWhatTheEncoderWrites() throws Exception {
        Batch example = workedExample();
        byte[] frame = new BatchCodec().encode(example);
        byte[] body = new BodyWriter(example).write(new CBORFactory());

        assertThat(block("And the whole frame as sent").replaceAll("\\s", "")).isEqualTo(HexFormat.of().formatHex(frame));
        assertThat(hexOfAnnotatedDump(block("The same body in bytes"))).isEqualTo(HexFormat.of().formatHex(body));
        assertThat(doc).contains("The same body in bytes (" + body.length + " bytes)")
                .contains("And the whole frame as sent (" + frame.length + " bytes")
                .contains("[\"" + example.events().get(0).id() + "\",");
        assertThat(new BatchCodec().decode(frame).readings()).extracting(Reading::value).containsExactly(612.0, 615.0, 29.4);
    }

    /** Section 8 of the doc. */
    static Batch workedExample() {
        long t = 1_741_568_400_000L;
        DeviceRef co2 = new DeviceRef("thpt-le-loi", "r2-07", "co2-r2-07");
        DeviceRef door = new DeviceRef("thpt-le-loi", "r2-07", "door-r2-07");
        return new Batch("gw-01-41-44", "gw-01", "thpt-le-loi", List.of(
                Reading.of(co2, Quantity.CO2, 612, t),
                Reading.of(co2, Quantity.TEMPERATURE, 29.4, t),
                Reading.of(co2, Quantity.CO2, 615, t + 10_012)),
                List.of(DeviceEvent.of(door, EventType.DOOR_OPEN, t + 4_250, Map.of("reader", "in"))));
    }

    /** The first fenced block after the paragraph starting with {@code lead}. */
    private static String block(String lead) {
        int at = doc.indexOf(lead);
        assertThat(at).as(lead).isNotNegative();
        int start = doc.indexOf("```\n", at) + 4;
        return doc.substring(start, doc.indexOf("```", start));
    }

    /** The hex at the start of each line of an annotated dump, up to the first word that is not hex. */
    private static String hexOfAnnotatedDump(String dump) {
        StringBuilder hex = new StringBuilder();
        for (String line : dump.split("\n")) {
            for (String word : line.trim().split("\\s+")) {
                if (!word.matches("([0-9a-f]{2})+")) {
                    break;
                }
                hex.append(word);
            }
        }
        return hex.toString();
    }
}
