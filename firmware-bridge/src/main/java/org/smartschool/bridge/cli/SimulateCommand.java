package org.smartschool.bridge.cli;

import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import org.smartschool.bridge.sim.SchoolSimulation;
import org.smartschool.bridge.sim.SimulatedMessage;

/** {@code simulate}: a virtual school's device traffic on stdout. */
@Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Prints the device traffic of a simulated school as 'topic<TAB>payload' lines, in time order: a"
                        + " Zigbee2MQTT air-quality sensor per classroom (r101, r102, ...) reporting every 10 s"
                        + " through a Vietnamese school day (Asia/Ho_Chi_Minh).",
                "",
                "Text payloads are printed as they are; a payload that is not UTF-8 text or holds a control"
                        + " character is printed as 'base64:' followed by its Base64. The same options print the"
                        + " same bytes."},
        footer = {"%nExample:",
                "  java -jar firmware-bridge.jar simulate --school thcs-a --rooms 3 --minutes 60"
                        + " --start 2026-03-02T07:00:00+07:00 --seed 7"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "2:bad option"})
final class SimulateCommand implements Callable<Integer> {
    static final int MAX_MINUTES = 366 * 24 * 60;
    private static final long CHUNK_MILLIS = 60_000;
    private static final long MAX_SLEEP_MILLIS = 1_000;

    private final LongSupplier clock;
    private final BridgeCli.Sleeper sleeper;

    @Spec
    private CommandSpec spec;

    @Option(names = "--school", required = true, paramLabel = "ID", description = "school id")
    String school;

    @Option(names = "--rooms", required = true, paramLabel = "N", description = "classrooms, 1-" + SchoolSimulation.MAX_ROOMS)
    int rooms;

    @Option(names = "--minutes", required = true, paramLabel = "M", description = "simulated minutes to print")
    int minutes;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--speed", paramLabel = "X", defaultValue = "0",
            description = "X times faster than real time; 0 prints as fast as possible (default: ${DEFAULT-VALUE})")
    double speed;

    @Option(names = "--start", paramLabel = "ISO",
            description = "simulated start, e.g. 2026-03-02T07:00:00+07:00 or 2026-03-02T00:00:00Z (default: now)")
    String startText;

    SimulateCommand(LongSupplier clock, BridgeCli.Sleeper sleeper) {
        this.clock = clock;
        this.sleeper = sleeper;
    }

    @Override
    public Integer call() throws InterruptedException {
        CommandLine cl = spec.commandLine();
        if (rooms < 1 || rooms > SchoolSimulation.MAX_ROOMS) {
            throw new CommandLine.ParameterException(cl, "--rooms must be 1-" + SchoolSimulation.MAX_ROOMS + ", got " + rooms);
        }
        if (minutes < 1 || minutes > MAX_MINUTES) {
            throw new CommandLine.ParameterException(cl, "--minutes must be 1-" + MAX_MINUTES + ", got " + minutes);
        }
        if (!(speed >= 0) || Double.isInfinite(speed)) {
            throw new CommandLine.ParameterException(cl, "--speed must be 0 or more, got " + speed);
        }
        long start = start(cl);
        SchoolSimulation simulation;
        try {
            simulation = new SchoolSimulation(school, rooms, seed, start);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
        long last = start + minutes * 60_000L - 1;
        PrintWriter out = cl.getOut();
        if (speed == 0) {
            for (long until = start; ; until = Math.min(last, until + CHUNK_MILLIS)) {
                print(out, simulation.messagesUntil(until));
                if (until == last) {
                    break;
                }
            }
        } else {
            realTime(simulation, start, last, out);
        }
        out.flush();
        return 0;
    }

    /** Prints each message when its simulated time comes, the simulated clock running {@code speed} times real time. */
    private void realTime(SchoolSimulation simulation, long start, long last, PrintWriter out) throws InterruptedException {
        long wallStart = clock.getAsLong();
        while (true) {
            long simulatedNow = start + (long) ((clock.getAsLong() - wallStart) * speed);
            long until = Math.min(last, simulatedNow);
            print(out, simulation.messagesUntil(until));
            out.flush();
            long next = simulation.nextMessageAt();
            if (until == last || next > last) {
                return;
            }
            long dueWall = wallStart + (long) Math.ceil((next - start) / speed);
            long wait = Math.min(MAX_SLEEP_MILLIS, dueWall - clock.getAsLong());
            if (wait > 0) {
                sleeper.sleep(wait);
            }
        }
    }

    private long start(CommandLine cl) {
        if (startText == null) {
            return clock.getAsLong() / 1000 * 1000;
        }
        try {
            return Instant.parse(startText).toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(startText).toInstant().toEpochMilli();
            } catch (DateTimeParseException e2) {
                throw new CommandLine.ParameterException(cl, "--start '" + startText
                        + "' is not an ISO 8601 time with an offset, like 2026-03-02T07:00:00+07:00");
            }
        }
    }

    private static void print(PrintWriter out, List<SimulatedMessage> messages) {
        for (SimulatedMessage m : messages) {
            out.print(m.topic());
            out.print('\t');
            out.print(printable(m.payload()));
            out.print('\n');
        }
    }

    /** The payload as text when it is UTF-8 text without control characters, else "base64:" and its Base64. */
    static String printable(byte[] payload) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload)).toString();
            boolean clean = text.codePoints().noneMatch(cp -> Character.isISOControl(cp) || cp == 0x2028 || cp == 0x2029);
            if (clean && !text.startsWith("base64:")) {
                return text;
            }
        } catch (CharacterCodingException e) {
            // binary: fall through
        }
        return "base64:" + Base64.getEncoder().encodeToString(payload);
    }
}
