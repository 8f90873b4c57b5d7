package org.smartschool.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.config.ConfigException;
import org.smartschool.bridge.routing.TopicRouter;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.gateway.app.Gateway;

class GatewayConfigTest {
    private final GatewayConfigLoader loader = new GatewayConfigLoader();

    private static final Map<String, String> IDS = Map.of("SS_GATEWAY_GATEWAY_ID", "gateway-1", "SS_GATEWAY_SCHOOL", "school-1");

    @Test
    void everyOptionButTheIdsHasADefault() {
        GatewayConfig config = loader.load(null, IDS);

        assertThat(config).isEqualTo(GatewayConfig.defaults());
        assertThat(config.south().url()).isEqualTo("tcp://127.0.0.1:1883");
        assertThat(config.north().url()).isEqualTo("tcp://127.0.0.1:1884");
        assertThat(config.outbox().path()).isEqualTo("gateway-outbox.db");
        assertThat(config.outbox().maxRecords()).isEqualTo(3_000_000);
        assertThat(config.uplink().batchMaxRecords()).isEqualTo(2_000);
        assertThat(config.uplink().lingerMillis()).isEqualTo(1000);
        assertThat(config.uplink().healthIntervalMillis()).isEqualTo(30_000);
        assertThat(config.southClientId()).isEqualTo("ss-gateway-gateway-1");
    }

    @Test
    void fileOverridesDefaultsKeyByKeyAndRoutesAreRead() {
        GatewayConfig config = loader.loadString("""
                gatewayId: gw-7
                school: thpt-nguyen-du
                south:
                  url: tcp://10.0.0.2:1883
                  routes:
                    - pattern: zigbee2mqtt/{room}/{device}
                      codec: zigbee2mqtt
                    - pattern: lab/fridge
                      codec: zigbee2mqtt
                      room: lab-1
                      device: fridge-1
                uplink:
                  batchMaxRecords: 200
                """, Map.of());

        assertThat(config.gatewayId()).isEqualTo("gw-7");
        assertThat(config.southClientId()).isEqualTo("ss-gateway-gw-7");
        assertThat(config.south().url()).isEqualTo("tcp://10.0.0.2:1883");
        assertThat(config.south().routes()).hasSize(2);
        assertThat(config.south().routes().get(1).room()).isEqualTo("lab-1");
        assertThat(config.uplink().batchMaxRecords()).isEqualTo(200);
        assertThat(config.uplink().lingerMillis()).isEqualTo(1000); // untouched default
        assertThat(config.north()).isEqualTo(GatewayConfig.NorthSettings.defaults());
    }

    @Test
    void environmentOverridesTheFile() {
        GatewayConfig config = loader.loadString("gatewayId: gw-1\nschool: s1\nnorth:\n  password: from-file\n",
                Map.of("SS_GATEWAY_NORTH_PASSWORD", "from-env", "SS_GATEWAY_UPLINK_BATCH_MAX_RECORDS", "50"));

        assertThat(config.north().password()).isEqualTo("from-env");
        assertThat(config.uplink().batchMaxRecords()).isEqualTo(50);
        assertThat(loader.envName("outbox.maxRecords")).isEqualTo("SS_GATEWAY_OUTBOX_MAX_RECORDS");
    }

