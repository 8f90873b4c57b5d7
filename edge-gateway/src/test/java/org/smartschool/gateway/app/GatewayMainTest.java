package org.smartschool.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GatewayMainTest {
    @TempDir
    Path dir;

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        return runWith(java.util.Map.of(), args);
    }

    private static Run runWith(java.util.Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = GatewayMain.commandLine(env);
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void helpListsTheRunCommand() {
        Run result = run("--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("Usage: edge-gateway").contains("run");
    }

    @Test
    void aConfigWithAnUnknownKeyStopsWithOneLineNamingTheKeyAndExitCode2() throws Exception {
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, "gatewayId: gw-1\nsouth:\n  urll: tcp://127.0.0.1:1883\n");

        Run result = run("run", "--config", config.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err().lines()).singleElement().asString()
                .startsWith("edge-gateway: bad configuration: ")
                .contains("south.urll")
                .contains("unknown option");
    }

    @Test
    void aMissingOrInvalidCaFileStopsWithOneLineNamingNorthCaFile() throws Exception {
        Path missing = dir.resolve("no-such-ca.pem");
        Path notPem = dir.resolve("not-a-ca.pem");
        Files.writeString(notPem, "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");
        Path empty = dir.resolve("empty-ca.pem");
        Files.writeString(empty, "");

        for (Path ca : java.util.List.of(missing, notPem, empty)) {
            Path config = dir.resolve("gateway.yaml");
            Files.writeString(config, "gatewayId: gw-1\nschool: s1\nsouth:\n  url: tcp://127.0.0.1:1\n"
                    + "north:\n  url: ssl://127.0.0.1:1\n  caFile: " + ca + "\n"
                    + "outbox:\n  path: " + dir.resolve("o.db") + "\n");

            Run result = run("run", "--config", config.toString());

            assertThat(result.exitCode()).as(ca.toString()).isEqualTo(2);
            assertThat(result.err().lines()).as(ca.toString()).singleElement().asString()
                    .startsWith("edge-gateway: bad configuration: north.caFile " + ca + ": ")
                    .contains(ca.equals(missing) ? "cannot read the file (NoSuchFileException)"
                            : ca.equals(notPem) ? "not a PEM certificate file" : "contains no certificate");
        }
    }

    @Test
    void aCaFileWithAPlainUrlIsRefused() throws Exception {
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, "gatewayId: gw-1\nschool: s1\nnorth:\n  url: tcp://127.0.0.1:1\n  caFile: /etc/ca.pem\n");

        Run result = run("run", "--config", config.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err().lines()).singleElement().asString()
                .startsWith("edge-gateway: bad configuration: ")
                .contains("north.caFile is set but north.url tcp://127.0.0.1:1 is not TLS");
    }

    @Test
    void aRouteNamingAnUnknownCodecIsABadConfigurationToo() throws Exception {
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, "gatewayId: gw-1\nschool: s1\nsouth:\n  routes:\n    - pattern: x/{room}/{device}\n      codec: nope\n"
                + "outbox:\n  path: " + dir.resolve("o.db") + "\n");

        Run result = run("run", "--config", config.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("unknown codec 'nope'");
        assertThat(dir.resolve("o.db")).doesNotExist();
    }

    @Test
    void anEmptyFileStopsWithOneLineAndExitCode2() throws Exception {
        Path config = Files.writeString(dir.resolve("gateway.yaml"), "");

        Run result = run("run", "--config", config.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err().lines()).singleElement().asString()
                .isEqualTo("edge-gateway: bad configuration: " + config + ": the file is empty: it needs at least "
                        + "gatewayId and school (see config/gateway.example.yaml)");
    }

    @Test
    void aValueOfTheWrongKindStopsWithOneLineInPlainWords() throws Exception {
        Path config = Files.writeString(dir.resolve("gateway.yaml"),
                "gatewayId: gw-1\nschool: s1\nuplink:\n  batchMaxRecords: lots\n");

        Run result = run("run", "--config", config.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err().lines()).singleElement().asString()
                .isEqualTo("edge-gateway: bad configuration: " + config
                        + ": bad key 'uplink.batchMaxRecords': expected a whole number, got \"lots\"");
    }

    @Test
    void aPortInUseIsNamedAndNothingIsOpened() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Path config = Files.writeString(dir.resolve("gateway.yaml"), "gatewayId: gw-1\nschool: s1\n"
                    + "outbox:\n  path: " + dir.resolve("o.db") + "\nmetrics:\n  port: " + port + "\n");

            Run result = run("run", "--config", config.toString());

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err().lines()).singleElement().asString()
                    .isEqualTo("edge-gateway: cannot start: port " + port + " on 127.0.0.1 (metrics.port) is already in use "
                            + "by another program: stop it, or set metrics.port to a free port");
            assertThat(dir.resolve("o.db")).doesNotExist();
        }
    }

    @Test
    void aMisspeltEnvironmentVariableStopsWithOneLineAndExitCode2() throws Exception {
        Path config = Files.writeString(dir.resolve("gateway.yaml"), "gatewayId: gw-1\nschool: s1\n"
                + "outbox:\n  path: " + dir.resolve("o.db") + "\n");

        Run result = runWith(java.util.Map.of("SS_GATEWAY_NORTH_PASWORD", "secret"), "run", "--config", config.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err().lines()).singleElement().asString()
                .startsWith("edge-gateway: bad configuration: environment variable SS_GATEWAY_NORTH_PASWORD is not an "
                        + "option of the gateway (did you mean SS_GATEWAY_NORTH_PASSWORD?)");
        assertThat(dir.resolve("o.db")).doesNotExist();
    }
}
