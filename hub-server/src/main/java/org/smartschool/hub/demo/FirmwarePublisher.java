package org.smartschool.hub.demo;

import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.bridge.sim.SchoolSimulation;
import org.smartschool.bridge.sim.SimulatedMessage;

/**
 * Puts one school's virtual firmware on the air: whatever its {@link SchoolSimulation} (or the demo's
 * {@link MorningDoors}) says is due is published to the device broker at QoS 1, under the school's
 * {@link SchoolNamespace}.
 *
 * <p>Publishing is asynchronous with a bounded window of unacknowledged messages, so a burst (the
 * hour of history published at start) streams at the broker's pace instead of one round trip each.
 * Driven by one thread at a time ({@link #publishDue(long)}); Paho's callbacks only count.
 */
final class FirmwarePublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FirmwarePublisher.class);
    static final int MAX_IN_FLIGHT = 256;
    private static final long WINDOW_WAIT_SECONDS = 10;

    private final String school;
    private final DueMessages source;
    private final SchoolNamespace namespace;
    private final MqttAsyncClient client;
    private final Semaphore window = new Semaphore(MAX_IN_FLIGHT);
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final IMqttActionListener onAck = new IMqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
            acknowledged.incrementAndGet();
            window.release();
        }

        @Override
        public void onFailure(IMqttToken token, Throwable e) {
            if (failed.getAndIncrement() % 1000 == 0) { // one line per thousand: a dead broker must not flood the log
                LOG.warn("[school: {}] device message not acknowledged by the broker ({} so far): {}",
                        school, failed.get(), e.toString());
            }
            window.release();
        }
    };

    /** What a school's devices have due up to an instant of their clock, in time order. */
    @FunctionalInterface
    interface DueMessages {
        List<SimulatedMessage> until(long epochMillis);
    }

    private FirmwarePublisher(String school, DueMessages source, MqttAsyncClient client) {
        this.school = school;
        this.source = source;
        this.namespace = new SchoolNamespace(school);
        this.client = client;
    }

    /** Connects to the device broker as the school's Zigbee2MQTT would. */
    static FirmwarePublisher connect(String brokerUrl, SchoolSimulation simulation) throws MqttException {
        return connect(brokerUrl, "sim-" + simulation.school(), simulation.school(), simulation::messagesUntil);
    }

    /** Connects to the device broker as {@code clientId}, publishing what {@code source} has due for {@code school}. */
    static FirmwarePublisher connect(String brokerUrl, String clientId, String school, DueMessages source) throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient(brokerUrl, clientId, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(true);
        options.setAutomaticReconnect(true);
        options.setMaxInflight(MAX_IN_FLIGHT);
        options.setConnectionTimeout(10);
        try {
            client.connect(options).waitForCompletion(10_000);
        } catch (MqttException e) {
            client.close();
            throw e;
        }
        return new FirmwarePublisher(school, source, client);
    }

    String school() {
        return school;
    }

    /**
     * Publishes every message due at or before {@code now} (epoch ms); returns how many. Waits while
     * the window of unacknowledged messages is full.
     */
    int publishDue(long now) throws InterruptedException {
        List<SimulatedMessage> due = source.until(now);
        for (SimulatedMessage m : due) {
            if (!window.tryAcquire(WINDOW_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("[school: {}] device broker has not acknowledged {} messages for {} s; still waiting",
                        school, MAX_IN_FLIGHT, WINDOW_WAIT_SECONDS);
                window.acquire();
            }
            MqttMessage message = new MqttMessage(m.payload());
            message.setQos(1);
            try {
                client.publish(namespace.topic(m.topic()), message, null, onAck);
            } catch (MqttException e) {
                onAck.onFailure(null, e);
            }
        }
        return due.size();
    }

    /** Messages the broker acknowledged so far. */
    long acknowledged() {
        return acknowledged.get();
    }

    /** Gives the messages in flight a moment to be acknowledged, then disconnects. */
    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(2_000).waitForCompletion(3_000);
            }
        } catch (MqttException e) {
            LOG.debug("[school: {}] simulated firmware: disconnect: {}", school, e.toString());
        } finally {
            try {
                client.close(true);
            } catch (MqttException e) {
                LOG.debug("[school: {}] simulated firmware: close: {}", school, e.toString());
            }
        }
    }
}
