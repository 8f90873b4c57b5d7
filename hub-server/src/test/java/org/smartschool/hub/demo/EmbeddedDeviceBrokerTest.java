package org.smartschool.hub.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class EmbeddedDeviceBrokerTest {
    private static final Duration THREADS_DEADLINE = Duration.ofSeconds(5);

    record Received(String topic, String payload, int qos) {
    }

    @Test
    void deliversQos1PublishToSubscriber() throws Exception {
        try (EmbeddedDeviceBroker broker = EmbeddedDeviceBroker.start(DeviceBrokerConfig.inMemory(0))) {
            BlockingQueue<Received> received = new LinkedBlockingQueue<>();
            MqttClient subscriber = connect(broker, "sub");
            MqttClient publisher = connect(broker, "pub");
            try {
                subscriber.subscribe("zigbee2mqtt/#", 1, (topic, message) -> received.add(
                        new Received(topic, new String(message.getPayload(), StandardCharsets.UTF_8), message.getQos())));

                MqttMessage message = new MqttMessage("{\"co2\":812,\"temperature\":27.4}".getBytes(StandardCharsets.UTF_8));
                message.setQos(1);
                publisher.publish("zigbee2mqtt/room-101-air", message); // returns after PUBACK

                assertThat(received.poll(10, TimeUnit.SECONDS))
                        .isEqualTo(new Received("zigbee2mqtt/room-101-air", "{\"co2\":812,\"temperature\":27.4}", 1));
            } finally {
                disconnect(publisher);
                disconnect(subscriber);
            }
        }
    }

    @Test
    void startsAndStopsTwiceOnFreePortsAndFreesThePort() throws Exception {
        for (int round = 1; round <= 2; round++) {
            int port;
            try (EmbeddedDeviceBroker broker = EmbeddedDeviceBroker.start(DeviceBrokerConfig.inMemory(0))) {
                port = broker.port();
                assertThat(port).isPositive();
                assertThat(broker.url()).isEqualTo("tcp://127.0.0.1:" + port);
                MqttClient client = connect(broker, "round-" + round);
                assertThat(client.isConnected()).isTrue();
                disconnect(client);
            }
            CleanShutdown.assertPortFree(port);
        }
    }

    @Test
    void refusesConnectionsAfterClose() throws Exception {
        EmbeddedDeviceBroker broker = EmbeddedDeviceBroker.start(DeviceBrokerConfig.inMemory(0));
        String url = broker.url();
        broker.close();
        broker.close(); // a second close is harmless

        MqttClient late = new MqttClient(url, "late", new MemoryPersistence());
        try {
            assertThatThrownBy(() -> late.connect(options())).isInstanceOf(MqttException.class);
        } finally {
            late.close();
        }
    }

    @Test
    void keepsStateOnlyInTheDataDirWhenOneIsGiven(@TempDir Path dir) throws Exception {
        Path brokerDir = dir.resolve("broker");
        Path defaultDataDir = Path.of("data").toAbsolutePath(); // Moquette's default location
        boolean defaultExisted = Files.exists(defaultDataDir);

        try (EmbeddedDeviceBroker inMemory = EmbeddedDeviceBroker.start(DeviceBrokerConfig.inMemory(0))) {
            disconnect(connect(inMemory, "memory"));
        }
        assertThat(Files.exists(defaultDataDir)).isEqualTo(defaultExisted);

        try (EmbeddedDeviceBroker persistent =
                     EmbeddedDeviceBroker.start(DeviceBrokerConfig.inMemory(0).withDataDir(brokerDir))) {
            disconnect(connect(persistent, "persistent"));
        }
        try (Stream<Path> files = Files.list(brokerDir)) {
            assertThat(files).isNotEmpty();
        }
    }

    @Test
    void failsWithTheTakenPortInTheMessageAndKeepsNoThreads() throws Exception {
        Set<Thread> before = CleanShutdown.liveNonDaemonThreads();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> EmbeddedDeviceBroker.start(DeviceBrokerConfig.inMemory(port)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("127.0.0.1:" + port);
        }
        CleanShutdown.awaitNoNewNonDaemonThreads(before, THREADS_DEADLINE);
    }

    @Test
    void leavesNoThreadRunningAfterClose() throws Exception {
        Set<Thread> before = CleanShutdown.liveNonDaemonThreads();
        try (EmbeddedDeviceBroker broker = EmbeddedDeviceBroker.start(DeviceBrokerConfig.inMemory(0))) {
            disconnect(connect(broker, "threads"));
            assertThat(CleanShutdown.liveNonDaemonThreads()).isNotEqualTo(before); // the broker's own threads
        }
        CleanShutdown.awaitNoNewNonDaemonThreads(before, THREADS_DEADLINE);
    }

    @Test
    void rejectsAnInvalidPortNamingTheKey() {
        assertThatThrownBy(() -> DeviceBrokerConfig.inMemory(70_000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("deviceBroker.port");
    }

    private static MqttConnectOptions options() {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(true);
        options.setConnectionTimeout(5);
        options.setAutomaticReconnect(false);
        return options;
    }

    private static MqttClient connect(EmbeddedDeviceBroker broker, String clientId) throws MqttException {
        MqttClient client = new MqttClient(broker.url(), clientId, new MemoryPersistence());
        client.setTimeToWait(10_000);
        client.connect(options());
        return client;
    }

    private static void disconnect(MqttClient client) throws MqttException {
        if (client.isConnected()) {
            client.disconnect(2_000);
        }
        client.close();
    }

}