    @Test
    void theUplinkWindowHasADefaultAnEnvironmentOverrideAndBounds() {
        GatewayConfig config = loader.loadString("gatewayId: gw-1\nschool: s1\n", Map.of());
        assertThat(config.uplink().windowBatches()).isEqualTo(4);

        config = loader.loadString("gatewayId: gw-1\nschool: s1\nuplink:\n  windowBatches: 8\n", Map.of());
        assertThat(config.uplink().windowBatches()).isEqualTo(8);
        assertThat(config.uplink().batchMaxRecords()).isEqualTo(2_000); // untouched default

        config = loader.loadString("gatewayId: gw-1\nschool: s1\nuplink:\n  windowBatches: 8\n",
                Map.of("SS_GATEWAY_UPLINK_WINDOW_BATCHES", "16"));
        assertThat(config.uplink().windowBatches()).isEqualTo(16);
        assertThat(loader.knownVariables()).contains("SS_GATEWAY_UPLINK_WINDOW_BATCHES");

        assertThatThrownBy(() -> loader.loadString("gatewayId: gw-1\nschool: s1\nuplink:\n  windowBatches: 0\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("uplink.windowBatches must be between 1 and 64: 0");
        assertThatThrownBy(() -> loader.loadString("gatewayId: gw-1\nschool: s1\n",
                Map.of("SS_GATEWAY_UPLINK_WINDOW_BATCHES", "65")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("uplink.windowBatches must be between 1 and 64: 65");
    }

    @Test
    void unknownKeyFailsWithItsPath() {
        assertThatThrownBy(() -> loader.loadString("uplink:\n  batchMaxRecrods: 10\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("uplink.batchMaxRecrods")
                .hasMessageContaining("unknown option");
    }

    @Test
    void theDeviceFloodLimitHasADefaultAFileValueAndAnEnvironmentOverride() {
        assertThat(loader.loadString("gatewayId: gw-1\nschool: s1\n", Map.of()).south().deviceMaxMessagesPerSecond())
                .isEqualTo(GatewayConfig.SouthSettings.DEFAULT_DEVICE_MAX_MESSAGES_PER_SECOND);
        assertThat(loader.loadString("gatewayId: gw-1\nschool: s1\nsouth:\n  deviceMaxMessagesPerSecond: 0\n", Map.of())
                .south().deviceMaxMessagesPerSecond()).isZero();
        assertThat(loader.loadString("gatewayId: gw-1\nschool: s1\n",
                Map.of("SS_GATEWAY_SOUTH_DEVICE_MAX_MESSAGES_PER_SECOND", "7")).south().deviceMaxMessagesPerSecond()).isEqualTo(7);
        assertThatThrownBy(() -> loader.loadString("south:\n  deviceMaxMessagesPerSecond: -1\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("south.deviceMaxMessagesPerSecond must be between 0 (no limit) and 100000: -1");
    }

    @Test
    void badValueFailsNamingTheKey() {
        assertThatThrownBy(() -> loader.loadString("uplink:\n  batchMaxRecords: 0\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("uplink.batchMaxRecords must be between 1 and 50000: 0");
        assertThatThrownBy(() -> loader.loadString("north:\n  url: http://hub\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("north.url must look like tcp://host:port");
        assertThatThrownBy(() -> loader.loadString("gatewayId: 'gw 1'\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("gatewayId: invalid gateway id 'gw 1'");
        assertThatThrownBy(() -> loader.loadString("uplink:\n  retryMinMillis: 5000\n  retryMaxMillis: 1000\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("uplink.retryMaxMillis (1000) must be at least uplink.retryMinMillis (5000)");
        assertThatThrownBy(() -> loader.loadString("outbox:\n  maxRecords: many\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("outbox.maxRecords");
    }

    @Test
    void anyValidGatewayIdYieldsValidBatchIds() {
        String id = "g".repeat(64);
        GatewayConfig config = loader.loadString("gatewayId: " + id + "\nschool: s1\n", Map.of());
        assertThat(config.gatewayId()).isEqualTo(id);
        // the longest batch id this gateway can build is still accepted
        String batchId = id + "-" + Long.MAX_VALUE + "-" + Long.MAX_VALUE;
        assertThat(new Batch(batchId, id, "s1", List.of(), List.of())
                .batchId()).hasSize(batchId.length());
        assertThatThrownBy(() -> loader.loadString("gatewayId: " + "g".repeat(65) + "\n", Map.of()))
                .hasMessageContaining("gatewayId");
    }

    @Test
    void passwordsDoNotAppearInToString() {
        GatewayConfig config = loader.loadString("gatewayId: gw-1\nschool: s1\nnorth:\n  password: s3cret\n"
                + "south:\n  password: other\n", Map.of());

        assertThat(config.toString()).doesNotContain("s3cret").doesNotContain("other").contains("***");
    }

    @Test
    void caFileComesFromTheFileOrItsEnvironmentVariable() {
        GatewayConfig fromFile = loader.loadString("gatewayId: gw-1\nschool: s1\nnorth:\n  url: ssl://hub:8883\n"
                + "  caFile: /etc/smartschool/hub-ca.pem\n", Map.of());
        GatewayConfig fromEnv = loader.loadString("gatewayId: gw-1\nschool: s1\nnorth:\n  url: ssl://hub:8883\n",
                Map.of("SS_GATEWAY_NORTH_CA_FILE", "/run/ca.pem"));
        GatewayConfig none = loader.loadString("gatewayId: gw-1\nschool: s1\nnorth:\n  url: ssl://hub:8883\n", Map.of());

        assertThat(fromFile.north().caFile()).isEqualTo("/etc/smartschool/hub-ca.pem");
        assertThat(fromFile.north().tls()).isTrue();
        assertThat(fromEnv.north().caFile()).isEqualTo("/run/ca.pem");
        assertThat(none.north().caFile()).isNull(); // the JVM's default trust store
        assertThat(GatewayConfig.defaults().north().tls()).isFalse();
        assertThat(loader.knownVariables()).contains("SS_GATEWAY_NORTH_CA_FILE").doesNotContain("SS_GATEWAY_NORTH_TLS");
    }

    @Test
    void exampleFileLoadsAndItsRoutesNameShippedCodecs() {
        GatewayConfig config = loader.load(Path.of("config/gateway.example.yaml"), Map.of());

        TopicRouter router = new TopicRouter(config.school(), config.south().routes(), CodecRegistry.standard());
        assertThat(router.subscriptions()).isNotEmpty();
        assertThat(config.north().password()).isNull(); // secrets come from the environment
        assertThat(config.north().url()).startsWith("ssl://");
        assertThat(config.north().caFile()).isEqualTo("/etc/smartschool/hub-ca.pem");
    }

    /** Verifies that a value of the wrong kind is named by its key and the kind it takes, without Java's or Jackson's words. */
    @Test
    void wrongTypeNamesTheKeyAndTheExpectedKindInPlainWords() {
        assertThatThrownBy(() -> loader.loadString("gatewayId: gw-1\nschool: s1\noutbox:\n  maxRecords: many\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageEndingWith("bad key 'outbox.maxRecords': expected a whole number, got \"many\"")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("CoercionConfig", "`", "java.", "Cannot"));
        assertThatThrownBy(() -> loader.loadString("gatewayId: gw-1\nschool: s1\nsouth:\n  routes: zigbee2mqtt/#\n", Map.of()))
                .hasMessageEndingWith("bad key 'south.routes': expected a list (lines starting with '- '), got \"zigbee2mqtt/#\"")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("ArrayList", "org.smartschool", "Creator"));
        assertThatThrownBy(() -> loader.loadString("gatewayId: gw-1\nschool: s1\nsouth:\n  acceptRetained: maybe\n", Map.of()))
                .hasMessageEndingWith("bad key 'south.acceptRetained': expected true or false, got \"maybe\"");
        assertThatThrownBy(() -> loader.loadString("gatewayId: gw-1\nschool: s1\nuplink: 5\n", Map.of()))
                .hasMessageEndingWith("bad key 'uplink': expected a section of options (key: value lines indented below it), got 5");
        assertThatThrownBy(() -> loader.loadString("gatewayId: gw-1\nschool: s1\nuplink:\n  lingerMillis: [1, 2]\n", Map.of()))
                .hasMessageEndingWith("bad key 'uplink.lingerMillis': expected a whole number, got a list");
        assertThatThrownBy(() -> loader.loadString("gatewayId: gw-1\nschool: s1\n",
                Map.of("SS_GATEWAY_UPLINK_LINGER_MILLIS", "soon")))
                .hasMessageEndingWith("bad key 'uplink.lingerMillis': expected a whole number, got \"soon\" (from SS_GATEWAY_UPLINK_LINGER_MILLIS)");
    }

    /** Verifies that a misspelt SS_GATEWAY_* variable stops the gateway as an unknown key does, instead of being ignored. */
    @Test
    void unknownEnvironmentVariableIsRefusedLikeAnUnknownKey() {
        assertThatThrownBy(() -> loader.load(null, Map.of("SS_GATEWAY_GATEWAY_ID", "gw-1", "SS_GATEWAY_SCHOOL", "s1",
                "SS_GATEWAY_NORTH_PASWORD", "x", "PATH", "/usr/bin")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("environment variable SS_GATEWAY_NORTH_PASWORD is not an option of the gateway "
                        + "(did you mean SS_GATEWAY_NORTH_PASSWORD?)");
        assertThatThrownBy(() -> loader.loadString("gatewayId: gw-1\nschool: s1\n", Map.of("SS_GATEWAY_LOG_LEVEL", "debug")))
                .hasMessageStartingWith("environment variable SS_GATEWAY_LOG_LEVEL is not an option of the gateway.");
        assertThat(loader.knownVariables()).contains("SS_GATEWAY_NORTH_PASSWORD", "SS_GATEWAY_SOUTH_CLIENT_ID",
                "SS_GATEWAY_UPLINK_RETRY_MAX_MILLIS", "SS_GATEWAY_GATEWAY_ID", "SS_GATEWAY_SCHOOL");
    }

    /** Verifies that an empty file is an error rather than a gateway called gateway-1. */
    @Test
    void emptyFileIsAnError() {
        for (String empty : List.of("", "\n\n", "# nothing but a comment\n")) {
            assertThatThrownBy(() -> loader.loadString(empty, Map.of()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining(": the file is empty: it needs at least gatewayId and school");
        }
    }

    /** Verifies that gatewayId and school have no default: a file or the environment must name them. */
    @Test
    void gatewayIdAndSchoolAreRequired() {
        assertThatThrownBy(() -> loader.loadString("school: s1\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(": gatewayId is missing: every gateway must name its own id, as registered at the hub "
                        + "(in the file, or SS_GATEWAY_GATEWAY_ID)");
        assertThatThrownBy(() -> loader.loadString("gatewayId: gw-1\nsouth:\n  maxPayloadBytes: 1024\n", Map.of()))
                .hasMessageContaining(": school is missing: every gateway must name its school (in the file, or SS_GATEWAY_SCHOOL)");
        assertThatThrownBy(() -> loader.load(null, Map.of()))
                .hasMessage("environment: gatewayId is missing: every gateway must name its own id, as registered at the hub "
                        + "(in the file, or SS_GATEWAY_GATEWAY_ID)");
        assertThat(loader.loadString("gatewayId: gw-1\n", Map.of("SS_GATEWAY_SCHOOL", "s9")).school()).isEqualTo("s9");
    }

    @Test
    void metricsEndpointIsOffByDefaultAndOnLoopbackWhenAPortIsSet() {
        assertThat(loader.loadString("gatewayId: gw-1\nschool: s1\n", Map.of()).metrics().enabled()).isFalse();
        GatewayConfig config = loader.loadString("gatewayId: gw-1\nschool: s1\n", Map.of("SS_GATEWAY_METRICS_PORT", "9464"));
        assertThat(config.metrics().port()).isEqualTo(9464);
        assertThat(config.metrics().host()).isEqualTo("127.0.0.1");
        assertThat(config.metrics().enabled()).isTrue();
        assertThatThrownBy(() -> loader.loadString("gatewayId: gw-1\nschool: s1\nmetrics:\n  port: 70000\n", Map.of()))
                .hasMessageContaining("metrics.port must be 1-65535, or 0 for no metrics endpoint: 70000");
    }

    @Test
    void theOutboxBoundsAndDiskOptionsHaveDefaultsAndAreReadFromFileAndEnvironment() {
        GatewayConfig.OutboxSettings defaults = loader.loadString("gatewayId: gw-1\nschool: s1\n", Map.of()).outbox();
        assertThat(defaults.maxBytes()).isEqualTo(1L << 30);
        assertThat(defaults.maxDeadLetters()).isEqualTo(10_000);
        assertThat(defaults.maxRefusedBatches()).isEqualTo(1_000);
        assertThat(defaults.minFreeBytes()).isEqualTo(64L << 20);
        assertThat(defaults.reserveBytes()).isEqualTo(4L << 20);
        assertThat(defaults.redeliveryWindowMillis()).isEqualTo(600_000);

        GatewayConfig config = loader.loadString("""
                gatewayId: gw-1
                school: s1
                outbox:
                  maxBytes: 104857600
                  maxRefusedBatches: 50
                  reserveBytes: 0
                """, Map.of("SS_GATEWAY_OUTBOX_MIN_FREE_BYTES", "1048576"));

        assertThat(config.outbox().maxBytes()).isEqualTo(104_857_600L);
        assertThat(config.outbox().maxRefusedBatches()).isEqualTo(50);
        assertThat(config.outbox().reserveBytes()).isZero();
        assertThat(config.outbox().minFreeBytes()).isEqualTo(1_048_576L);
        assertThat(config.outbox().maxRecords()).isEqualTo(3_000_000); // untouched default
    }

    @Test
    void theDeadLettersByteBoundDefaultsTo50MbAndIsReadFromFileAndEnvironment() {
        GatewayConfig.OutboxSettings defaults = loader.loadString("gatewayId: gw-1\nschool: s1\n", Map.of()).outbox();
        assertThat(defaults.maxDeadLetterBytes()).isEqualTo(50L << 20);
        assertThat(Gateway.outboxLimits(defaults).maxDeadLetterBytes()).isEqualTo(50L << 20);

        GatewayConfig fromFile = loader.loadString("gatewayId: gw-1\nschool: s1\noutbox:\n  maxDeadLetterBytes: 2097152\n", Map.of());
        assertThat(fromFile.outbox().maxDeadLetterBytes()).isEqualTo(2_097_152L);
        assertThat(Gateway.outboxLimits(fromFile.outbox()).maxDeadLetterBytes()).isEqualTo(2_097_152L);
        GatewayConfig fromEnv = loader.loadString("gatewayId: gw-1\nschool: s1\n",
                Map.of("SS_GATEWAY_OUTBOX_MAX_DEAD_LETTER_BYTES", "1048576"));
        assertThat(fromEnv.outbox().maxDeadLetterBytes()).isEqualTo(1_048_576L);
        assertThatThrownBy(() -> loader.loadString("gatewayId: gw-1\nschool: s1\noutbox:\n  maxDeadLetterBytes: 5\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("outbox.maxDeadLetterBytes must be at least 1024: 5");
    }

    @Test
    void aTooSmallByteBoundNamesItsKey() {
        assertThatThrownBy(() -> loader.loadString("gatewayId: gw-1\nschool: s1\noutbox:\n  maxBytes: 10\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("outbox.maxBytes must be at least 1024: 10");
    }
}
