package org.smartschool.gateway.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class MetricsServerTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void servesTheCountersInPrometheusTextOnLoopback() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        GatewayMetrics metrics = new GatewayMetrics(registry, "gw-1");
        metrics.southMessages().increment(3);
        metrics.dropped("south_qos0_queue_full").increment(2);
        metrics.gauge("gateway_outbox_records", "waiting", () -> 42);
        try (MetricsServer server = MetricsServer.start("127.0.0.1", 0, registry)) {
            HttpResponse<String> response = get(server.port(), "/metrics", "GET");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(response.body())
                    .contains("gateway_south_messages_total{gateway=\"gw-1\"} 3.0")
                    .contains("gateway_dropped_total{gateway=\"gw-1\",reason=\"south_qos0_queue_full\"} 2.0")
                    .contains("gateway_outbox_records{gateway=\"gw-1\"} 42.0")
                    .contains("gateway_unknown_devices_total{gateway=\"gw-1\",source=\"mqtt\"} 0.0");
            assertThat(get(server.port(), "/", "GET").statusCode()).isEqualTo(404);
            assertThat(get(server.port(), "/metrics", "DELETE").statusCode()).isEqualTo(405);
        }
    }

    @Test
    void aPortInUseIsNamed() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> MetricsServer.start("127.0.0.1", port, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)))
                    .isInstanceOf(PortInUseException.class)
                    .hasMessage("port " + port + " on 127.0.0.1 (metrics.port) is already in use by another program: "
                            + "stop it, or set metrics.port to a free port");
        }
    }

    private HttpResponse<String> get(int port, String path, String method) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
