package org.smartschool.gateway.support;

import java.nio.file.Path;
import java.util.List;

import org.smartschool.bridge.routing.TopicRoute;
import org.smartschool.gateway.config.CoapSettings;
import org.smartschool.gateway.config.GatewayConfig;

/**
 * The gateway.yaml the gateway tests start from: ids made unique by a run id, the devices' broker,
 * an outbox in the test's directory and short uplink timings. Each test sets what it is about.
 */
public final class TestGatewayConfig {
    private final String run;
    private final String broker;
    private final Path dir;
    private String north;
    private List<TopicRoute> routes = List.of();
    private long lingerMillis = 50;
    private long retryMaxMillis = 1_000;
    private long healthIntervalMillis = 60_000;
    private int maxMessagesPerSecond = GatewayConfig.SouthSettings.defaults().deviceMaxMessagesPerSecond();
    private CoapSettings coap;

    private TestGatewayConfig(String run, String broker, Path dir) {
        this.run = run;
        this.broker = broker;
        this.dir = dir;
        this.north = broker;
    }

    /** Gateway {@code gw-<run>} of school {@code school-<run>}, its outbox {@code dir/outbox.db}. */
    public static TestGatewayConfig of(String run, String broker, Path dir) {
        return new TestGatewayConfig(run, broker, dir);
    }

    /** The hub's MQTT URL (a TcpProxy's, to cut the link); the devices' broker by default. */
    public TestGatewayConfig north(String url) {
        this.north = url;
        return this;
    }

    public TestGatewayConfig routes(TopicRoute... value) {
        this.routes = List.of(value);
        return this;
    }

    public TestGatewayConfig lingerMillis(long value) {
        this.lingerMillis = value;
        return this;
    }

    public TestGatewayConfig retryMaxMillis(long value) {
        this.retryMaxMillis = value;
        return this;
    }

    public TestGatewayConfig healthIntervalMillis(long value) {
        this.healthIntervalMillis = value;
        return this;
    }

    public TestGatewayConfig deviceMaxMessagesPerSecond(int value) {
        this.maxMessagesPerSecond = value;
        return this;
    }

    public TestGatewayConfig coap(CoapSettings value) {
        this.coap = value;
        return this;
    }

    public GatewayConfig build() {
        return new GatewayConfig("gw-" + run, "school-" + run,
                GatewayConfig.SouthSettings.defaults().withUrl(broker).withRoutes(routes)
                        .withDeviceMaxMessagesPerSecond(maxMessagesPerSecond),
                new GatewayConfig.NorthSettings(north, "secret"),
                new GatewayConfig.OutboxSettings(dir.resolve("outbox.db").toString(), 10_000, 100),
                new GatewayConfig.UplinkSettings(500, lingerMillis, 100, retryMaxMillis, healthIntervalMillis, 2_000),
                null, coap, null);
    }
}
