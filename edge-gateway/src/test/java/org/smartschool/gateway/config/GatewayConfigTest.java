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

class GatewayConfigTest {
    private final GatewayConfigLoader loader = new GatewayConfigLoader();

    @Test
    void everyOptionHasADefault() {
        GatewayConfig config = loader.load(null, Map.of());

        assertThat(config).isEqualTo(GatewayConfig.defaults());
        assertThat(config.south().url()).isEqualTo("tcp://127.0.0.1:1883");
        assertThat(config.north().url()).isEqualTo("tcp://127.0.0.1:1884");
        assertThat(config.outbox().path()).isEqualTo("gateway-outbox.db");
        assertThat(config.outbox().maxRecords()).isEqualTo(1_000_000);
        assertThat(config.uplink().batchMaxRecords()).isEqualTo(500);
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
        GatewayConfig config = loader.loadString("north:\n  password: from-file\n",
                Map.of("SS_GATEWAY_NORTH_PASSWORD", "from-env", "SS_GATEWAY_UPLINK_BATCH_MAX_RECORDS", "50"));

        assertThat(config.north().password()).isEqualTo("from-env");
        assertThat(config.uplink().batchMaxRecords()).isEqualTo(50);
        assertThat(loader.envName("outbox.maxRecords")).isEqualTo("SS_GATEWAY_OUTBOX_MAX_RECORDS");
    }

    @Test
    void unknownKeyFailsWithItsPath() {
        assertThatThrownBy(() -> loader.loadString("uplink:\n  batchMaxRecrods: 10\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("uplink.batchMaxRecrods")
                .hasMessageContaining("unknown option");
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
        GatewayConfig config = loader.loadString("gatewayId: " + id + "\n", Map.of());
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
        GatewayConfig config = loader.loadString("north:\n  password: s3cret\nsouth:\n  password: other\n", Map.of());

        assertThat(config.toString()).doesNotContain("s3cret").doesNotContain("other").contains("***");
    }

    @Test
    void exampleFileLoadsAndItsRoutesNameShippedCodecs() {
        GatewayConfig config = loader.load(Path.of("config/gateway.example.yaml"), Map.of());

        TopicRouter router = new TopicRouter(config.school(), config.south().routes(), CodecRegistry.standard());
        assertThat(router.subscriptions()).isNotEmpty();
        assertThat(config.north().password()).isNull(); // secrets come from the environment
    }

    @Test
    void theOutboxBoundsAndDiskOptionsHaveDefaultsAndAreReadFromFileAndEnvironment() {
        GatewayConfig.OutboxSettings defaults = loader.load(null, Map.of()).outbox();
        assertThat(defaults.maxBytes()).isEqualTo(1L << 30);
        assertThat(defaults.maxDeadLetters()).isEqualTo(10_000);
        assertThat(defaults.maxRefusedBatches()).isEqualTo(1_000);
        assertThat(defaults.minFreeBytes()).isEqualTo(64L << 20);
        assertThat(defaults.reserveBytes()).isEqualTo(4L << 20);
        assertThat(defaults.redeliveryWindowMillis()).isEqualTo(600_000);

        GatewayConfig config = loader.loadString("""
                outbox:
                  maxBytes: 104857600
                  maxRefusedBatches: 50
                  reserveBytes: 0
                """, Map.of("SS_GATEWAY_OUTBOX_MIN_FREE_BYTES", "1048576"));

        assertThat(config.outbox().maxBytes()).isEqualTo(104_857_600L);
        assertThat(config.outbox().maxRefusedBatches()).isEqualTo(50);
        assertThat(config.outbox().reserveBytes()).isZero();
        assertThat(config.outbox().minFreeBytes()).isEqualTo(1_048_576L);
        assertThat(config.outbox().maxRecords()).isEqualTo(1_000_000); // untouched default
    }

    @Test
    void aTooSmallByteBoundNamesItsKey() {
        assertThatThrownBy(() -> loader.loadString("outbox:\n  maxBytes: 10\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("outbox.maxBytes must be at least 1024: 10");
    }
}
