package org.smartschool.hub.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.hub.testsupport.Http;
import picocli.CommandLine;

/** The {@code hub-server} command line. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HubMainTest {
    @TempDir
    Path dir;

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = HubMain.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** Verifies that a configuration with an unknown key stops serve with exit code 2 and one line naming the key. */
    @Test
    void serveWithBadKeyExitsWith2NamingTheKey() throws Exception {
        Path config = Files.writeString(dir.resolve("hub.yaml"), "mqtt:\n  prot: 1885\n");

        Run run = run("serve", "--config", config.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip()).doesNotContain("\n").contains("'mqtt.prot'").startsWith("hub-server: ");
        assertThat(run.out()).isEmpty();
    }

    /** Verifies that a missing configuration file is also a one-line error with exit code 2. */
    @Test
    void serveWithMissingFileExitsWith2() {
        Run run = run("serve", "--config", dir.resolve("nope.yaml").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip()).doesNotContain("\n").contains("nope.yaml").contains("cannot read");
    }

    /** Verifies that users add creates a user with a password printed once, and refuses the same name again. */
    @Test
    void usersAddCreatesAUserWithAPrintedPassword() throws Exception {
        Path config = Files.writeString(dir.resolve("hub.yaml"), "store:\n  path: " + dir.resolve("hub-store.db") + "\n");

        Run run = run("users", "add", "--config", config.toString(), "--name", "lan.nguyen", "--role", "school-operator",
                "--school", "school-01");

        assertThat(run.exitCode()).as(run.err()).isZero();
        java.util.regex.Matcher printed = java.util.regex.Pattern.compile("with the password (\\S+) ").matcher(run.out());
        assertThat(printed.find()).as(run.out()).isTrue();
        org.smartschool.hub.config.HubConfig hub = org.smartschool.hub.config.HubConfig.load(config, java.util.Map.of());
        Path storeFile = Path.of(hub.store().path());
        try (org.smartschool.hub.state.StateStores state = org.smartschool.hub.state.StateStores.open(
                hub.state().resolve(storeFile), hub.registry(), storeFile, java.time.Clock.systemUTC())) {
            org.smartschool.hub.auth.UserAccount user = state.accounts().user("lan.nguyen").orElseThrow();
            assertThat(user.principal()).isEqualTo(new org.smartschool.hub.auth.Principal("lan.nguyen",
                    org.smartschool.hub.auth.Role.SCHOOL_OPERATOR, "school-01"));
            assertThat(org.smartschool.hub.auth.Passwords.matches(user.passwordHash(), printed.group(1))).isTrue();
        }
        Run again = run("users", "add", "--config", config.toString(), "--name", "lan.nguyen", "--role", "admin");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("exists already");
        assertThat(run("users", "add", "--config", config.toString(), "--name", "mai", "--role", "school-viewer").err())
                .contains("--school is needed");
    }

    /** Verifies that the subcommands are listed in one place and serve is among them. */
    @Test
    void listsItsSubcommands() {
        assertThat(HubMain.commandLine().getSubcommands()).containsKey("serve");
        Run help = run("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("serve");
    }

    /**
     * Verifies that serve, run as its own process, prints its URLs, answers on them, and stops cleanly
     * on SIGTERM (what systemd and Ctrl-C send).
     */
    @Test
    void servePrintsItsUrlsAndStopsOnSigterm() throws Exception {
        Path config = Files.writeString(dir.resolve("hub.yaml"), """
                http: {host: 127.0.0.1, port: 0}
                mqtt: {host: 127.0.0.1, port: 0}
                store: {path: '%s'}
                gateways:
                  - {id: gw-1, school: s1, secret: s3cret}
                """.formatted(dir.resolve("hub-store.db").toString().replace("'", "''")));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                HubMain.class.getName(), "serve", "--config", config.toString())
                .redirectErrorStream(true).start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                }
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        });
        reader.start();
        try {
            Pattern url = Pattern.compile("Overview page and API: http://127\\.0\\.0\\.1:(\\d+)/");
            int port = -1;
            long deadline = System.currentTimeMillis() + 30_000;
            while (port < 0 && System.currentTimeMillis() < deadline && process.isAlive()) {
                for (String line : lines) {
                    Matcher m = url.matcher(line);
                    if (m.find()) {
                        port = Integer.parseInt(m.group(1));
                    }
                }
                Thread.sleep(50);
            }
            assertThat(port).as("printed HTTP port; output: %s", lines).isPositive();
            assertThat(lines).anyMatch(l -> l.matches(".*Gateways connect to: +mqtt://127\\.0\\.0\\.1:\\d+ \\(MQTT 5\\)"));
            assertThat(new Http(port).get("/health").status()).isEqualTo(200);

            // SIGTERM; Process.destroy() would also close our end of the output pipe and lose what follows
            process.toHandle().destroy();

            assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
            reader.join(5_000);
            assertThat(process.exitValue()).isEqualTo(143); // 128 + SIGTERM: the JVM ran its shutdown hooks
            assertThat(lines).as("output").anyMatch(l -> l.contains("hub stopped"));
            assertThat(lines).noneMatch(l -> l.contains("Exception"));
        } finally {
            process.destroyForcibly();
        }
    }
}
