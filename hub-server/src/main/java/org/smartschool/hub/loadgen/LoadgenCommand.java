package org.smartschool.hub.loadgen;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code loadgen}: simulated gateways send a hub a number of readings as fast as it acknowledges them
 * and report the rate, the PUBACK latency and every refusal. Only wires and reports: {@link LoadRun}
 * does the work.
 */
@Command(name = "loadgen", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Send a hub M readings from N simulated gateways; report the rate and PUBACK latency.",
            "Each simulated gateway logs in as its gateway id (MQTT 5, Paho) and"
                    + " sends realistic batches of its school's devices (the firmware-bridge simulator, decoded by"
                    + " the codecs, encoded with the uplink batch codec), M readings in all, as fast as the hub"
                    + " acknowledges them (a window of batches in flight per gateway) or at --rate.",
            "Prints progress every few seconds, then the achieved rate in readings/s, PUBACK latency"
                    + " p50/p95/p99/max, batches refused by reason code and errors.",
            "Exit status: 0 when every batch was acknowledged; 1 when a batch was refused, a PUBACK was"
                    + " missing or a gateway could not connect; 2 for a bad command line.",
            "The hub (serve) lets in only the gateways of its hub.yaml: --print-config prints the gateways:"
                    + " lines for the generated ids loadgen-gw-0001..N and --secret."},
        footer = {"", "Example:",
            "  java -jar hub-server.jar loadgen --gateways 10 --secret s3cret \\",
            "      --print-config >> hub.yaml",
            "  java -jar hub-server.jar loadgen --hub tcp://127.0.0.1:1884 \\",
            "      --gateways 10 --secret s3cret --readings 1000000"})
public final class LoadgenCommand implements Callable<Integer> {
    static final int EXIT_FAILED = 1;
    public static final String SECRET_ENV = "SS_LOADGEN_SECRET";

    @Option(names = "--hub", paramLabel = "URL", description = "The hub's gateway endpoint, tcp://HOST:PORT (serve's mqtt.port, 1884 by default).")
    String hub;

    @Option(names = "--gateways", paramLabel = "N",
            description = "Simulated gateways, one school each. Default: every line of --credentials, else 1.")
    Integer gateways;

    @Option(names = "--readings", paramLabel = "M", description = "Readings to send in all, shared evenly between the gateways.")
    Long readings;

    @Option(names = "--secret", paramLabel = "S",
            description = "The secret every generated gateway loadgen-gw-0001..N logs in with. Default: the environment"
                    + " variable " + SECRET_ENV + " (keeps it out of the process list).")
    String secret;

    @Option(names = "--credentials", paramLabel = "FILE",
            description = "Gateways to play instead of generated ones: lines 'gatewayId secret school' (# comments);"
                    + " the first N are used.")
    Path credentials;

    @Option(names = "--school-prefix", paramLabel = "P", defaultValue = GatewayCredential.DEFAULT_SCHOOL_PREFIX,
            description = "Schools of the generated gateways: P-0001..N. Default: ${DEFAULT-VALUE}.")
    String schoolPrefix;

    @Option(names = "--in-flight", paramLabel = "K", defaultValue = "" + LoadRun.Settings.DEFAULT_IN_FLIGHT,
            description = "Unacknowledged batches per gateway at most; never more than the Receive Maximum in the"
                    + " hub's CONNACK. Default: ${DEFAULT-VALUE}.")
    int inFlight;

    @Option(names = "--rate", paramLabel = "R", defaultValue = "0",
            description = "Send R readings per second in all, evenly paced (e.g. half the maximum, to measure"
                    + " latency under a steady load). Default: 0, as fast as the hub acknowledges.")
    double rate;

    @Option(names = "--rooms", paramLabel = "ROOMS", defaultValue = "" + SchoolBatches.Shape.DEFAULT_ROOMS,
            description = "Classrooms per simulated school (plus a lab and a power meter per 10 rooms;"
                    + " about 0.9 readings/s per room). Default: ${DEFAULT-VALUE}.")
    int rooms;

