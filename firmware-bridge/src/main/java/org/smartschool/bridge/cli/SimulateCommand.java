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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import org.smartschool.bridge.sim.FaultKind;
import org.smartschool.bridge.sim.FaultRates;
import org.smartschool.bridge.sim.SchoolLayout;
import org.smartschool.bridge.sim.SchoolSimulation;
import org.smartschool.bridge.sim.SimulatedMessage;

/** {@code simulate}: a virtual school's device traffic on stdout. */
@Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Prints the device traffic of a simulated school as 'topic<TAB>payload' lines, in time order, through a"
                        + " Vietnamese school day (Asia/Ho_Chi_Minh). Per classroom (r101, r102, ...): a Zigbee2MQTT"
                        + " air-quality sensor (zigbee2mqtt/<room>/<room>-air), an ESPHome noise and light node"
                        + " (esphome/<room>/<room>-env/...), a people-counting camera (cameras/<room>/<room>-cam/...)"
                        + " and an RFID door reader (doors/<room>/<room>-door/tag, synthetic card UIDs starting 5C)."
                        + " In the lab: a Tasmota fridge probe (tele/lab/lab-fridge/...), a SenML fume-hood monitor"
                        + " (senml/lab/lab-hood), Zigbee2MQTT gas and smoke detectors. Per building of ten classrooms:"
                        + " a Shelly Pro 4PM power meter (shelly/bldg-N/bldg-N-power/...).",
                "",
                "Faults are off unless asked for: --faults gives low rates (per device and day: stuck 0.02, dropout"
                        + " 0.05, spike 0.05, offline 0.02, false_alarm 0.01); --fault-rate KIND=N sets one kind's rate"
                        + " (episodes per device and day), on top of those or of none.",
                "",
                "Text payloads are printed as they are; a payload that is not UTF-8 text or holds a control"
                        + " character is printed as 'base64:' followed by its Base64. The same options print the"
                        + " same bytes."},
        footer = {"%nExamples:",
                "  java -jar firmware-bridge.jar simulate --school thcs-a --rooms 3 --minutes 60"
                        + " --start 2026-03-02T07:00:00+07:00 --seed 7",
                "  java -jar firmware-bridge.jar simulate --school thcs-a --rooms 10 --minutes 1440 --faults"
                        + " --fault-rate spike=1 --speed 60"},
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

    @Option(names = "--no-lab", description = "a school without a lab (no fridge, fume hood, gas or smoke detector)")
    boolean noLab;

    @Option(names = "--faults", description = "simulate device faults at low rates (default: clean data)")
    boolean faults;

    @Option(names = "--fault-rate", paramLabel = "KIND=N",
            description = "episodes per device and day of one fault: stuck, dropout, spike, offline, false_alarm (repeatable)")
    Map<String, String> faultRates = new LinkedHashMap<>();

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
        SchoolLayout layout = SchoolLayout.of(rooms).withLab(!noLab).withFaults(faultRates(cl));
        if (minutes < 1 || minutes > MAX_MINUTES) {
            throw new CommandLine.ParameterException(cl, "--minutes must be 1-" + MAX_MINUTES + ", got " + minutes);
        }
        if (!(speed >= 0) || Double.isInfinite(speed)) {
            throw new CommandLine.ParameterException(cl, "--speed must be 0 or more, got " + speed);
        }
        long start = start(cl);
        SchoolSimulation simulation;
        try {
            simulation = new SchoolSimulation(school, layout, seed, start);
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

    /** Low rates with --faults, none without; each --fault-rate replaces one kind's rate. */
    private FaultRates faultRates(CommandLine cl) {
        FaultRates rates = faults ? FaultRates.LOW : FaultRates.NONE;
        for (Map.Entry<String, String> entry : faultRates.entrySet()) {
            try {
                double rate;
                try {
                    rate = Double.parseDouble(entry.getValue());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("rate '" + entry.getValue() + "' is not a number");
                }
                rates = rates.with(FaultKind.require(entry.getKey()), rate);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cl, "--fault-rate " + entry.getKey() + "=" + entry.getValue() + ": " + e.getMessage());
            }
        }
        return rates;
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
