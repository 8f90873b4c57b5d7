package org.smartschool.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.routing.TopicRoute;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.bridge.uplink.BatchCodec;
import org.smartschool.bridge.uplink.UplinkTopics;
import org.smartschool.gateway.config.GatewayConfig;
import org.smartschool.gateway.support.BrokerClients;
import org.smartschool.gateway.support.Poll;
import org.smartschool.gateway.support.SmallFileSystem;
import org.smartschool.gateway.support.TestJsonCodec;
import org.smartschool.gateway.testsupport.TcpProxy;
import org.smartschool.gateway.testsupport.TestBroker;

/**
 * Verifies the "disk full" fault with a real Mosquitto and the outbox on an 8 MB tmpfs:
 * the disk fills while the hub is away, then fills completely; the gateway stops taking device
 * messages (the broker keeps them, the connection stays up), says "disk full", deletes what the
 * hub acknowledges even on a full disk, and takes everything again by itself once space returns.
 * Every message the broker acknowledged to the device reaches the hub.
 */
@Timeout(240)
class DiskFullTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final CodecRegistry CODECS = new CodecRegistry(List.of(new TestJsonCodec()));
    private static final long MIN_FREE = 2L << 20;
    private static final long RESERVE = 512L << 10;

    @TempDir
    Path dir;
    private SmallFileSystem disk;
    private String broker;
    private String run;
    private TcpProxy north;
    private Gateway gateway;
    private GatewayConfig config;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger gatewayLogger = (Logger) LoggerFactory.getLogger("org.smartschool.gateway");

    @BeforeEach
    void setUp() throws Exception {
        broker = TestBroker.mqttUrl();
        disk = SmallFileSystem.mount(dir.resolve("small"), 8);
        run = UUID.randomUUID().toString().substring(0, 8);
        north = new TcpProxy(broker);
        config = new GatewayConfig("gw-" + run, "school-" + run,
                GatewayConfig.SouthSettings.defaults().withUrl(broker)
                        .withRoutes(List.of(new TopicRoute("t-" + run + "/{room}/{device}", TestJsonCodec.NAME)))
                        // one device fills the disk in seconds, far beyond any sensor's rate: no flood limit here
                        .withDeviceMaxMessagesPerSecond(0),
                new GatewayConfig.NorthSettings(north.url(), "secret"),
                new GatewayConfig.OutboxSettings(disk.path().resolve("outbox.db").toString(), 1_000_000, 100)
                        .withDisk(MIN_FREE, RESERVE),
                new GatewayConfig.UplinkSettings(500, 100, 100, 1000, 60_000, 5000));
        log.start();
        gatewayLogger.addAppender(log);
    }

    @AfterEach
    void tearDown() throws Exception {
        gatewayLogger.detachAppender(log);
        if (gateway != null) {
            gateway.close();
        }
        if (north != null) {
            north.close();
        }
        if (config != null) {
            BrokerClients.forgetSession(broker, config.southClientId());
        }
        if (disk != null) {
            disk.close();
        }
    }

    private boolean logged(String text) {
        return log.list.stream().anyMatch(e -> e.getFormattedMessage().contains(text));
    }

    @Test
    void losesNothingAcknowledgedThroughADiskThatFillsAndRecovers() throws Exception {
        try (BrokerClients.Subscriber hub = new BrokerClients.Subscriber(broker,
                UplinkTopics.batch(config.school(), config.gatewayId()))) {
            gateway = Gateway.start(config, CODECS);
            Poll.until(WAIT, "south connected", () -> gateway.status().southConnected());
            assertThat(Files.size(disk.path().resolve("outbox.db.reserve"))).isEqualTo(RESERVE);

            // something else takes the disk down to a little above the outbox's watermark
            Path filler = disk.path().resolve("filler");
            disk.fill(filler, disk.usable() - MIN_FREE - 256 * 1024);

            // a device publishes steadily (QoS 1) while the hub is away
            AtomicInteger published = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger extra = new AtomicInteger(-1);
            Thread device = new Thread(() -> {
                try (BrokerClients.Publisher publisher = new BrokerClients.Publisher(broker)) {
                    for (int i = 0; i < 5_000 && !stop.get() && extra.get() != 0; i++) {
                        String json = "{\"co2\":" + i + ",\"temperature\":21.5,\"humidity\":55}";
                        // returns once the broker acknowledged it to the device
                        publisher.publish("t-" + run + "/room-1/d-1", json.getBytes(StandardCharsets.UTF_8), 1, false);
                        published.incrementAndGet();
                        extra.updateAndGet(n -> n > 0 ? n - 1 : n);
                        // until the disk is full, keep at most 50 messages ahead of the gateway: the
                        // broker (max_queued_messages 1000) must be able to hold all it is given
                        // once intake stops, or it drops them itself
                        if (i % 50 == 49) {
                            long deadline = System.nanoTime() + 20_000_000_000L;
                            while (!gateway.status().diskFull() && gateway.status().southMessages() < published.get()
                                    && System.nanoTime() < deadline) {
                                Thread.sleep(5);
                            }
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "device");
            device.start();

            Poll.until(WAIT, "the gateway says disk full", () -> gateway.status().diskFull());
            extra.set(200); // 200 more while the disk is full: the broker keeps them
            device.join(WAIT.toMillis());
            stop.set(true);
            assertThat(device.isAlive()).isFalse();
            int sent = published.get();
            assertThat(sent).isGreaterThan(200);

            // intake has stopped, nothing acknowledged is lost, the connection to the broker stays up
            // the path is live: the writer keeps trying the broker's messages and keeps finding the disk full
            long held = gateway.outbox().size();
            double waits = gateway.metrics().southDiskFullWaits().count();
            Poll.until(WAIT, "two more tries refused for want of disk space",
                    () -> gateway.metrics().southDiskFullWaits().count() >= waits + 2);
            assertThat(gateway.outbox().size()).isEqualTo(held);
            assertThat(held).isLessThan(3L * sent);
            assertThat(gateway.status().diskFull()).isTrue();
            assertThat(gateway.status().southConnected()).isTrue();
            assertThat(logged("disk full")).isTrue();
            assertThat(logged("no transaction is active")).isFalse();

            // then the disk fills completely
            disk.fill(filler, Long.MAX_VALUE);
            assertThat(disk.usable()).isLessThan(64 * 1024);

            // the hub comes back: what it acknowledges is deleted even so (the reserve is given up for it)
            north.up();
            Poll.until(WAIT, "the outbox emptied on a full disk", () -> gateway.outbox().size() == 0
                    && gateway.status().batchesSent() > 0);
            assertThat(gateway.status().diskFull()).isTrue();

            // space returns: the gateway takes device messages again by itself
            Files.delete(filler);
            Poll.until(WAIT, "every acknowledged message at the hub", () -> valuesAtHub(hub).size() == sent);
            Set<Integer> values = valuesAtHub(hub);
            assertThat(values).hasSize(sent);
            assertThat(values.iterator().next()).isZero();
            assertThat(((TreeSet<Integer>) values).last()).isEqualTo(sent - 1);
            Poll.until(WAIT, "disk full cleared", () -> !gateway.status().diskFull());
            assertThat(logged("disk space is back")).isTrue();
            assertThat(gateway.metrics().dropped(org.smartschool.gateway.outbox.Outbox.DROP_MAX_RECORDS).count()).isZero();
            System.out.printf("disk-full test: %d messages acknowledged to the device, %d at the hub, %d records held "
                    + "when the disk filled%n", sent, values.size(), held);
        }
    }

    private static Set<Integer> valuesAtHub(BrokerClients.Subscriber hub) {
        Set<Integer> values = new TreeSet<>();
        BatchCodec codec = new BatchCodec();
        for (BrokerClients.Received frame : hub.received()) {
            try {
                Batch batch = codec.decode(frame.payload());
                for (Reading r : batch.readings()) {
                    if (r.quantity() == Quantity.CO2) {
                        values.add((int) r.value());
                    }
                }
            } catch (Exception e) {
                throw new AssertionError("the gateway sent an undecodable frame", e);
            }
        }
        return values;
    }
}
