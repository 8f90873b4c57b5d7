package org.smartschool.gateway.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.smartschool.gateway.telemetry.SystemStats;

class HealthReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SystemStats.Snapshot SYSTEM = new SystemStats.Snapshot(OptionalDouble.of(48.3),
            OptionalLong.of(5_000_000_000L), OptionalLong.of(30_000_000_000L), 20_000_000, 64_000_000,
            OptionalLong.of(90_000_000));

    @Test
    void serializesTheProtocolFields() throws Exception {
        HealthReport report = new HealthReport("g1", "s1", "0.1.0", 1_760_000_000_000L, 12, true, false,
                3, OptionalLong.of(1_759_999_940_000L), 2,
                Map.of("south_messages", 7L, "decode_errors", 1L, "batch_retries", 4L),
                Map.of("south_qos0_queue_full", 5L), Map.of("zigbee2mqtt", 1L), Map.of("mqtt", 2L),
                Map.of("r101/air", 1_759_999_999_000L), SYSTEM, OptionalLong.of(7), "not JSON", null);

        JsonNode json = JSON.readTree(report.toJson());

        assertThat(json.get("gateway").asText()).isEqualTo("g1");
        assertThat(json.get("school").asText()).isEqualTo("s1");
        assertThat(json.get("version").asText()).isEqualTo("0.1.0");
        assertThat(json.get("time").asLong()).isEqualTo(1_760_000_000_000L);
        assertThat(json.get("uptimeSeconds").asLong()).isEqualTo(12);
        assertThat(json.get("online").asBoolean()).isTrue();
        assertThat(json.get("links").get("south").asBoolean()).isTrue();
        assertThat(json.get("links").get("north").asBoolean()).isFalse();
        assertThat(json.get("outboxRecords").asLong()).isEqualTo(3);
        assertThat(json.get("outboxOldestMillis").asLong()).isEqualTo(1_759_999_940_000L);
        assertThat(json.get("outboxOldestAgeSeconds").asLong()).isEqualTo(60);
        assertThat(json.get("outboxDeadLetters").asLong()).isEqualTo(2);
        assertThat(json.get("counters").get("south_messages").asLong()).isEqualTo(7);
        assertThat(json.get("counters").get("batch_retries").asLong()).isEqualTo(4);
        assertThat(json.get("drops").get("south_qos0_queue_full").asLong()).isEqualTo(5);
        assertThat(json.get("decodeErrors").get("zigbee2mqtt").asLong()).isEqualTo(1);
        assertThat(json.get("unknownDevices").get("mqtt").asLong()).isEqualTo(2);
        assertThat(json.get("devices").get("r101/air").asLong()).isEqualTo(1_759_999_999_000L);
        assertThat(json.get("system").get("cpuTemperatureCelsius").asDouble()).isEqualTo(48.3);
        assertThat(json.get("system").get("diskFreeBytes").asLong()).isEqualTo(5_000_000_000L);
        assertThat(json.get("system").get("diskTotalBytes").asLong()).isEqualTo(30_000_000_000L);
        assertThat(json.get("system").get("heapUsedBytes").asLong()).isEqualTo(20_000_000);
        assertThat(json.get("system").get("heapMaxBytes").asLong()).isEqualTo(64_000_000);
        assertThat(json.get("system").get("rssBytes").asLong()).isEqualTo(90_000_000);
        assertThat(json.get("desiredConfig").get("version").asLong()).isEqualTo(7);
        assertThat(json.get("desiredConfig").get("refusal").asText()).isEqualTo("not JSON");
    }

    @Test
    void whatIsUnknownIsNull() throws Exception {
        HealthReport report = new HealthReport("g1", "s1", "dev", 1L, 0, false, false, 0, OptionalLong.empty(), 0,
                Map.of(), Map.of(), Map.of(), Map.of(), Map.of(),
                new SystemStats.Snapshot(OptionalDouble.empty(), OptionalLong.empty(), OptionalLong.empty(), 1, 2,
                        OptionalLong.empty()), OptionalLong.empty(), null, null);

        JsonNode json = JSON.readTree(report.toJson());

        for (String field : new String[] {"outboxOldestMillis", "outboxOldestAgeSeconds"}) {
            assertThat(json.get(field).isNull()).as(field).isTrue();
        }
        for (String field : new String[] {"cpuTemperatureCelsius", "diskFreeBytes", "diskTotalBytes", "rssBytes"}) {
            assertThat(json.get("system").get(field).isNull()).as(field).isTrue();
        }
        assertThat(json.get("desiredConfig").get("version").isNull()).isTrue();
        assertThat(json.get("desiredConfig").get("refusal").isNull()).isTrue();
        assertThat(json.get("devices").size()).isZero();
    }

    @Test
    void theWillSaysTheGatewayIsOffline() throws Exception {
        JsonNode will = JSON.readTree(HealthReport.offlineWill("g1", "s1", 1_760_000_000_000L));

        assertThat(will.get("gateway").asText()).isEqualTo("g1");
        assertThat(will.get("school").asText()).isEqualTo("s1");
        assertThat(will.get("time").asLong()).isEqualTo(1_760_000_000_000L);
        assertThat(will.get("online").asBoolean()).isFalse();
        assertThat(will.size()).isEqualTo(4);
    }

    @Test
    void aFullDiskIsSaidPlainly() throws Exception {
        JsonNode healthy = JSON.readTree(report(null).toJson());
        JsonNode full = JSON.readTree(report("disk full: 1024 bytes free for outbox /var/lib/x.db").toJson());

        assertThat(healthy.get("diskFull").asBoolean()).isFalse();
        assertThat(healthy.has("diskFullReason")).isFalse();
        assertThat(full.get("diskFull").asBoolean()).isTrue();
        assertThat(full.get("diskFullReason").asText()).isEqualTo("disk full: 1024 bytes free for outbox /var/lib/x.db");
        assertThat(full.get("drops").get("outbox_max_records").asLong()).isEqualTo(4);
    }

    private static HealthReport report(String diskFullReason) {
        return new HealthReport("g1", "s1", "dev", 1L, 0, true, true, 0, OptionalLong.empty(), 0,
                Map.of(), Map.of("outbox_max_records", 4L), Map.of(), Map.of(), Map.of(), SYSTEM, OptionalLong.empty(),
                null, diskFullReason);
    }
}