    @Option(names = "--batch-records", paramLabel = "B", defaultValue = "" + SchoolBatches.Shape.DEFAULT_BATCH_RECORDS,
            description = "Readings plus events per batch, like the gateway's uplink.batchMaxRecords. Default: ${DEFAULT-VALUE}.")
    int batchRecords;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "1",
            description = "Seed of the simulated schools. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--start", paramLabel = "INSTANT",
            description = "Simulated time of the first readings, e.g. 2026-03-09T00:00:00Z. Default: so that the run's"
                    + " readings end a minute before now (a new run writes new points, never over an earlier run's).")
    String start;

    @Option(names = "--progress", paramLabel = "SECONDS", defaultValue = "5",
            description = "Print progress every SECONDS (0: never). Default: ${DEFAULT-VALUE}.")
    int progressSeconds;

    @Option(names = "--ack-timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "Give up on a gateway whose window got no PUBACK for this long. Default: ${DEFAULT-VALUE}.")
    int ackTimeoutSeconds;

    @Option(names = "--print-config",
            description = "Print the hub.yaml gateways: section that lets these gateways in, and exit.")
    boolean printConfig;

    @Spec
    CommandSpec spec;

    private final Map<String, String> env;

    public LoadgenCommand() {
        this(System.getenv());
    }

    LoadgenCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<GatewayCredential> players = credentials();
        if (printConfig) {
            out.print(HubGatewaysYaml.render(players));
            out.flush();
            return 0;
        }
        if (hub == null) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '--hub=URL'");
        }
        if (readings == null) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '--readings=M'");
        }
        LoadRun.Settings settings;
        try {
            settings = new LoadRun.Settings(hub, players, readings, inFlight, rate,
                    new SchoolBatches.Shape(rooms, batchRecords, seed), startMillis(),
                    Duration.ofSeconds(Math.max(0, progressSeconds)), Duration.ofSeconds(ackTimeoutSeconds));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        LoadResult result = LoadRun.run(settings, out);
        out.println("loadgen: " + (result.started() ? "done" : "stopped"));
        out.print(result.summary());
        out.flush();
        if (!result.ok()) {
            err.println("loadgen: FAILED: " + failure(result));
            err.flush();
            return EXIT_FAILED;
        }
        return 0;
    }

    private static String failure(LoadResult result) {
        if (!result.refused().isEmpty()) {
            return result.refusedBatches() + " batches refused by the hub" + (result.errors() > 0
                    ? " and " + result.errors() + " errors" : "") + " (see above)";
        }
        return result.errorLog().isEmpty() ? result.errors() + " errors" : result.errorLog().get(0)
                + (result.errors() > 1 ? " (and " + (result.errors() - 1) + " more)" : "");
    }

    private List<GatewayCredential> credentials() {
        if (gateways != null && gateways < 1) {
            throw new ParameterException(spec.commandLine(), "--gateways must be at least 1: " + gateways);
        }
        if (credentials != null) {
            if (secret != null) {
                throw new ParameterException(spec.commandLine(), "give either --secret or --credentials, not both");
            }
            List<GatewayCredential> all;
            try {
                all = GatewayCredential.readFile(credentials);
            } catch (IOException e) {
                throw new ParameterException(spec.commandLine(), "--credentials: cannot read " + credentials + ": " + e);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--credentials: " + e.getMessage());
            }
            int n = gateways == null ? all.size() : gateways;
            if (n > all.size()) {
                throw new ParameterException(spec.commandLine(), "--gateways " + n + " but " + credentials + " lists only "
                        + all.size() + " gateways");
            }
            return all.subList(0, n);
        }
        String shared = secret != null ? secret : env.get(SECRET_ENV);
        if (shared == null || shared.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "give the gateways' secret with --secret (or "
                    + SECRET_ENV + "), or their credentials with --credentials FILE");
        }
        try {
            return GatewayCredential.generated(gateways == null ? 1 : gateways, shared, schoolPrefix);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--school-prefix: " + e.getMessage());
        }
    }

    private long startMillis() {
        if (start == null) {
            return 0;
        }
        try {
            return Instant.parse(start).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new ParameterException(spec.commandLine(), "--start must be an instant like 2026-03-09T00:00:00Z: " + start);
        }
    }
}
