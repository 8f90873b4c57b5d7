package org.smartschool.gateway.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.config.ConfigException;
import org.smartschool.bridge.routing.TopicRouter;
import org.smartschool.bridge.text.SafeText;
import org.smartschool.gateway.config.GatewayConfig;
import org.smartschool.gateway.config.GatewayConfigLoader;
import org.smartschool.gateway.outbox.DeadLetter;
import org.smartschool.gateway.outbox.DeadLetterArchive;
import org.smartschool.gateway.outbox.DeadLetterExport;
import org.smartschool.gateway.outbox.Outbox;
import org.smartschool.gateway.outbox.OutboxException;
import org.smartschool.gateway.outbox.RefusedBatch;
import org.smartschool.gateway.south.IntakeOutcome;
import org.smartschool.gateway.south.MessageIntake;
import org.smartschool.gateway.telemetry.GatewayMetrics;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code edge-gateway dead-letters list|export|replay --config gateway.yaml}: what the gateway
 * could not deliver, in the outbox named by the configuration. Device frames (unknown device,
 * undecodable) and refused batches (the hub said no) are two tables; {@code --kind} picks one.
 */
@Command(name = "dead-letters", mixinStandardHelpOptions = true,
        description = "Lists, exports or replays what the gateway could not deliver: device frames it could not "
                + "route or decode, and batches the hub refused.",
        subcommands = {DeadLettersCommand.ListLetters.class, DeadLettersCommand.Export.class,
                DeadLettersCommand.Replay.class})
final class DeadLettersCommand implements Runnable {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    enum Kind { frames, batches, all }

    /** The options every subcommand takes. */
    static final class Options {
        @Option(names = "--config", paramLabel = "FILE",
                description = "the gateway's YAML configuration: its outbox.path and routes are used")
        Path config;

        @Option(names = "--kind", paramLabel = "KIND", defaultValue = "all",
                description = "frames (device dead letters), batches (refused batches) or all; default ${DEFAULT-VALUE}")
        Kind kind;

        boolean frames() {
            return kind != Kind.batches;
        }

        boolean batches() {
            return kind != Kind.frames;
        }
    }

    /** Loads the configuration; null (and a line on stderr) when it is bad. */
    static GatewayConfig load(Options options, PrintWriter err) {
        try {
            return new GatewayConfigLoader().load(options.config, System.getenv());
        } catch (ConfigException e) {
            err.println("edge-gateway: bad configuration: " + e.getMessage());
            err.flush();
            return null;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Lists dead letters, newest first: id, time, topic or batch id, size and reason. Works while "
                    + "the gateway runs.")
    static final class ListLetters implements Callable<Integer> {
        @Mixin
        Options options;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "at most N of each kind")
        int limit;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            GatewayConfig config = load(options, err);
            if (config == null) {
                return GatewayMain.EXIT_BAD_CONFIG;
            }
            try (DeadLetterArchive archive = DeadLetterArchive.open(Path.of(config.outbox().path()))) {
                if (options.frames()) {
                    for (DeadLetter letter : archive.deadLetters(limit)) {
                        out.printf("frame %d %s %s %d bytes%s: %s%n", letter.id(), Instant.ofEpochMilli(letter.time()),
                                SafeText.clean(letter.topic(), 200), letter.payload().length,
                                letter.contentType() == null ? "" : " " + SafeText.clean(letter.contentType(), 80),
                                SafeText.clean(letter.reason(), 300));
                    }
                }
                if (options.batches()) {
                    for (RefusedBatch batch : archive.refusedBatches(limit)) {
                        out.printf("batch %d %s %s %d records: %s%n", batch.id(), Instant.ofEpochMilli(batch.time()),
                                batch.batchId().isEmpty() ? "-" : batch.batchId(), batch.recordCount(),
                                SafeText.clean(batch.reason(), 300));
                    }
                }
                out.flush();
                return 0;
            } catch (OutboxException e) {
                err.println("edge-gateway: " + e.getMessage());
                err.flush();
                return 1;
            }
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Writes dead letters as JSON lines, oldest first: device frames with their payload in base64 "
                    + "(\"type\":\"device-frame\"), refused batches with their records (\"type\":\"refused-batch\"). "
                    + "Works while the gateway runs.")
    static final class Export implements Callable<Integer> {
        @Mixin
        Options options;

