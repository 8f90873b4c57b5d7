package org.smartschool.gateway.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.uplink.BatchCodec;
import org.smartschool.gateway.config.GatewayConfig;
import org.smartschool.gateway.outbox.Outbox;
import org.smartschool.gateway.telemetry.GatewayMetrics;

/** docs/protocol.md section 3.1 and the report the gateway builds agree: every field and every counter is described. */
class HealthReportDocTest {
    @TempDir
    Path dir;

    @Test
    void everyFieldAndCounterOfTheReportIsInTheProtocolDoc() throws Exception {
        String section = healthSection();
        JsonNode report;
        Map<String, Long> counters;
        try (Outbox outbox = Outbox.open(dir.resolve("outbox.db"), 100, 10)) {
            GatewayConfig config = new GatewayConfig("g1", "s1", GatewayConfig.SouthSettings.defaults(),
                    GatewayConfig.NorthSettings.defaults(), new GatewayConfig.OutboxSettings(dir.resolve("outbox.db").toString(), 100, 10),
                    GatewayConfig.UplinkSettings.defaults());
            Uplink uplink = new Uplink(config, outbox, new GatewayMetrics(new SimpleMeterRegistry(), "g1"), new BatchCodec(),
                    new DesiredConfigStore(dir.resolve("desired.json")));
            HealthReport built = uplink.healthReport();
            counters = built.counters();
            report = new ObjectMapper().readTree(built.toJson());
        }
        List<String> fields = new ArrayList<>();
        collect(report, "", fields);
        assertThat(fields).hasSizeGreaterThan(20);
        for (String field : fields) {
            assertThat(section).as("docs/protocol.md 3.1 describes %s", field)
                    .containsAnyOf("| `" + field + "` |", "| `" + field + "`,", ", `" + field + "` |");
        }
        assertThat(counters).hasSizeGreaterThanOrEqualTo(11);
        for (String counter : counters.keySet()) {
            assertThat(section).as("counter %s in the counters table", counter).contains("| `" + counter + "` |");
            assertThat(report.get("counters").has(counter)).isTrue();
        }
    }

    /** Leaf fields as dotted paths; the maps keyed by data (counters, drops, devices ...) count as one field. */
    private static void collect(JsonNode node, String path, List<String> out) {
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            boolean keyedByData = List.of("counters", "drops", "decodeErrors", "unknownDevices", "devices",
                    "coap.refused", "coap.dtlsFailures", "wired.devices").contains(name);
            if (field.getValue().isObject() && !keyedByData) {
                collect(field.getValue(), name, out);
            } else {
                out.add(name);
            }
        }
    }

    private static String healthSection() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.exists(root.resolve("docs/protocol.md"))) {
            root = root.getParent();
        }
        assertThat(root).as("docs/protocol.md above the working directory").isNotNull();
        String doc = Files.readString(root.resolve("docs/protocol.md"), StandardCharsets.UTF_8);
        int start = doc.indexOf("### 3.1 Health");
        int end = doc.indexOf("### 3.2");
        assertThat(start).isNotNegative();
        return doc.substring(start, end);
    }
}
