package org.smartschool.hub.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.hub.app.Hub;
import org.smartschool.hub.app.HubMain;
import org.smartschool.hub.config.GatewayConfig;
import org.smartschool.hub.config.HubConfig;
import org.smartschool.hub.config.MqttConfig;
import org.smartschool.hub.store.ReadingQuery;
import org.smartschool.hub.store.ReadingStore;
import org.smartschool.hub.store.RoomRef;
import org.smartschool.hub.testsupport.Http;
import org.smartschool.hub.testsupport.HubFixture;

/** {@code loadgen} against a real hub started in this process, over real Paho MQTT 5 connections. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LoadgenCommandTest {
    private static final String SECRET = "loadgen-test-secret";
    private static final Pattern RATE = Pattern.compile("(?m)^rate: +([\\d,]+) readings/s");
    private static final Pattern LATENCY = Pattern.compile(
            "(?m)^PUBACK latency: p50 ([\\d.]+) ms, p95 ([\\d.]+) ms, p99 ([\\d.]+) ms, max ([\\d.]+) ms \\(([\\d,]+) batches\\)");

    @TempDir
    Path dir;

    private Hub hub;

    private record Run(int exitCode, String out, String err) {
    }

    @AfterEach
    void stop() throws Exception {
        if (hub != null) {
            HubFixture.await(hub.close());
        }
    }

    private HubConfig config(int gateways) {
        List<GatewayConfig> allowed = new ArrayList<>();
        for (GatewayCredential g : GatewayCredential.generated(gateways, SECRET, GatewayCredential.DEFAULT_SCHOOL_PREFIX)) {
            allowed.add(new GatewayConfig(g.id(), g.school(), g.secret()));
        }
        return HubFixture.config(dir).withGateways(allowed);
    }

    private static Run loadgen(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = HubMain.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("loadgen"));
        all.addAll(List.of(args));
        int code = cli.execute(all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    private String hubUrl() {
        return "tcp://127.0.0.1:" + hub.mqttPort();
    }

    /** Readings in the store per school, read back through the store interface (every room, every quantity). */
    private static Map<String, Integer> storedPerSchool(ReadingStore store) {
        Map<String, Integer> counts = new TreeMap<>();
        for (RoomRef room : store.rooms()) {
            for (Quantity quantity : Quantity.values()) {
                int n = store.readings(new ReadingQuery(room.school(), room.room(), quantity, null, 1, Long.MAX_VALUE,
                        Integer.MAX_VALUE)).size();
                counts.merge(room.school(), n, Integer::sum);
            }
        }
        return counts;
    }

    /**
     * Verifies that three gateways send exactly the readings asked for, that the store then holds exactly
     * that many (no reading overwrote another: the points are new), that nothing was refused, and that the
     * summary gives the rate and the PUBACK latency percentiles.
     */
    @Test
    void threeGatewaysStoreExactlyTheReadingsSentAndExitZero(Vertx vertx) throws Exception {
        hub = HubFixture.start(vertx, config(3));

        Run run = loadgen("--hub", hubUrl(), "--gateways", "3", "--readings", "4000", "--secret", SECRET,
                "--rooms", "10", "--batch-records", "100", "--in-flight", "4", "--progress", "1");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).contains("acknowledged:   4,000 readings in ").contains("refused:        none")
                .contains("errors:         none");
        Matcher rate = RATE.matcher(run.out());
        assertThat(rate.find()).as(run.out()).isTrue();
        assertThat(Long.parseLong(rate.group(1).replace(",", ""))).isPositive();
        Matcher latency = LATENCY.matcher(run.out());
        assertThat(latency.find()).as(run.out()).isTrue();
        double p50 = Double.parseDouble(latency.group(1));
        double p99 = Double.parseDouble(latency.group(3));
        double max = Double.parseDouble(latency.group(4));
        assertThat(p50).isPositive().isLessThanOrEqualTo(p99);
        assertThat(p99).isLessThanOrEqualTo(max);
        // 4,000 readings in batches of at most 100 records: at least 40 batches, each acknowledged
        assertThat(Integer.parseInt(latency.group(5).replace(",", ""))).isGreaterThanOrEqualTo(40);
        assertThat(Http.admin(hub).metric("hub_readings_stored_total")).isEqualTo(4000.0);
        assertThat(Http.admin(hub).metric("hub_batches_replayed_total")).isZero();

        HubFixture.await(hub.close());
        hub = null;
        try (ReadingStore store = HubFixture.openStore(config(3))) {
            assertThat(storedPerSchool(store)).isEqualTo(Map.of(
                    "loadgen-school-0001", 1334, "loadgen-school-0002", 1333, "loadgen-school-0003", 1333));
        }
    }

    /** Verifies that a second run writes new points beside the first run's instead of replaying them. */
    @Test
    void secondRunAddsNewPointsRatherThanReplayingTheFirst(Vertx vertx) throws Exception {
        hub = HubFixture.start(vertx, config(1));

        Run first = loadgen("--hub", hubUrl(), "--readings", "600", "--secret", SECRET, "--rooms", "5", "--progress", "0");
        Run second = loadgen("--hub", hubUrl(), "--readings", "600", "--secret", SECRET, "--rooms", "5", "--progress", "0");

        assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
        assertThat(second.exitCode()).as(second.out() + second.err()).isZero();
        assertThat(Http.admin(hub).metric("hub_batches_replayed_total")).isZero();
        HubFixture.await(hub.close());
        hub = null;
        try (ReadingStore store = HubFixture.openStore(config(1))) {
            assertThat(storedPerSchool(store)).isEqualTo(Map.of("loadgen-school-0001", 1200));
        }
    }

    /** Verifies that a hub refusing the gateways' secret makes loadgen exit 1 naming the refusal, having stored nothing. */
    @Test
    void wrongSecretExitsNonZeroWithAClearMessage(Vertx vertx) throws Exception {
        hub = HubFixture.start(vertx, config(2));

        Run run = loadgen("--hub", hubUrl(), "--gateways", "2", "--readings", "1000", "--secret", "not-the-secret");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("loadgen: FAILED: gateway loadgen-gw-0001 cannot connect to " + hubUrl())
                .contains("CONNACK 0x86 Bad User Name or Password");
        assertThat(run.out()).contains("nothing sent: 2 errors");
        assertThat(Http.admin(hub).metric("hub_gateway_auth_failures_total")).isEqualTo(2.0);
        assertThat(Http.admin(hub).metric("hub_readings_stored_total")).isZero();
    }

    /**
     * Verifies that batches the hub refuses (here: larger than its message limit, PUBACK 0x97) are counted by
     * reason code with the hub's reason string, and make loadgen exit 1.
     */
    @Test
    void refusedBatchesAreCountedByReasonCodeAndExitNonZero(Vertx vertx) throws Exception {
        hub = HubFixture.start(vertx, config(1).withMqtt(new MqttConfig("127.0.0.1", 0, 1024)));

        Run run = loadgen("--hub", hubUrl(), "--readings", "2000", "--secret", SECRET, "--batch-records", "1000",
                "--progress", "0");

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
        Matcher prepared = Pattern.compile("prepared (\\d+) batches").matcher(run.out());
        assertThat(prepared.find()).as(run.out()).isTrue();
        int batches = Integer.parseInt(prepared.group(1));
        assertThat(batches).isGreaterThanOrEqualTo(2);
        assertThat(run.out()).contains("acknowledged:   0 readings in 0 batches")
                .contains("refused:        " + batches + " batches")
                .containsPattern("0x97 Quota exceeded: batch of \\d+ bytes exceeds the hub's limit of 1024 bytes; split it: "
                        + batches + " batches");
        assertThat(run.err()).isEqualTo("loadgen: FAILED: " + batches + " batches refused by the hub (see above)"
                + System.lineSeparator());
        assertThat(Http.admin(hub).metric("hub_batches_rejected_total{reason=\"quota_exceeded\"}"))
                .isEqualTo(batches);
    }

    /** Verifies that --rate paces the sending: 3,000 readings at 2,000 readings/s take at least 1 s (the last batch is due then). */
    @Test
    void rateSpacesTheBatches(Vertx vertx) throws Exception {
        hub = HubFixture.start(vertx, config(2));

        Run run = loadgen("--hub", hubUrl(), "--gateways", "2", "--readings", "3000", "--rate", "2000", "--secret", SECRET,
                "--rooms", "5", "--batch-records", "100", "--progress", "0");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        Matcher seconds = Pattern.compile("readings in [\\d,]+ batches \\(\\+ [\\d,]+ events\\) in ([\\d.]+) s").matcher(run.out());
        assertThat(seconds.find()).as(run.out()).isTrue();
        // each gateway's last batch starts after at least 1,400 of its 1,500 readings: 1.4 s at 1,000/s each
        assertThat(Double.parseDouble(seconds.group(1))).isGreaterThanOrEqualTo(1.3);
        assertThat(run.out()).contains("sending at 2,000 readings/s");
    }

    /** Verifies that --print-config prints a gateways: section the hub loads, with the generated ids, schools and secret. */
    @Test
    void printConfigPrintsGatewaysTheHubAccepts() {
        Run run = loadgen("--print-config", "--gateways", "2", "--secret", "s\"e:cret", "--school-prefix", "thcs-test");

        assertThat(run.exitCode()).isZero();
        HubConfig config = HubConfig.loadString(run.out(), Map.of());
        assertThat(config.gateways()).extracting(GatewayConfig::id, GatewayConfig::school, GatewayConfig::secret)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("loadgen-gw-0001", "thcs-test-0001", "s\"e:cret"),
                        org.assertj.core.groups.Tuple.tuple("loadgen-gw-0002", "thcs-test-0002", "s\"e:cret"));
    }

    /** Verifies that --credentials plays the gateways of the file against a hub that knows them. */
    @Test
    void credentialsFilePlaysItsGateways(Vertx vertx) throws Exception {
        hub = HubFixture.start(vertx, HubFixture.config(dir));
        Path file = Files.writeString(dir.resolve("gateways.txt"), """
                # gatewayId secret school
                %s %s %s

                %s\t%s\t%s
                """.formatted(HubFixture.GATEWAY_1, HubFixture.SECRET_1, HubFixture.SCHOOL_1,
                HubFixture.GATEWAY_2, HubFixture.SECRET_2, HubFixture.SCHOOL_2));

        Run run = loadgen("--hub", hubUrl(), "--credentials", file.toString(), "--readings", "500",
                "--rooms", "3", "--batch-records", "20", "--progress", "0");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("connected 2 gateways");
        assertThat(Http.admin(hub).metric("hub_readings_stored_total")).isEqualTo(500.0);
    }

    /** Verifies that usage errors exit 2 with one message: no secret, both secret and file, a bad hub URL. */
    @Test
    void usageErrorsExitTwo() {
        Run noSecret = loadgen("--hub", "tcp://127.0.0.1:1", "--readings", "10");
        Run both = loadgen("--hub", "tcp://127.0.0.1:1", "--readings", "10", "--secret", "x", "--credentials", "f");
        Run badUrl = loadgen("--hub", "http://127.0.0.1:1", "--readings", "10", "--secret", "x");

        assertThat(noSecret.exitCode()).isEqualTo(2);
        assertThat(noSecret.err()).contains("--secret").contains(LoadgenCommand.SECRET_ENV);
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("either --secret or --credentials");
        assertThat(badUrl.exitCode()).isEqualTo(2);
        assertThat(badUrl.err()).contains("--hub must be tcp://HOST:PORT");
    }
}