        @Option(names = "--out", paramLabel = "FILE", description = "write here instead of standard output")
        Path file;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            GatewayConfig config = load(options, err);
            if (config == null) {
                return GatewayMain.EXIT_BAD_CONFIG;
            }
            try (DeadLetterArchive archive = DeadLetterArchive.open(Path.of(config.outbox().path()))) {
                List<String> lines = new ArrayList<>();
                if (options.frames()) {
                    List<DeadLetter> letters = new ArrayList<>(archive.deadLetters(Integer.MAX_VALUE));
                    letters.sort(Comparator.comparingLong(DeadLetter::id));
                    letters.forEach(l -> lines.add(DeadLetterExport.line(l)));
                }
                if (options.batches()) {
                    List<RefusedBatch> batches = new ArrayList<>(archive.refusedBatches(Integer.MAX_VALUE));
                    batches.sort(Comparator.comparingLong(RefusedBatch::id));
                    batches.forEach(b -> lines.add(DeadLetterExport.line(b)));
                }
                if (file == null) {
                    write(spec.commandLine().getOut(), lines);
                } else {
                    try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                        write(writer, lines);
                    }
                    err.println("edge-gateway: " + lines.size() + " dead letters written to " + file);
                    err.flush();
                }
                return 0;
            } catch (OutboxException e) {
                err.println("edge-gateway: " + e.getMessage());
                err.flush();
                return 1;
            } catch (IOException e) {
                err.println("edge-gateway: cannot write " + file + ": " + e.getMessage());
                err.flush();
                return 1;
            }
        }

        private static void write(Writer writer, List<String> lines) throws IOException {
            for (String line : lines) {
                writer.write(line);
                writer.write('\n');
            }
            writer.flush();
        }

        private static void write(PrintWriter writer, List<String> lines) {
            lines.forEach(writer::println);
            writer.flush();
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = "Puts dead letters back: device frames through routing and decoding again (with the "
                    + "configuration's routes and their original receive time), refused batches back into the "
                    + "outbox (sent again under a new batch id). What goes through leaves the dead letters; a frame "
                    + "that still fails stays, with its reason printed. Stop the gateway first.")
    static final class Replay implements Callable<Integer> {
        @Mixin
        Options options;

        @Option(names = "--id", paramLabel = "ID", description = "only these ids (of the kind chosen); default all")
        List<Long> ids;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            GatewayConfig config = load(options, err);
            if (config == null) {
                return GatewayMain.EXIT_BAD_CONFIG;
            }
            if (ids != null && options.kind == Kind.all) {
                err.println("edge-gateway: --id needs --kind frames or --kind batches (the two kinds number apart)");
                err.flush();
                return GatewayMain.EXIT_BAD_CONFIG;
            }
            TopicRouter router;
            try {
                router = new TopicRouter(config.school(), config.south().routes(), CodecRegistry.standard());
            } catch (IllegalArgumentException e) {
                err.println("edge-gateway: bad configuration: " + e.getMessage());
                err.flush();
                return GatewayMain.EXIT_BAD_CONFIG;
            }
            try (Outbox outbox = Outbox.open(Path.of(config.outbox().path()), Gateway.outboxLimits(config.outbox()))) {
                int failed = 0;
                if (options.frames()) {
                    failed += replayFrames(outbox, router, config, out);
                }
                if (options.batches()) {
                    failed += replayBatches(outbox, out);
                }
                out.flush();
                return failed == 0 ? 0 : 1;
            } catch (OutboxException e) {
                err.println("edge-gateway: " + e.getMessage());
                err.flush();
                return 1;
            }
        }

        private int replayFrames(Outbox outbox, TopicRouter router, GatewayConfig config, PrintWriter out) {
            // replayed frames pass the school's rules like any device message, going on from the outbox's rule state
            org.smartschool.gateway.config.RulesSettings rules = rulesRunning(config);
            // and attendance's (a replayed card tap is decided, and stored without its UID, like any other)
            org.smartschool.gateway.attendance.DoorAttendance door = org.smartschool.gateway.attendance.DoorAttendance.open(
                    outbox, config.school(), config.gatewayId(), attendanceRunning(config));
            MessageIntake intake = new MessageIntake(router, outbox,
                    new GatewayMetrics(new SimpleMeterRegistry(), config.gatewayId()), config.south().maxPayloadBytes(),
                    org.smartschool.gateway.outbox.JudgeChain.of(door,
                            org.smartschool.gateway.alarm.SchoolRules.open(outbox, rules.toRuleBook(), rules.toLessonHours())));
            List<DeadLetter> letters = new ArrayList<>(outbox.deadLetters(Integer.MAX_VALUE));
            letters.sort(Comparator.comparingLong(DeadLetter::id));
            int replayed = 0;
            int records = 0;
            int failed = 0;
            for (DeadLetter letter : letters) {
                if (ids != null && !ids.contains(letter.id())) {
                    continue;
                }
                IntakeOutcome outcome = intake.replay(letter.frame());
                if (outcome instanceof IntakeOutcome.Recorded recorded) {
                    outbox.removeDeadLetter(letter.id());
                    replayed++;
                    records += recorded.records();
                } else if (outcome instanceof IntakeOutcome.Rejected rejected) {
                    failed++;
                    out.printf("frame %d still fails: %s%n", letter.id(), rejected.reason());
                } else {
                    failed++;
                    out.printf("frame %d not replayed: the outbox is full or the disk is; try again later%n", letter.id());
                    break;
                }
            }
            out.printf("device frames: %d replayed (%d records into the outbox), %d still in the dead letters%n",
                    replayed, records, failed);
            return failed;
        }

        /** The rules the gateway runs: the hub's stored desired configuration's, else gateway.yaml's. */
        /** The attendance plan of the stored desired configuration, or null (off). */
        private static org.smartschool.gateway.attendance.AttendancePlan attendanceRunning(GatewayConfig config) {
            Path stored = org.smartschool.gateway.uplink.DesiredConfigStore.nextTo(Path.of(config.outbox().path()));
            try {
                if (java.nio.file.Files.isRegularFile(stored)) {
                    return new org.smartschool.gateway.desired.DesiredConfigParser(config.school(), CodecRegistry.standard())
                            .parse(java.nio.file.Files.readAllBytes(stored)).attendance().orElse(null);
                }
            } catch (java.io.IOException | IllegalArgumentException e) {
                // unreadable or no longer valid: attendance off, as the gateway itself would run
            }
            return null;
        }

        private static org.smartschool.gateway.config.RulesSettings rulesRunning(GatewayConfig config) {
            Path stored = org.smartschool.gateway.uplink.DesiredConfigStore.nextTo(Path.of(config.outbox().path()));
            try {
                if (java.nio.file.Files.isRegularFile(stored)) {
                    return new org.smartschool.gateway.desired.DesiredConfigParser(config.school(), CodecRegistry.standard())
                            .parse(java.nio.file.Files.readAllBytes(stored)).rulesOr(config.rules());
                }
            } catch (java.io.IOException | IllegalArgumentException e) {
                // unreadable or no longer valid: the gateway itself would run on gateway.yaml then
            }
            return config.rules();
        }

        private int replayBatches(Outbox outbox, PrintWriter out) {
            List<RefusedBatch> batches = new ArrayList<>(outbox.refusedBatches(Integer.MAX_VALUE));
            batches.sort(Comparator.comparingLong(RefusedBatch::id));
            int replayed = 0;
            int records = 0;
            int failed = 0;
            for (RefusedBatch batch : batches) {
                if (ids != null && !ids.contains(batch.id())) {
                    continue;
                }
                try {
                    records += outbox.replayRefusedBatch(batch.id());
                    replayed++;
                } catch (IllegalArgumentException | OutboxException e) {
                    failed++;
                    out.printf("batch %d not replayed: %s%n", batch.id(), e.getMessage());
                }
            }
            out.printf("refused batches: %d replayed (%d records back in the outbox), %d left%n", replayed, records, failed);
            return failed;
        }
    }
}
