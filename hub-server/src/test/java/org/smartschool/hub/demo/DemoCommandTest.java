package org.smartschool.hub.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@Timeout(60)
class DemoCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new DemoCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void refusesSchoolsOutsideOneToFiftyWithUsage() {
        assertThat(run("--schools", "51")).isEqualTo(2);
        assertThat(err.toString()).contains("--schools must be 1-50, got 51").contains("Usage: demo");

        assertThat(run("--schools", "0")).isEqualTo(2);
    }

    /** Verifies that a bad --influx URL or database name is refused with usage, naming the option. */
    @Test
    void refusesABadInfluxUrlOrDatabaseNamingTheOption() {
        assertThat(run("--influx", "influx.local:8086")).isEqualTo(2);
        assertThat(err.toString()).contains("--influx: must be an http:// or https:// URL").contains("Usage: demo");

        assertThat(run("--influx", "http://127.0.0.1:8086", "--influx-db", "my db")).isEqualTo(2);
        assertThat(err.toString()).contains("--influx-db: must be 1-64 letters");

        assertThat(run("--influx-db", "other")).isEqualTo(2);
        assertThat(err.toString()).contains("--influx-db needs --influx URL");
    }

    @Test
    void refusesAPortOutsideTcpRange() {
        assertThat(run("--port", "65536")).isEqualTo(2);
        assertThat(err.toString()).contains("--port must be 0-65535");
    }

    @Test
    void saysWhichOptionToChangeWhenThePortIsTakenAndLeavesNoDataBehind(@TempDir Path dir) throws Exception {
        Path kept = dir.resolve("kept");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();

            assertThat(run("--port", Integer.toString(port), "--schools", "1", "--data-dir", kept.toString())).isEqualTo(1);

            assertThat(err.toString()).contains("cannot listen on port " + port).contains("--port");
            assertThat(out.toString()).doesNotContain("Press Ctrl-C");
        }
        // a data directory the user named is theirs: it stays (only the temporary default is deleted)
        assertThat(kept).isDirectory();
        try (Stream<Path> files = Files.list(kept.resolve("gateways"))) {
            assertThat(files).isEmpty();
        }
    }

    /**
     * Verifies that --morning-speed takes off, 0 and 1-240 (its help says what it does) and refuses anything else
     * with usage, naming the option and the value, before anything starts.
     */
    @Test
    void refusesAMorningSpeedOtherThanOffOrOneTo240() {
        for (String bad : new String[] {"fast", "241", "-3", "1.5", ""}) {
            err.getBuffer().setLength(0);
            assertThat(run("--morning-speed=" + bad, "--port", "65536")).as(bad).isEqualTo(2);
            assertThat(err.toString()).as(bad).contains("--morning-speed must be off (or 0) or 1-240 (times real time), got '"
                    + bad + "'").contains("Usage: demo").doesNotContain("--port must be");
        }
        // good values pass the option's check: the next check (the port) is the one that refuses
        for (String good : new String[] {"off", "OFF", "0", "1", "30", "240"}) {
            err.getBuffer().setLength(0);
            assertThat(run("--morning-speed", good, "--port", "65536")).as(good).isEqualTo(2);
            assertThat(err.toString()).as(good).contains("--port must be 0-65535").doesNotContain("--morning-speed must");
        }
        out.getBuffer().setLength(0);
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("--morning-speed=N|off").contains("06:45").contains("Default: 30");
    }

    /** Verifies that --webhook needs its secret and that a bad secret is refused before anything starts. */
    @Test
    void refusesAWebhookWithoutAGoodSecret() {
        assertThat(run("--webhook", "http://127.0.0.1:9/hooks")).isEqualTo(2);
        assertThat(err.toString()).contains("--webhook and --webhook-secret go together");

        assertThat(run("--webhook", "http://127.0.0.1:9/hooks", "--webhook-secret", "s3cret")).isEqualTo(2);
        assertThat(err.toString()).contains("--webhook-secret: a webhook secret must start with 'whsec_'")
                .doesNotContain("s3cret");
    }
}
