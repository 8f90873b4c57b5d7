package org.smartschool.gateway.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.OptionalLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class HealthReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void serializesTheProtocolFields() throws Exception {
        HealthReport report = new HealthReport("g1", "s1", 1_760_000_000_000L, 12, 3, OptionalLong.of(1_759_999_999_000L),
                Map.of("south_messages", 7L, "decode_errors", 1L, "unknown_devices", 0L, "batches_sent", 2L,
                        "batches_rejected", 0L));

        JsonNode json = JSON.readTree(report.toJson());

        assertThat(json.get("gateway").asText()).isEqualTo("g1");
        assertThat(json.get("school").asText()).isEqualTo("s1");
        assertThat(json.get("time").asLong()).isEqualTo(1_760_000_000_000L);
        assertThat(json.get("uptimeSeconds").asLong()).isEqualTo(12);
        assertThat(json.get("outboxRecords").asLong()).isEqualTo(3);
        assertThat(json.get("outboxOldestMillis").asLong()).isEqualTo(1_759_999_999_000L);
        assertThat(json.get("counters").get("south_messages").asLong()).isEqualTo(7);
        assertThat(json.get("counters").get("decode_errors").asLong()).isEqualTo(1);
        assertThat(json.get("counters").get("batches_sent").asLong()).isEqualTo(2);
    }

    @Test
    void anEmptyOutboxHasANullOldestTime() throws Exception {
        HealthReport report = new HealthReport("g1", "s1", 1L, 0, 0, OptionalLong.empty(), Map.of());

        JsonNode json = JSON.readTree(report.toJson());

        assertThat(json.has("outboxOldestMillis")).isTrue();
        assertThat(json.get("outboxOldestMillis").isNull()).isTrue();
    }

    @Test
    void aFullDiskIsSaidPlainly() throws Exception {
        JsonNode healthy = JSON.readTree(new HealthReport("g1", "s1", 1L, 0, 0, OptionalLong.empty(), Map.of()).toJson());
        JsonNode full = JSON.readTree(new HealthReport("g1", "s1", 1L, 0, 0, OptionalLong.empty(),
                Map.of("dropped_outbox_max_records", 4L), "disk full: 1024 bytes free for outbox /var/lib/x.db").toJson());

        assertThat(healthy.get("diskFull").asBoolean()).isFalse();
        assertThat(healthy.has("diskFullReason")).isFalse();
        assertThat(full.get("diskFull").asBoolean()).isTrue();
        assertThat(full.get("diskFullReason").asText()).isEqualTo("disk full: 1024 bytes free for outbox /var/lib/x.db");
        assertThat(full.get("counters").get("dropped_outbox_max_records").asLong()).isEqualTo(4);
    }
}
