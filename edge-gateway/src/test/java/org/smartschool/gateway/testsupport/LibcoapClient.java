package org.smartschool.gateway.testsupport;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's libcoap command-line client ({@code libcoap3-bin}), the real CoAP peer of the tests:
 * {@code coap-client-openssl} or {@code coap-client-gnutls} (both speak DTLS-PSK). When neither
 * is installed the test is skipped with a message, or fails when {@code SS_TEST_REQUIRE_SERVICES=1}.
 */
public final class LibcoapClient {
    public static final List<String> NAMES = List.of("coap-client-openssl", "coap-client-gnutls");

    private final Path binary;

    private LibcoapClient(Path binary) {
        this.binary = binary;
    }

    /** The first of {@link #NAMES} on the PATH, or the test is aborted (failed in CI). */
    public static LibcoapClient find() {
        Path found = locate(System.getenv());
        if (found != null) {
            return new LibcoapClient(found);
        }
        String message = "no libcoap client for this test: install libcoap3-bin (" + String.join(" or ", NAMES) + ")";
        if ("1".equals(System.getenv(TestBroker.REQUIRE_VARIABLE))) {
            Assertions.fail(message + " (" + TestBroker.REQUIRE_VARIABLE + "=1: peers are required, not skipped)");
        }
        Assumptions.abort(message);
        return null; // not reached
    }

    static Path locate(Map<String, String> env) {
        String path = env.getOrDefault("PATH", "/usr/bin:/bin");
        for (String name : NAMES) {
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    public Path binary() {
        return binary;
    }

    /** What one run printed and how it ended. */
    public record Result(int exitCode, String stdout, String stderr) {
        public String output() {
            return stdout + stderr;
        }
    }

    /** Runs the client with {@code args} (e.g. {@code -m post -t 110 -e ... coap://...}) and waits for it. */
    public Result run(Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(List.of(args));
        Path out = Files.createTempFile("coap-client", ".out");
        Path err = Files.createTempFile("coap-client", ".err");
        try {
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("coap-client did not finish within " + timeout.toMillis() + " ms: " + command
                        + "\nstdout: " + Files.readString(out) + "\nstderr: " + Files.readString(err));
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
