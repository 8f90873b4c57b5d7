package org.smartschool.hub.bench;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;

/**
 * The door readers of a benchmark: one MQTT 3.1.1 client per classroom door on the school's broker, as an RC522
 * reader publishes a card's UID (the card-reader codec's frame) at QoS 1 on {@code {base}/{room}/reader-{room}} and
 * reads the gateway's answer on that topic + {@code /answer}. Taps are numbered by the caller: {@link #tap} stamps
 * the publish, the answer (matched to the door's oldest unanswered tap: a gateway answers a door's taps in order)
 * stamps {@link #answeredNanos}; an answer other than green/{@code expectedOutcome} is counted.
 *
 * <p>The clients are Vert.x's, all on one event loop of their own (thread {@value #THREAD}): a real door is a
 * device of its own, so what its simulation costs here is CPU the school's gateway and the hub do not have on
 * site. 300 Paho clients were 3 threads each (~1,000 threads, four thread hand-offs per tap and answer) and took
 * 0.15-0.18 of the 2 cores at 500 taps a second.
 */
final class DoorReaders implements AutoCloseable {
    /** The readers' event loop is renamed to this, so that a benchmark's CPU split tells it from the hub's. */
    static final String THREAD = "door-readers";
    private static final long WAIT_SECONDS = 30;

    private final String expectedOutcome;
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    private final Context context = vertx.getOrCreateContext();
    private final Map<String, Door> doors = new HashMap<>();
    private final AtomicLongArray publishedNanos;
    private final AtomicLongArray answeredNanos;
    private final AtomicLong unexpectedAnswers = new AtomicLong();
    private final AtomicLong unmatchedAnswers = new AtomicLong();
    private final AtomicLong refusedPublishes = new AtomicLong();

    private final class Door {
        final String topic;
        final MqttClient client;
        /** The door's taps not answered yet, oldest first. */
        final Queue<Integer> waiting = new ConcurrentLinkedQueue<>();

        Door(String clientId, String topic) {
            this.topic = topic;
            this.client = MqttClient.create(vertx, new MqttClientOptions().setClientId(clientId).setCleanSession(true)
                    .setMaxInflightQueue(1000).setAutoKeepAlive(true));
            client.publishHandler(m -> answered(this, m.payload().getBytes()));
        }

        /** On the readers' event loop. */
        Future<Integer> connectAndSubscribe(URI broker) {
            return client.connect(broker.getPort(), broker.getHost()).compose(ack -> client.subscribe(topic + "/answer", 0));
        }
    }

    /**
     * @param base  the topic base per school a gateway's route maps ({@code base/{room}/{device}}, codec card-reader)
     * @param rooms the doors per school
     * @param taps  how many taps will be numbered
     */
    DoorReaders(String broker, String run, Map<String, String> base, Map<String, List<String>> rooms, int taps,
                String expectedOutcome) throws Exception {
        this.expectedOutcome = expectedOutcome;
        this.publishedNanos = new AtomicLongArray(taps);
        this.answeredNanos = new AtomicLongArray(taps);
        URI address = URI.create(broker);
        try {
            CompletableFuture<Void> ready = new CompletableFuture<>();
            context.runOnContext(v -> {
                Thread.currentThread().setName(THREAD);
                List<Future<Integer>> subscribed = new ArrayList<>();
                for (Map.Entry<String, List<String>> school : rooms.entrySet()) {
                    for (String room : school.getValue()) {
                        String topic = base.get(school.getKey()) + "/" + room + "/reader-" + room;
                        Door door = new Door(run + "-" + school.getKey() + "-" + room, topic);
                        doors.put(key(school.getKey(), room), door);
                        subscribed.add(door.connectAndSubscribe(address)); // all at once
                    }
                }
                Future.all(subscribed).onComplete(r -> {
                    if (r.succeeded()) {
                        ready.complete(null);
                    } else {
                        ready.completeExceptionally(r.cause());
                    }
                });
            });
            ready.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception | Error e) {
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
        Buffer frame = Buffer.buffer(uid.getBytes(StandardCharsets.US_ASCII));
        context.runOnContext(v -> door.client.publish(door.topic, frame, MqttQoS.AT_LEAST_ONCE, false, false)
                .onFailure(e -> {
                    // the client's window of unacknowledged publishes is full: the broker is behind; reported as taps not sent
                    door.waiting.remove(n);
                    publishedNanos.set(n, 0);
                    refusedPublishes.incrementAndGet();
                }));
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
        try {
            vertx.close().await(WAIT_SECONDS, TimeUnit.SECONDS); // closes every client's connection
        } catch (Exception e) {
            // the benchmark is over with the readers
        }
    }
}
