package org.smartschool.hub.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import io.vertx.core.json.JsonObject;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The door readers of a benchmark: one Paho MQTT 3.1.1 client per classroom door on the school's broker, as an
 * RC522 reader publishes a card's UID (the card-reader codec's frame) at QoS 1 on {@code {base}/{room}/reader-{room}}
 * and reads the gateway's answer on that topic + {@code /answer}. Taps are numbered by the caller: {@link #tap}
 * stamps the publish, the answer (matched to the door's oldest unanswered tap: a gateway answers a door's taps in
 * order) stamps {@link #answeredNanos}; an answer other than green/{@code expectedOutcome} is counted.
 */
final class DoorReaders implements AutoCloseable {
    private final String expectedOutcome;
    private final Map<String, Door> doors = new HashMap<>();
    private final AtomicLongArray publishedNanos;
    private final AtomicLongArray answeredNanos;
    private final AtomicLong unexpectedAnswers = new AtomicLong();
    private final AtomicLong unmatchedAnswers = new AtomicLong();
    private final AtomicLong refusedPublishes = new AtomicLong();

    private final class Door {
        final String topic;
        final MqttAsyncClient client;
        /** The door's taps not answered yet, oldest first. */
        final Queue<Integer> waiting = new ConcurrentLinkedQueue<>();
        private IMqttToken connecting;
        IMqttToken subscribing;

        Door(String broker, String clientId, String topic) throws MqttException {
            this.topic = topic;
            this.client = new MqttAsyncClient(broker, clientId, new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setCleanSession(true);
            options.setMaxInflight(1000);
            connecting = client.connect(options);
        }

        void subscribe() throws MqttException {
            connecting.waitForCompletion(10_000);
            subscribing = client.subscribe(topic + "/answer", 0, (t, m) -> answered(this, m.getPayload()));
        }
    }

    /**
     * @param base  the topic base per school a gateway's route maps ({@code base/{room}/{device}}, codec card-reader)
     * @param rooms the doors per school
     * @param taps  how many taps will be numbered
     */
    DoorReaders(String broker, String run, Map<String, String> base, Map<String, List<String>> rooms, int taps,
                String expectedOutcome) throws MqttException {
        this.expectedOutcome = expectedOutcome;
        this.publishedNanos = new AtomicLongArray(taps);
        this.answeredNanos = new AtomicLongArray(taps);
        try {
            for (Map.Entry<String, List<String>> school : rooms.entrySet()) {
                for (String room : school.getValue()) {
                    String topic = base.get(school.getKey()) + "/" + room + "/reader-" + room;
                    doors.put(key(school.getKey(), room), new Door(broker, run + "-" + school.getKey() + "-" + room, topic));
                }
            }
            // all at once: one after another, 300 readers' connects and subscriptions took 90 s
            for (Door door : doors.values()) {
                door.subscribe();
            }
            for (Door door : doors.values()) {
                door.subscribing.waitForCompletion(10_000);
            }
        } catch (MqttException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private static String key(String school, String room) {
        return school + "/" + room;
    }

    /** Tap number {@code n}: the card {@code uid} at the door of {@code room}; stamped just before the publish. */
    void tap(int n, String school, String room, String uid) {
        Door door = doors.get(key(school, room));
        door.waiting.add(n);
        publishedNanos.set(n, System.nanoTime());
        try {
            door.client.publish(door.topic, uid.getBytes(StandardCharsets.US_ASCII), 1, false);
        } catch (MqttException e) {
            // Paho's window of unacknowledged publishes is full: the broker is behind; reported as taps not sent
            door.waiting.remove(n);
            publishedNanos.set(n, 0);
            refusedPublishes.incrementAndGet();
        }
    }

    private void answered(Door door, byte[] payload) {
        long now = System.nanoTime();
        Integer n = door.waiting.poll();
        if (n == null) {
            unmatchedAnswers.incrementAndGet();
            return;
        }
        answeredNanos.set(n, now);
        JsonObject answer = new JsonObject(new String(payload, StandardCharsets.UTF_8));
        if (!"green".equals(answer.getString("answer")) || !expectedOutcome.equals(answer.getString("outcome"))) {
            unexpectedAnswers.incrementAndGet();
        }
    }

    /** When tap {@code n} was published ({@link System#nanoTime}); 0 when it was not. */
    long publishedNanos(int n) {
        return publishedNanos.get(n);
    }

    /** When tap {@code n}'s answer came; 0 while none has. */
    long answeredNanos(int n) {
        return answeredNanos.get(n);
    }

    long unexpectedAnswers() {
        return unexpectedAnswers.get();
    }

    /** Answers that came to a door without a tap waiting there. */
    long unmatchedAnswers() {
        return unmatchedAnswers.get();
    }

    long refusedPublishes() {
        return refusedPublishes.get();
    }

    @Override
    public void close() {
        List<MqttAsyncClient> clients = new ArrayList<>();
        doors.values().forEach(d -> clients.add(d.client));
        for (MqttAsyncClient c : clients) {
            try {
                if (c.isConnected()) {
                    c.disconnect().waitForCompletion(5_000);
                }
                c.close();
            } catch (MqttException e) {
                // the benchmark is over with this reader
            }
        }
    }
}
