package org.smartschool.bridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.json.CanonicalJson;
import org.smartschool.bridge.json.CanonicalRecord;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BridgeCliTest {
    private static final long NOW = Instant.parse("2026-03-02T01:15:00.250Z").toEpochMilli();

    /** A fake clock that only sleeping moves on. */
    private final AtomicLong clock = new AtomicLong(NOW);
    private final AtomicLong slept = new AtomicLong();

    private record Run(int code, List<String> out, List<String> err) {
        String outText() {
            return String.join("\n", out);
        }
    }

    private Run run(String stdin, String... args) {
        return run(stdin.getBytes(StandardCharsets.UTF_8), args);
    }

    private Run run(byte[] stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = BridgeCli.commandLine(CodecRegistry.standard(), new ByteArrayInputStream(stdin), clock::get,
                millis -> {
                    slept.addAndGet(millis);
                    clock.addAndGet(millis);
                });
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, lines(out.toString()), lines(err.toString()));
    }

    /** The lines of the output; a final line break ends the last line. */
    private static List<String> lines(String text) {
        return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }

    private static Reading reading(String line) {
        CanonicalRecord record = CanonicalJson.parse(line);
        assertThat(record).isInstanceOf(CanonicalRecord.OfReading.class);
        return ((CanonicalRecord.OfReading) record).reading();
    }

    // --- codecs -----------------------------------------------------------------------------------

    @Test
    void listsEachCodecOnOneLineNameFirst() {
        Run r = run("", "codecs");

        assertThat(r.code()).isZero();
        assertThat(r.out()).hasSize(CodecRegistry.standard().all().size());
        assertThat(r.out()).anySatisfy(line -> assertThat(line).matches("zigbee2mqtt +Zigbee2MQTT device state JSON.*"));
        assertThat(r.err()).isEmpty();
    }

    // --- decode -----------------------------------------------------------------------------------

    @Test
    void decodesStdinIntoOneCanonicalJsonRecordPerLine() {
        Run r = run("{\"co2\":812,\"temperature\":29.4,\"contact\":false,\"state\":\"ON\"}",
                "decode", "--codec", "zigbee2mqtt", "--topic", "zigbee2mqtt/r101/aq1", "--school", "thcs-a");

        assertThat(r.code()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).hasSize(3);
        assertThat(reading(r.out().get(0))).isEqualTo(Reading.of(new DeviceRef("thcs-a", "r101", "aq1"), Quantity.TEMPERATURE, 29.4, NOW));
        assertThat(reading(r.out().get(1))).isEqualTo(Reading.of(new DeviceRef("thcs-a", "r101", "aq1"), Quantity.CO2, 812, NOW));
        assertThat(r.out().get(2)).contains("\"kind\":\"event\"").contains("\"type\":\"door_open\"");
    }

    @Test
    void decodesAFileWithTheGivenDeviceAndReceiveTime(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("payload.json");
        Files.writeString(file, "{\"humidity\":71.5}");

        Run r = run("ignored", "decode", "--codec", "zigbee2mqtt", "--file", file.toString(), "--school", "thpt-b",
                "--room", "lab1", "--device", "hum-1", "--received-at", "2026-03-02T02:00:00Z");

        assertThat(r.code()).isZero();
        assertThat(r.out()).singleElement().satisfies(line -> assertThat(reading(line)).isEqualTo(
                Reading.of(new DeviceRef("thpt-b", "lab1", "hum-1"), Quantity.HUMIDITY, 71.5,
                        Instant.parse("2026-03-02T02:00:00Z").toEpochMilli())));
    }

    @Test
    void takesTheDeviceFromTheTopicDroppingAStatusLevel() {
        Run r = run("{\"state\":\"offline\"}", "decode", "--codec", "zigbee2mqtt", "--topic", "zigbee2mqtt/r105/door-1/availability");

        assertThat(r.code()).isZero();
        CanonicalRecord record = CanonicalJson.parse(r.out().get(0));
        assertThat(record).isInstanceOfSatisfying(CanonicalRecord.OfEvent.class, e -> {
            assertThat(e.event().type()).isEqualTo(EventType.DEVICE_OFFLINE);
            assertThat(e.event().deviceRef()).isEqualTo(new DeviceRef("cli", "r105", "door-1"));
        });
    }

    @Test
    void usesPlaceholdersForTopicLevelsThatAreNotIds() {
        assertThat(TopicDevice.of("zigbee2mqtt/Phòng 101/cảm biến", null, null, null)).isEqualTo(new DeviceRef("cli", "cli", "cli"));
        assertThat(TopicDevice.of("aq1", null, null, null)).isEqualTo(new DeviceRef("cli", "cli", "aq1"));
        assertThat(TopicDevice.of("tele/r101-th/SENSOR", "s", null, null)).isEqualTo(new DeviceRef("s", "tele", "r101-th"));
        assertThat(TopicDevice.of("zigbee2mqtt/r101/aq1", null, "r9", null)).isEqualTo(new DeviceRef("cli", "r9", "aq1"));
    }

    @Test
    void printsRecordsAndOneProblemLinePerBadFieldWithExitCodeOne() {
        Run r = run("{\"co2\":812,\"temperature\":\"hot\",\"humidity\":NaN}", "decode", "--codec", "zigbee2mqtt",
                "--topic", "zigbee2mqtt/r101/aq1", "--school", "thcs-a");

        assertThat(r.code()).isEqualTo(BridgeCli.PARTLY_DECODED).isEqualTo(1);
        assertThat(r.out()).singleElement().satisfies(line -> assertThat(reading(line).value()).isEqualTo(812));
        assertThat(r.err()).containsExactly(
                "problem: device 'thcs-a/r101/aq1' field $.temperature: expected a number, got the string \"hot\"",
                "problem: device 'thcs-a/r101/aq1' field $.humidity: NaN is not a measured value");
    }

    @Test
    void failsWithOneLineAndExitCodeTwoOnUndecodableInput() {
        Run r = run("{\"co2\":81", "decode", "--codec", "zigbee2mqtt", "--topic", "zigbee2mqtt/r101/aq1");

        assertThat(r.code()).isEqualTo(BridgeCli.FAILED).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).singleElement().satisfies(line -> assertThat(line)
                .startsWith("error: undecodable input: device 'cli/r101/aq1' field $: payload is not valid JSON"));
    }

    @Test
    void failsWithOneLineWhenEveryFieldIsBad() {
        Run r = run("{\"co2\":\"x\",\"temperature\":999}", "decode", "--codec", "zigbee2mqtt", "--topic", "zigbee2mqtt/r101/aq1");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).singleElement().satisfies(line -> assertThat(line)
                .contains("$.temperature").contains("$.co2").contains("; "));
    }

    @Test
    void rejectsInvalidUtf8FromStdinWithExitCodeTwo() {
        Run r = run(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '"', '}'}, "decode", "--codec", "zigbee2mqtt");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).singleElement().satisfies(line -> assertThat(line).contains("not valid UTF-8"));
    }

    @Test
    void failsOnAnUnknownCodecNamingTheKnownOnes() {
        Run r = run("{}", "decode", "--codec", "zigbee");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).containsExactly("error: unknown codec 'zigbee': known codecs are "
                + String.join(", ", CodecRegistry.standard().all().stream().map(c -> c.name()).toList()));
    }

    @Test
    void failsOnAMissingFileOrABadSchoolId(@TempDir Path dir) {
        Run missing = run("", "decode", "--codec", "zigbee2mqtt", "--file", dir.resolve("nope.json").toString());
        Run badSchool = run("{}", "decode", "--codec", "zigbee2mqtt", "--school", "thcs a");

        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).singleElement().satisfies(line -> assertThat(line).startsWith("error: cannot read "));
        assertThat(badSchool.code()).isEqualTo(2);
        assertThat(badSchool.err()).singleElement().satisfies(line -> assertThat(line).contains("invalid school id 'thcs a'"));
    }

    @Test
    void notesAMessageTheCodecIgnoresOnPurposeAndExitsZero() {
        Run r = run("{\"state\":\"online\"}", "decode", "--codec", "zigbee2mqtt", "--topic", "zigbee2mqtt/bridge/state");

        assertThat(r.code()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).containsExactly("note: codec zigbee2mqtt ignores messages on topic 'zigbee2mqtt/bridge/state' on purpose");
    }

    @Test
    void treatsMissingRequiredOptionsAsUsageErrors() {
        Run r = run("{}", "decode");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().get(0)).contains("Missing required option: '--codec=NAME'");
    }

    @Test
    void documentsTheExitCodesInHelp() {
        Run r = run("", "decode", "--help");

        assertThat(r.code()).isZero();
        assertThat(r.outText()).contains("Exit codes:").contains("1   partly decoded").contains("2   undecodable");
    }

    // simulate: SimulateCommandTest

    @Test
    void asksForACommandWhenNoneIsGiven() {
        Run r = run("");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().get(0)).isEqualTo("missing command: codecs, decode or simulate");
    }
}
