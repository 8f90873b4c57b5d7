package org.smartschool.bridge.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import org.smartschool.bridge.codec.Codec;
import org.smartschool.bridge.codec.DecodeResult;
import org.smartschool.bridge.codec.RawMessage;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.bridge.uplink.BatchCodec;
import org.smartschool.bridge.uplink.BatchFormatException;
import org.smartschool.bridge.uplink.SampleBatches;

/**
 * Decode speed of every codec, and encode/decode speed of the uplink batch frame, on one thread (JMH): records
 * per second and bytes allocated per record (JMH's GC profiler, which reads
 * {@code ThreadMXBean.getThreadAllocatedBytes}). A benchmark run on demand, never a test:
 * <pre>
 * ./mvnw -q -pl firmware-bridge test-compile exec:exec@decode-benchmark
 * </pre>
 * prints a Markdown table for the README's performance section. JMH options go after
 * {@code -Dbenchmark.args=...}, e.g. {@code -Dbenchmark.args="-p sample=senml-cbor,senml-json -f 2"}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class DecodeBenchmark {
    static final DeviceRef DEVICE = new DeviceRef("thpt-le-loi", "room-101", "dev-1");
    private static final Map<String, Long> GOALS = Map.of("senml-cbor", 1_000_000L, "senml-json", 300_000L,
            "zigbee2mqtt", 300_000L, "tasmota", 300_000L, "shelly-gen2", 300_000L, "lwm2m", 300_000L,
            "camera-analytics", 300_000L);

    /** One firmware's sample messages and a codec that has seen their prelude. */
    @State(Scope.Thread)
    public static class CodecState {
        @Param({"zigbee2mqtt", "tasmota", "esphome", "shelly-gen2", "homie", "senml-json", "senml-cbor", "lwm2m",
                "sparkplug-b", "serial-line", "card-reader", "camera-analytics"})
        public String sample;

        Codec codec;
        RawMessage[] messages;
        int next;

        @Setup(Level.Trial)
        public void setUp() {
            CodecSamples samples = CodecSamples.named(sample);
            codec = samples.codec().get();
            samples.prelude().forEach(m -> codec.decode(m, DEVICE));
            messages = samples.messages().toArray(RawMessage[]::new);
            recordsPerMessage(samples, codec); // refuses samples that would measure an error path
        }
    }

    /** A realistic uplink batch and its frame. */
    @State(Scope.Thread)
    public static class BatchState {
        @Param({"classroom", "school"})
        public String batch;

        final BatchCodec codec = new BatchCodec();
        Batch value;
        byte[] frame;

        @Setup(Level.Trial)
        public void setUp() {
            value = batch(batch);
            frame = codec.encode(value);
        }
    }

    @Benchmark
    public DecodeResult decode(CodecState state) {
        RawMessage message = state.messages[state.next];
        state.next = state.next + 1 == state.messages.length ? 0 : state.next + 1;
        return state.codec.decode(message, DEVICE);
    }

    @Benchmark
    public byte[] encodeBatch(BatchState state) {
        return state.codec.encode(state.value);
    }

    @Benchmark
    public Batch decodeBatch(BatchState state) throws BatchFormatException {
        return state.codec.decode(state.frame);
    }

    /** 5 minutes of one classroom (210 readings, 3 events), or a 40-room school's 10-second snapshot (280 readings). */
    static Batch batch(String name) {
        return switch (name) {
            case "classroom" -> SampleBatches.classroom(1);
            case "school" -> SampleBatches.schoolSnapshot(2);
            default -> throw new IllegalArgumentException("unknown batch '" + name + "'");
        };
    }

    /** Records (readings + events) per decoded message, averaged over the sample's messages; throws on a problem. */
    static double recordsPerMessage(CodecSamples samples, Codec codec) {
        long records = 0;
        for (RawMessage message : samples.messages()) {
            for (int round = 0; round < 2; round++) { // the second round is what the benchmark repeats
                DecodeResult result = codec.decode(message, DEVICE);
                if (result.hasProblems() || result.recordCount() == 0) {
                    throw new IllegalStateException("sample " + samples.name() + " does not decode cleanly: " + result);
                }
                records += round == 1 ? result.recordCount() : 0;
            }
        }
        return (double) records / samples.messages().size();
    }

    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        String load = String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .parent(new CommandLineOptions(args))
                .include(DecodeBenchmark.class.getName() + "\\.")
                .addProfiler(GCProfiler.class)
                .build()).run();
        System.out.println();
        System.out.println(table(results, load));
    }

    private static String table(Collection<RunResult> results, String loadAtStart) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Measured %s on %s (%d cores), %s %s, load average %s at start; JMH, one thread, "
                        + "%s.%n%n", LocalDate.now(), cpuModel(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"), loadAtStart, iterations(results)));
        out.append("| what | message | records per message | records/s, one core | +/- (99.9 %) | bytes allocated per record | goal |\n");
        out.append("|---|---|---:|---:|---:|---:|---|\n");
        for (RunResult run : sorted(results)) {
            BenchmarkParams params = run.getParams();
            String method = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
            String what;
            String message;
            double records;
            Long goal = null;
            if (method.equals("decode")) {
                CodecSamples samples = CodecSamples.named(params.getParam("sample"));
                Codec codec = samples.codec().get();
                samples.prelude().forEach(m -> codec.decode(m, DEVICE));
                what = samples.name() + " decode";
                message = samples.description() + ", " + averageBytes(samples.messages()) + " B";
                records = recordsPerMessage(samples, codec);
                goal = GOALS.get(samples.name());
            } else {
                Batch batch = batch(params.getParam("batch"));
                what = "uplink " + (method.equals("encodeBatch") ? "encode" : "decode");
                message = params.getParam("batch") + " batch, " + new BatchCodec().encode(batch).length + " B frame";
                records = batch.size();
            }
            Result<?> primary = run.getPrimaryResult();
            double perSecond = primary.getScore() * records;
            double error = primary.getScoreError() * records;
            Result<?> allocated = run.getSecondaryResults().get("gc.alloc.rate.norm");
            String perRecord = allocated == null ? "n/a" : String.format(Locale.ROOT, "%,.0f", allocated.getScore() / records);
            String verdict = goal == null ? "" : String.format(Locale.ROOT, ">= %,d: %s", goal, perSecond >= goal ? "met" : "NOT met");
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %,.0f | %,.0f | %s | %s |%n", what, message,
                    records == Math.rint(records) ? Long.toString((long) records) : String.format(Locale.ROOT, "%.1f", records),
                    perSecond, Double.isNaN(error) ? 0 : error, perRecord, verdict));
        }
        return out.toString();
    }

    private static List<RunResult> sorted(Collection<RunResult> results) {
        List<RunResult> list = new ArrayList<>(results);
        list.sort((a, b) -> Integer.compare(rank(a), rank(b)));
        return list;
    }

    private static int rank(RunResult run) {
        BenchmarkParams params = run.getParams();
        String sample = params.getParam("sample");
        if (sample != null) {
            return CodecSamples.NAMES.indexOf(sample);
        }
        int base = 100 + ("school".equals(params.getParam("batch")) ? 10 : 0);
        return base + (params.getBenchmark().endsWith("encodeBatch") ? 0 : 1);
    }

    private static int averageBytes(List<RawMessage> messages) {
        return (int) Math.round(messages.stream().mapToInt(m -> m.payload().length).average().orElse(0));
    }

    private static String iterations(Collection<RunResult> results) {
        if (results.isEmpty()) {
            return "no runs";
        }
        BenchmarkParams p = results.iterator().next().getParams();
        return String.format(Locale.ROOT, "%d fork(s), %d x %s warm-up, %d x %s measured", p.getForks(),
                p.getWarmup().getCount(), p.getWarmup().getTime(), p.getMeasurement().getCount(), p.getMeasurement().getTime());
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the core count and JDK still say enough
        }
        return System.getProperty("os.arch");
    }
}
