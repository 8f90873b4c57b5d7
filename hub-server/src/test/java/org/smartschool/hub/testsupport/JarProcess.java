package org.smartschool.hub.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One of the project's runnable jars started as its own operating-system process, as it runs in
 * production: {@code java -jar edge-gateway.jar run --config FILE}. Its output goes to a log file
 * (appended across restarts, so that a failure can be read in order). {@link #kill()} is SIGKILL
 * ({@link Process#destroyForcibly()} on Linux): no shutdown hook runs, nothing is flushed.
 */
public final class JarProcess implements AutoCloseable {
    private final Path jar;
    private final List<String> args;
    private final Path log;
    private final List<String> jvmOptions;
    private final Map<String, String> env;
    private Process process;
    private int starts;

    public JarProcess(Path jar, List<String> jvmOptions, List<String> args, Map<String, String> env, Path log) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " does not exist: this test runs after the "
                    + "package phase (./mvnw verify from the project root builds it)");
        }
        this.jar = jar;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.args = List.copyOf(args);
        this.env = Map.copyOf(env);
        this.log = log;
    }

    /** The {@code java} of the JVM running the tests. */
    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public synchronized void start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(jar.getFileName() + " is already running");
        }
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        command.addAll(args);
        starts++;
        Files.writeString(log, "=== start " + starts + ": " + String.join(" ", command) + "\n",
                StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(env);
        process = builder.start();
    }

    /** SIGKILL, and wait until the process is gone (its ports and file locks released). */
    public synchronized void kill() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(jar.getFileName() + " did not die within 30 s of SIGKILL");
        }
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    public Path log() {
        return log;
    }

    /** The last lines of the log, for a failure message. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM, then SIGKILL after 15 s: a clean stop at the end of a test. */
    @Override
    public synchronized void close() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(15, TimeUnit.SECONDS);
        }
    }

    /**
     * A TCP port free on loopback now, below Linux's ephemeral range (32768+) so that no outgoing
     * connection takes it while a process that must bind it again (a restarted hub) is down.
     */
    public static int freePort() throws IOException {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int i = 0; i < 200; i++) {
            int port = 20_000 + random.nextInt(12_000);
            try (ServerSocket socket = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException inUse) {
                // try another
            }
        }
        throw new IOException("no free TCP port found on 127.0.0.1 between 20000 and 32000");
    }
}
