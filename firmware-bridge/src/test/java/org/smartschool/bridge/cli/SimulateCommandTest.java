package org.smartschool.bridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import picocli.CommandLine;

import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.routing.TopicRouter;
import org.smartschool.bridge.sim.SchoolSimulation;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SimulateCommandTest {
    private static final long NOW = Instant.parse("2026-03-02T01:15:00.250Z").toEpochMilli();

    /** A fake clock that only sleeping moves on. */
    private final AtomicLong clock = new AtomicLong(NOW);
    private final AtomicLong slept = new AtomicLong();

    private record Run(int code, List<String> out, List<String> err) {
    }

    private Run run(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = BridgeCli.commandLine(CodecRegistry.standard(), new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                clock::get, millis -> {
                    slept.addAndGet(millis);
                    clock.addAndGet(millis);
                });
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, lines(out.toString()), lines(err.toString()));
    }

    private static List<String> lines(String text) {
        return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }

    @Test
    void simulatesAWholeSchoolAsTopicTabPayloadLines() {
        Run r = run("", "simulate", "--school", "thcs-a", "--rooms", "2", "--minutes", "10", "--seed", "7",
                "--start", "2026-03-02T06:55:00+07:00");

        assertThat(r.code()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out().get(0)).isEqualTo("zigbee2mqtt/r101/r101-air/availability\t{\"state\":\"online\"}");
        assertThat(r.out()).allSatisfy(line -> assertThat(line.split("\t")).hasSize(2));
        assertThat(r.out()).filteredOn(line -> line.startsWith("zigbee2mqtt/r102/r102-air\t")).hasSize(60)
                .allSatisfy(line -> assertThat(line).contains("\"co2\":").contains("\"last_seen\":\"2026-03-0"));
        Set<String> kinds = r.out().stream().map(line -> line.substring(0, line.indexOf('/'))).collect(Collectors.toSet());
        assertThat(kinds).containsExactlyInAnyOrder("zigbee2mqtt", "esphome", "cameras", "doors", "tele", "senml", "shelly");
        assertThat(r.out()).anyMatch(line -> line.matches("doors/r10[12]/r10[12]-door/tag\t5C(-[0-9A-F]{2}){6}"));
    }

    @Test
    void simulatesTheSameBytesForTheSameSeed() {
        String[] args = {"simulate", "--school", "thcs-a", "--rooms", "3", "--minutes", "5", "--seed", "42",
                "--start", "2026-03-02T00:00:00Z"};

        assertThat(run("", args).out()).isEqualTo(run("", args).out());
        assertThat(run("", "simulate", "--school", "thcs-a", "--rooms", "3", "--minutes", "5", "--seed", "43",
                "--start", "2026-03-02T00:00:00Z").out()).isNotEqualTo(run("", args).out());
    }

    @Test
    void simulatedTrafficDecodesCleanlyThroughTheDecodeCommand() {
        Run sim = run("", "simulate", "--school", "thcs-a", "--rooms", "1", "--minutes", "3", "--start", "2026-03-01T23:58:00Z");
        TopicRouter router = new TopicRouter("thcs-a", new SchoolSimulation("thcs-a", 1, 1).routes(), CodecRegistry.standard());

        assertThat(sim.out()).hasSizeGreaterThan(40);
        for (String line : sim.out()) {
            String[] parts = line.split("\t");
            String codec = ((TopicRouter.Routing.Routed) router.route(parts[0])).codec().name();
            Run decoded = run(parts[1], "decode", "--codec", codec, "--topic", parts[0], "--school", "thcs-a");
            assertThat(decoded.code()).as(line).isZero();
            assertThat(decoded.err()).as(line).isEmpty();
            assertThat(decoded.out()).as(line).isNotEmpty();
        }
    }

    @Test
    void printsNoLabAndNoFaultsUnlessAskedAndFaultsWhenAsked() {
        String[] day = {"simulate", "--school", "thcs-a", "--rooms", "1", "--minutes", "1440", "--start", "2026-03-01T17:00:00Z"};
        List<String> clean = run("", day).out();
        assertThat(clean).noneMatch(line -> line.contains("\t{\"state\":\"offline\"}") || line.endsWith("\toffline"));

        Run noLab = run("", "simulate", "--school", "thcs-a", "--rooms", "1", "--minutes", "30", "--no-lab");
        assertThat(noLab.out()).isNotEmpty().noneMatch(line -> line.contains("/lab/"));

        Run faulty = run("", "simulate", "--school", "thcs-a", "--rooms", "1", "--minutes", "1440", "--start", "2026-03-01T17:00:00Z",
                "--fault-rate", "offline=4", "--fault-rate", "spike=4");
        assertThat(faulty.code()).isZero();
        assertThat(faulty.out()).anyMatch(line -> line.startsWith("zigbee2mqtt/r101/r101-air/availability\t{\"state\":\"offline\"}"))
                .anyMatch(line -> line.startsWith("zigbee2mqtt/r101/r101-air\t") && line.contains("\"co2\":65535"))
                .noneMatch(line -> line.contains("\"smoke\":true"));
    }

    @Test
    void runsFasterThanRealTimeAtTheRequestedSpeed() {
        String[] fast = {"simulate", "--school", "thcs-a", "--rooms", "2", "--minutes", "2", "--start", "2026-03-02T00:00:00Z"};
        List<String> asFastAsPossible = run("", fast).out();
        assertThat(slept.get()).isZero();

        Run paced = run("", "simulate", "--school", "thcs-a", "--rooms", "2", "--minutes", "2", "--start", "2026-03-02T00:00:00Z",
                "--speed", "60");

        assertThat(paced.code()).isZero();
        assertThat(paced.out()).isEqualTo(asFastAsPossible);
        // two simulated minutes at 60x take two seconds of (fake) wall time, less the last message's gap
        assertThat(slept.get()).isBetween(1_800L, 2_000L);
    }

    @Test
    void rejectsBadSimulationOptionsWithExitCodeTwo() {
        assertThat(run("", "simulate", "--school", "thcs-a", "--rooms", "0", "--minutes", "1").code()).isEqualTo(2);
        assertThat(run("", "simulate", "--school", "thcs-a", "--rooms", "1", "--minutes", "0").code()).isEqualTo(2);
        assertThat(run("", "simulate", "--school", "thcs-a", "--rooms", "1", "--minutes", "1", "--speed", "-1").code()).isEqualTo(2);
        assertThat(run("", "simulate", "--school", "thcs a", "--rooms", "1", "--minutes", "1").code()).isEqualTo(2);
        Run badStart = run("", "simulate", "--school", "thcs-a", "--rooms", "1", "--minutes", "1", "--start", "07:00");
        assertThat(badStart.code()).isEqualTo(2);
        assertThat(badStart.err().get(0)).contains("--start '07:00' is not an ISO 8601 time");
        Run badKind = run("", "simulate", "--school", "thcs-a", "--rooms", "1", "--minutes", "1", "--fault-rate", "melted=1");
        assertThat(badKind.code()).isEqualTo(2);
        assertThat(badKind.err().get(0)).contains("--fault-rate melted=1: unknown fault 'melted'");
        Run badRate = run("", "simulate", "--school", "thcs-a", "--rooms", "1", "--minutes", "1", "--fault-rate", "spike=lots");
        assertThat(badRate.code()).isEqualTo(2);
        assertThat(badRate.err().get(0)).contains("--fault-rate spike=lots: rate 'lots' is not a number");
        Run tooHigh = run("", "simulate", "--school", "thcs-a", "--rooms", "1", "--minutes", "1", "--fault-rate", "spike=100");
        assertThat(tooHigh.err().get(0)).contains("faults.spike: rate must be 0-24");
    }

    @Test
    void printsBinaryPayloadsAsBase64() {
        assertThat(SimulateCommand.printable("{\"a\":1}".getBytes(StandardCharsets.UTF_8))).isEqualTo("{\"a\":1}");
        assertThat(SimulateCommand.printable(new byte[] {(byte) 0xA1, 0x00, 0x01})).isEqualTo("base64:oQAB");
        assertThat(SimulateCommand.printable("two\nlines".getBytes(StandardCharsets.UTF_8))).isEqualTo("base64:dHdvCmxpbmVz");
    }
}
