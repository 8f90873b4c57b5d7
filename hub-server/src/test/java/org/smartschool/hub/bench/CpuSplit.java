package org.smartschool.hub.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Where the CPU of a benchmark phase goes: this JVM's threads grouped by role (ThreadMXBean CPU time)
 * and InfluxDB's process ({@code /proc/PID/stat} of every process named {@code influxd}; on a shared
 * machine that includes other clients' writes). Per million readings, so that rounds compare.
 */
final class CpuSplit {
    /** Thread-name prefixes and the role they play; the first match wins, the rest is "other". */
    private static final Map<String, String> ROLES = new LinkedHashMap<>();

    static {
        ROLES.put("hub-store-", "hub store threads (line protocol, HTTP client, state)");
        ROLES.put("hub-decode-", "hub decode threads");
        ROLES.put("vert.x-eventloop", "vert.x event loops (MQTT endpoint)");
        ROLES.put("vert.x-", "vert.x other");
        ROLES.put("OkHttp", "OkHttp");
        ROLES.put("MQTT", "loadgen Paho");
        ROLES.put("loadgen", "loadgen senders");
        ROLES.put("GC ", "GC");
        ROLES.put("G1 ", "GC");
        ROLES.put("C1 ", "JIT");
        ROLES.put("C2 ", "JIT");
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final long CLOCK_TICKS = 100; // USER_HZ on Linux

    private final Map<Long, Long> threadNanos = new TreeMap<>();
    private final Map<Long, String> threadNames = new TreeMap<>();
    private final long processNanos;
    private final long influxTicks;
    private final long wallNanos = System.nanoTime();

    private CpuSplit() {
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info != null) {
                long cpu = THREADS.getThreadCpuTime(info.getThreadId());
                if (cpu >= 0) {
                    threadNanos.put(info.getThreadId(), cpu);
                    threadNames.put(info.getThreadId(), info.getThreadName());
                }
            }
        }
        processNanos = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        influxTicks = influxdTicks();
    }

    static CpuSplit now() {
        return new CpuSplit();
    }

    /** One line: CPU-seconds per million readings between {@code start} and this snapshot, by role. */
    String since(CpuSplit start, long readings) {
        double perMillion = 1e6 / Math.max(1, readings);
        Map<String, Long> byRole = new LinkedHashMap<>();
        long threads = 0;
        for (Map.Entry<Long, Long> t : threadNanos.entrySet()) {
            long delta = t.getValue() - start.threadNanos.getOrDefault(t.getKey(), 0L);
            byRole.merge(role(threadNames.get(t.getKey())), delta, Long::sum);
            threads += delta;
        }
        // JVM threads that ThreadMXBean does not list (GC, JIT, VM) are the process's rest
        long rest = processNanos - start.processNanos - threads;
        byRole.merge("GC, JIT, VM", Math.max(0, rest), Long::sum);
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "CPU-s per million readings over %.1f s: JVM %.2f (", (wallNanos - start.wallNanos) / 1e9,
                (processNanos - start.processNanos) / 1e9 * perMillion));
        String sep = "";
        for (Map.Entry<String, Long> e : byRole.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).toList()) {
            if (e.getValue() > 0) {
                out.append(sep).append(String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue() / 1e9 * perMillion));
                sep = ", ";
            }
        }
        out.append(String.format(Locale.ROOT, "); influxd %.2f",
                (influxTicks - start.influxTicks) / (double) CLOCK_TICKS * perMillion));
        return out.toString();
    }

    private static String role(String threadName) {
        if (threadName == null) {
            return "other";
        }
        for (Map.Entry<String, String> r : ROLES.entrySet()) {
            if (threadName.startsWith(r.getKey())) {
                return r.getValue();
            }
        }
        return "other";
    }

    /** utime + stime of every influxd process, in clock ticks; 0 where /proc is not there. */
    private static long influxdTicks() {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            long sum = 0;
            for (Path p : procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                try {
                    if (!Files.readString(p.resolve("comm")).strip().equals("influxd")) {
                        continue;
                    }
                    String stat = Files.readString(p.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    sum += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                } catch (IOException | RuntimeException e) {
                    // the process ended meanwhile
                }
            }
            return sum;
        } catch (IOException e) {
            return 0;
        }
    }
}
