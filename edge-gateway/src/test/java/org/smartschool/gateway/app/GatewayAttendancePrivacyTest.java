package org.smartschool.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.gateway.config.CoapSettings;
import org.smartschool.gateway.config.GatewayConfig;
import org.smartschool.gateway.support.AttendanceFixture;
import org.smartschool.gateway.support.Poll;
import org.smartschool.gateway.testsupport.LibcoapClient;
import org.smartschool.gateway.uplink.DesiredConfigStore;

/**
 * The privacy scan of issue 9 at the gateway: after a simulated morning (every learner's card, an
 * unknown and a revoked card, a malformed frame, the cut-off's absences, a refused configuration),
 * no learner id and no card UID is in the gateway's log lines, its metrics scrape, its health report,
 * and no UID in any file it wrote.
 */
@Timeout(90)
class GatewayAttendancePrivacyTest {
    @TempDir
    Path dir;

    @Test
    void noLearnerIdNorCardUidLeavesInLogsMetricsOrHealth() throws Exception {
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logs = new ListAppender<>();
        logs.setContext(logging);
        logs.start();
        root.addAppender(logs);
        try {
            morning();
        } finally {
            root.detachAppender(logs);
        }
    }

    private void morning() throws Exception {
        LibcoapClient client = LibcoapClient.find();
        Path outbox = dir.resolve("outbox.db");
        new DesiredConfigStore(DesiredConfigStore.nextTo(outbox)).store(
                AttendanceFixture.desiredConfig(4, AttendanceFixture.startingNow()).getBytes(StandardCharsets.UTF_8));
        GatewayConfig config = new GatewayConfig("gw-privacy", "school-privacy",
                GatewayConfig.SouthSettings.defaults().withUrl("tcp://127.0.0.1:1"),
                new GatewayConfig.NorthSettings("tcp://127.0.0.1:1", "secret"),
                new GatewayConfig.OutboxSettings(outbox.toString(), 10_000, 100),
                GatewayConfig.UplinkSettings.defaults(), null,
                CoapSettings.defaults().withPorts("127.0.0.1", 0, true, 0).withEnabled(true)
                        .withRoutes(List.of(new CoapSettings.Route("doors/{room}/{device}", null, "card-reader", null, null))),
                null);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AtomicLong clock = new AtomicLong(System.currentTimeMillis());
        List<String> uids = new ArrayList<>();
        for (String learner : AttendanceFixture.ALL) {
            uids.add(AttendanceFixture.uid(learner));
        }
        uids.add(AttendanceFixture.REVOKED_UID);
        uids.add("04999999");
        String health;
        String scrape;
        try (Gateway gateway = Gateway.start(config, CodecRegistry.standard(), registry, clock::get)) {
            int port = gateway.coapServer().port();
            List<String> frames = new ArrayList<>();
            for (String uid : uids) {
                frames.add("{\"uid\":\"" + uid.replaceAll("(..)(?!$)", "$1:") + "\"}");
            }
            frames.add("{\"uid\":\"" + uids.get(0) + "\", oops}"); // malformed JSON around a real UID: a dead letter
            for (String frame : frames) {
                client.run(Duration.ofSeconds(20), "-B", "10", "-m", "post", "-t", "50", "-e", frame,
                        "coap://127.0.0.1:" + port + "/doors/r101/reader-r101");
            }
            clock.addAndGet(25 * 60_000L); // past the cut-off
            Poll.until(Duration.ofSeconds(20), "absences decided",
                    () -> gateway.attendance().counters().unexcusedAbsences() + gateway.attendance().counters().excusedAbsences() > 0);
            assertThat(gateway.attendance().counters().taps()).isEqualTo(uids.size());
            assertThat(gateway.attendance().counters().revokedCards()).isEqualTo(1);
            assertThat(gateway.attendance().counters().unknownCards()).isEqualTo(1);
            assertThat(gateway.outbox().deadLetterCount()).as("the malformed frame").isEqualTo(1);
            // a refused version: its message names keys, never a learner
            gateway.remoteConfiguration().receive(AttendanceFixture.desiredConfig(5, AttendanceFixture.attendanceJson()
                    .replace("\"id\": \"" + AttendanceFixture.LATE + "\"", "\"id\": \"" + AttendanceFixture.LATE + "0\""))
                    .getBytes(StandardCharsets.UTF_8));
            Poll.until(Duration.ofSeconds(20), "version 5 refused", () -> gateway.remoteConfiguration().refusal() != null);
            health = new String(gateway.healthReport().toJson(), StandardCharsets.UTF_8);
            scrape = registry.scrape();
            assertThat(scrape).contains("gateway_attendance_taps_total");
        }
        List<String> lines = new ArrayList<>();
        // every log line the gateway wrote
        for (ILoggingEvent e : logsOf()) {
            lines.add(e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy())));
        }
        assertThat(lines).as("the gateway logged").isNotEmpty();
        List<String> secrets = new ArrayList<>(AttendanceFixture.ALL);
        for (String uid : uids) {
            secrets.add(uid);
            secrets.add(uid.replaceAll("(..)(?!$)", "$1:"));
        }
        for (String secret : secrets) {
            assertThat(lines).as("log lines").noneMatch(l -> l.toUpperCase().contains(secret));
            assertThat(scrape).as("metrics").doesNotContain(secret);
            assertThat(health.toUpperCase()).as("health report").doesNotContain(secret);
        }
        assertThat(health).contains("\"attendance_taps\":" + uids.size());
        // and no UID in any file the gateway wrote (the outbox, its dead letters, the stored configuration)
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).toUpperCase();
                for (String uid : uids) {
                    assertThat(content).as("%s", file.getFileName()).doesNotContain(uid)
                            .doesNotContain(uid.replaceAll("(..)(?!$)", "$1:"));
                }
            }
        }
    }

    private ListAppender<ILoggingEvent> logs;

    private List<ILoggingEvent> logsOf() {
        synchronized (logs) {
            return List.copyOf(logs.list);
        }
    }
}
