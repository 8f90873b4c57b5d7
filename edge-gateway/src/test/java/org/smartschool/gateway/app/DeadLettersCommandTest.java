package org.smartschool.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.codec.RawMessage;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.EventType;
import org.smartschool.gateway.outbox.DeadLetter;
import org.smartschool.gateway.outbox.Outbox;
import org.smartschool.gateway.outbox.OutboxBatch;
import org.smartschool.gateway.outbox.OutboxLimits;
import org.smartschool.gateway.support.Records;
import picocli.CommandLine;

/** Verifies {@code edge-gateway dead-letters list|export|replay} on a real outbox file. */
@Timeout(60)
class DeadLettersCommandTest {
    private static final byte[] TAP = "UID: 04 A2 2B 1C\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] GARBAGE = {(byte) 0xC3, 0x28, 0x00};
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private Path config;
    private Path outboxFile;

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = GatewayMain.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private Outbox openOutbox() {
        return Outbox.open(outboxFile, OutboxLimits.defaults().withDisk(0, 0));
    }

    /**
     * An outbox as a gateway without a route for the door reader left it: the reader's tap is a
     * dead letter (unknown device), so is a garbage frame, and the hub refused one batch.
     */
    @BeforeEach
    void setUp() throws Exception {
        outboxFile = dir.resolve("outbox.db");
        config = dir.resolve("gateway.yaml");
        // the fixed configuration: a route for the door readers now exists
        Files.writeString(config, "gatewayId: gw-1\nschool: s1\n"
                + "south:\n  routes:\n    - pattern: doors/{room}/{device}\n      codec: card-reader\n"
                + "outbox:\n  path: " + outboxFile + "\n  minFreeBytes: 0\n  reserveBytes: 0\n");
        try (Outbox outbox = openOutbox()) {
            outbox.deadLetter(List.of(
                    DeadLetter.of(new RawMessage("doors/r7/door-7", "text/plain", TAP, Records.T0), TAP,
                            "unknown device: no route matches doors/r7/door-7"),
                    DeadLetter.of(new RawMessage("junk/x", null, GARBAGE, Records.T0 + 1), GARBAGE,
                            "unknown device: no route matches junk/x")));
            outbox.append(Records.co2("s1", "r1", 2), List.of());
            outbox.moveToRefusedBatches(outbox.peek(10).lastSeq(), "gw-1-7-8", "ss/v1/s1/gw-1/batch",
                    "hub refused the batch: 0x99 Payload format invalid: unknown quantity");
        }
    }

    @Test
    void listShowsBothKindsNewestFirst() {
        Run result = run("dead-letters", "list", "--config", config.toString());

        assertThat(result.exitCode()).isZero();
        List<String> lines = result.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("frame 2 ").contains(" junk/x 3 bytes: unknown device");
        assertThat(lines.get(1)).startsWith("frame 1 ").contains(" doors/r7/door-7 18 bytes text/plain: unknown device");
        assertThat(lines.get(2)).startsWith("batch 1 ").contains(" gw-1-7-8 2 records: hub refused the batch: 0x99");

        Run batchesOnly = run("dead-letters", "list", "--config", config.toString(), "--kind", "batches");
        assertThat(batchesOnly.out().lines()).singleElement().asString().startsWith("batch 1 ");
    }

    @Test
    void exportWritesJsonLinesWithTheExactPayloadBytesAndTheRecords() throws Exception {
        Path file = dir.resolve("export.jsonl");

        Run result = run("dead-letters", "export", "--config", config.toString(), "--out", file.toString());

        assertThat(result.exitCode()).isZero();
        assertThat(result.err()).contains("3 dead letters written to " + file);
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(3);
        JsonNode tap = JSON.readTree(lines.get(0));
        assertThat(tap.get("type").asText()).isEqualTo("device-frame");
        assertThat(tap.get("topic").asText()).isEqualTo("doors/r7/door-7");
        assertThat(tap.get("contentType").asText()).isEqualTo("text/plain");
        assertThat(tap.get("receivedAt").asLong()).isEqualTo(Records.T0);
        assertThat(Base64.getDecoder().decode(tap.get("payloadBase64").asText())).containsExactly(TAP);
        JsonNode garbage = JSON.readTree(lines.get(1));
        assertThat(Base64.getDecoder().decode(garbage.get("payloadBase64").asText())).containsExactly(GARBAGE);
        assertThat(garbage.get("contentType").isNull()).isTrue();
        JsonNode batch = JSON.readTree(lines.get(2));
        assertThat(batch.get("type").asText()).isEqualTo("refused-batch");
        assertThat(batch.get("batchId").asText()).isEqualTo("gw-1-7-8");
        assertThat(batch.get("records")).hasSize(2);
        assertThat(batch.get("records").get(1).get("kind").asText()).isEqualTo("reading");
        assertThat(batch.get("records").get(1).get("record").get("value").asDouble()).isEqualTo(401.0);
    }

    @Test
    void replayPutsFramesThroughTheIntakeAndBatchesBackIntoTheOutbox() {
        Run result = run("dead-letters", "replay", "--config", config.toString());

        // the garbage frame still has no route: exit 1, and it stays
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("frame 2 still fails: unknown device")
                .contains("device frames: 1 replayed (1 records into the outbox), 1 still in the dead letters")
                .contains("refused batches: 1 replayed (2 records back in the outbox), 0 left");
        try (Outbox outbox = openOutbox()) {
            assertThat(outbox.deadLetters(10)).singleElement().extracting(DeadLetter::topic).isEqualTo("junk/x");
            assertThat(outbox.refusedBatchCount()).isZero();
            OutboxBatch back = outbox.peek(10);
            assertThat(back.readings()).containsExactlyElementsOf(Records.co2("s1", "r1", 2));
            DeviceEvent tap = back.events().get(0);
            assertThat(tap.type()).isEqualTo(EventType.CARD_TAP);
            assertThat(tap.room()).isEqualTo("r7");
            assertThat(tap.timestamp()).isEqualTo(Records.T0); // the original receive time
        }
    }

    @Test
    void replayOfChosenIdsNeedsAKindAndTouchesNothingElse() {
        assertThat(run("dead-letters", "replay", "--config", config.toString(), "--id", "1").exitCode()).isEqualTo(2);

        Run result = run("dead-letters", "replay", "--config", config.toString(), "--kind", "batches", "--id", "1");

        assertThat(result.exitCode()).isZero();
        try (Outbox outbox = openOutbox()) {
            assertThat(outbox.size()).isEqualTo(2);
            assertThat(outbox.deadLetterCount()).isEqualTo(2);
        }
    }

    @Test
    void replayRefusesWhileTheGatewayHasTheOutboxOpen() {
        try (Outbox running = openOutbox()) {
            Run result = run("dead-letters", "replay", "--config", config.toString());

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err()).contains("is in use by a running gateway").contains("stop the gateway first");
            // list and export read beside a running gateway
            assertThat(run("dead-letters", "list", "--config", config.toString()).exitCode()).isZero();
        }
    }
}
