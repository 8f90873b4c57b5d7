package org.smartschool.hub.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Where the CPU of a benchmark phase goes: this JVM's threads grouped by role (ThreadMXBean CPU time)
 * and InfluxDB's process ({@code /proc/PID/stat} of the {@code influxd} listening on the benchmark's port, see
 * {@link #influxdListeningOn}; other clients' writes to it still count). Per million readings, so that rounds compare.
 */
final class CpuSplit {
    /** The ingest benchmark's roles: a part of a thread's name and the role it plays (the first match wins, the rest is "other"). */
    static final Map<String, String> INGEST_ROLES = new LinkedHashMap<>();

    static {
        INGEST_ROLES.put("hub-store-", "hub store threads (line protocol, HTTP client, state)");
        INGEST_ROLES.put("hub-decode-", "hub decode threads");
        INGEST_ROLES.put("vert.x-eventloop", "vert.x event loops (MQTT endpoint)");
        INGEST_ROLES.put("vert.x-", "vert.x other");
        INGEST_ROLES.put("OkHttp", "OkHttp");
        INGEST_ROLES.put("MQTT", "loadgen Paho");
        INGEST_ROLES.put("loadgen", "loadgen senders");
    }

    private final Map<String, String> roles;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final long CLOCK_TICKS = 100; // USER_HZ on Linux

    private final Map<Long, Long> threadNanos = new TreeMap<>();
    private final Map<Long, String> threadNames = new TreeMap<>();
    /** The JVM's own threads that ThreadMXBean does not list, by Linux thread id: CPU ticks and role. */
    private final Map<Long, Long> nativeTicks = new TreeMap<>();
    private final Map<Long, String> nativeRoles = new TreeMap<>();
    private final long processNanos;
    private final long influxTicks;
    private final long wallNanos = System.nanoTime();

    private CpuSplit(Map<String, String> roles) {
        this.roles = roles;
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
        readNativeThreads();
    }

    /**
     * GC and JIT threads from {@code /proc/self/task} (Linux): their CPU was one "GC, JIT, VM" figure, which
     * could not tell the collector's cost (it follows allocation) from the compiler's (it fades as a run warms up).
     */
    private void readNativeThreads() {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String role = nativeRole(Files.readString(task.resolve("comm")).strip());
                    if (role != null) {
                        long tid = Long.parseLong(task.getFileName().toString());
                        nativeTicks.put(tid, ticks(Files.readString(task.resolve("stat"))));
                        nativeRoles.put(tid, role);
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            // no /proc: the rest stays one figure
        }
    }

    /** HotSpot's names (comm keeps 15 characters): "GC Thread#0", "G1 Conc#0", "C2 CompilerThre", ... */
    private static String nativeRole(String comm) {
        if (comm.startsWith("GC Thread") || comm.startsWith("G1 ")) {
            return "GC";
        }
        if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
            return "JIT";
        }
        return null;
    }

    /** utime + stime of a /proc stat line, in clock ticks. */
    private static long ticks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    static CpuSplit now() {
        return new CpuSplit(INGEST_ROLES);
    }

    /** @param roles a part of a thread's name and the role it plays, in the order they are tried */
    static CpuSplit now(Map<String, String> roles) {
        return new CpuSplit(roles);
    }

    /** One line: CPU-seconds per million readings between {@code start} and this snapshot, by role. */
    String since(CpuSplit start, long readings) {
        double perMillion = 1e6 / Math.max(1, readings);
        Map<String, Long> byRole = nanosByRole(start);
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "CPU-s per million readings over %.1f s: JVM %.2f (", (wallNanos - start.wallNanos) / 1e9,
                (processNanos - start.processNanos) / 1e9 * perMillion));
        appendRoles(out, byRole, perMillion);
        out.append(String.format(Locale.ROOT, "); influxd %.2f",
                (influxTicks - start.influxTicks) / (double) CLOCK_TICKS * perMillion));
        return out.toString();
    }

    /** One line: the cores (CPU-seconds per second) this JVM used between {@code start} and this snapshot, by role. */
    String coresSince(CpuSplit start) {
        double perSecond = 1e9 / Math.max(1, wallNanos - start.wallNanos);
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "this JVM %.2f cores (",
                (processNanos - start.processNanos) / 1e9 * perSecond));
        appendRoles(out, nanosByRole(start), perSecond);
        return out.append(')').toString();
    }

    private static void appendRoles(StringBuilder out, Map<String, Long> byRole, double scale) {
        String sep = "";
        for (Map.Entry<String, Long> e : byRole.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).toList()) {
            if (e.getValue() > 0) {
                out.append(sep).append(String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue() / 1e9 * scale));
                sep = ", ";
            }
        }
    }

    /** CPU nanoseconds by role between {@code start} and this snapshot. */
    private Map<String, Long> nanosByRole(CpuSplit start) {
        Map<String, Long> byRole = new LinkedHashMap<>();
        long threads = 0;
        for (Map.Entry<Long, Long> t : threadNanos.entrySet()) {
            long delta = t.getValue() - start.threadNanos.getOrDefault(t.getKey(), 0L);
            byRole.merge(role(threadNames.get(t.getKey())), delta, Long::sum);
            threads += delta;
        }
        // JVM threads that ThreadMXBean does not list (GC, JIT, VM) are the process's rest; GC and JIT where /proc names them
        long rest = processNanos - start.processNanos - threads;
        for (Map.Entry<Long, Long> t : nativeTicks.entrySet()) {
            long delta = (t.getValue() - start.nativeTicks.getOrDefault(t.getKey(), 0L)) * (1_000_000_000L / CLOCK_TICKS);
            byRole.merge(nativeRoles.get(t.getKey()), delta, Long::sum);
            rest -= delta;
        }
        byRole.merge("VM and ended threads", Math.max(0, rest), Long::sum);
        return byRole;
    }

    private String role(String threadName) {
        if (threadName == null) {
            return "other";
        }
        for (Map.Entry<String, String> r : roles.entrySet()) {
            if (threadName.contains(r.getKey())) {
                return r.getValue();
            }
        }
        return "other";
    }

    /** The port of the InfluxDB under test; 0: every influxd counts. */
    private static volatile int influxdPort;

    /**
     * Counts only the influxd that listens on {@code port} (where /proc shows which): on a shared machine CI's own
     * influxd runs beside the one under test, and its work was counted as the benchmark's.
     */
    static void influxdListeningOn(int port) {
        influxdPort = port;
    }

    /** utime + stime of the influxd under test (every influxd where none is found listening), in clock ticks; 0 without /proc. */
    private static long influxdTicks() {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            Set<String> listening = influxdPort > 0 ? listeningSockets(influxdPort) : Set.of();
            long all = 0;
            long listener = 0;
            for (Path p : procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                try {
                    if (!Files.readString(p.resolve("comm")).strip().equals("influxd")) {
                        continue;
                    }
                    long ticks = ticks(Files.readString(p.resolve("stat")));
                    all += ticks;
                    if (!listening.isEmpty() && holdsAny(p, listening)) {
                        listener += ticks;
                    }
                } catch (IOException | RuntimeException e) {
                    // the process ended meanwhile
                }
            }
            return listener > 0 ? listener : all;
        } catch (IOException e) {
            return 0;
        }
    }

    /** "socket:[inode]" of the TCP sockets listening on {@code port}, from /proc/net/tcp and tcp6. */
    private static Set<String> listeningSockets(int port) {
        Set<String> out = new HashSet<>();
        String local = String.format(Locale.ROOT, ":%04X", port);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] f = line.strip().split("\\s+");
                    // local_address is f[1] (HEXADDR:PORT), st f[3] (0A: LISTEN), inode f[9]
                    if (f.length > 9 && f[1].endsWith(local) && f[3].equals("0A")) {
                        out.add("socket:[" + f[9] + "]");
                    }
                }
            } catch (IOException e) {
                // no such table
            }
        }
        return out;
    }

    private static boolean holdsAny(Path process, Set<String> sockets) throws IOException {
        try (Stream<Path> fds = Files.list(process.resolve("fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    if (sockets.contains(Files.readSymbolicLink(fd).toString())) {
                        return true;
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        return false;
    }
}
