package org.smartschool.gateway.south;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.bridge.codec.DecodeProblem;
import org.smartschool.bridge.codec.DecodeResult;
import org.smartschool.bridge.codec.RawMessage;
import org.smartschool.bridge.routing.TopicRouter;
import org.smartschool.bridge.text.SafeText;
import org.smartschool.gateway.attendance.DoorAnswer;
import org.smartschool.gateway.attendance.DoorAnswers;
import org.smartschool.gateway.outbox.AppendResult;
import org.smartschool.gateway.outbox.DeadLetter;
import org.smartschool.gateway.outbox.DiskFullException;
import org.smartschool.gateway.outbox.FrameDigest;
import org.smartschool.gateway.outbox.IntakeFrame;
import org.smartschool.gateway.outbox.Outbox;
import org.smartschool.gateway.telemetry.GatewayMetrics;
import org.smartschool.gateway.telemetry.RateLimitedLog;

/**
 * Turns device messages into outbox records: route the topic, decode with the route's codec,
 * append what decoded; what could not be routed or decoded at all goes to the dead letters.
 *
 * <p>When {@link #accept} returns, every message of the group is safely recorded (as records or as
 * a dead letter) and may be acknowledged to the broker. Plain class, no MQTT: tested without sockets.
 */
public final class MessageIntake implements DeviceIntake {
    private static final Logger LOG = LoggerFactory.getLogger(MessageIntake.class);

    // swapped whole by a desired configuration from the hub: each message sees one router or the other
    private volatile TopicRouter router;
    private final Outbox outbox;
    private final GatewayMetrics metrics;
    private final int maxPayloadBytes;
    private final RateLimitedLog rateLimited;
    private final Outbox.Judge rules;
    private volatile DoorAnswers answers = DoorAnswers.NONE;

    public MessageIntake(TopicRouter router, Outbox outbox, GatewayMetrics metrics, int maxPayloadBytes) {
        this(router, outbox, metrics, maxPayloadBytes, (Outbox.Judge) null);
    }

    /**
     * @param rules judges every record as it enters the outbox (the school's rules, see
     *              {@link org.smartschool.gateway.alarm.SchoolRules}); null for none
     */
    public MessageIntake(TopicRouter router, Outbox outbox, GatewayMetrics metrics, int maxPayloadBytes,
                         Outbox.Judge rules) {
        this(router, outbox, metrics, maxPayloadBytes, new RateLimitedLog(LOG, 10_000), rules);
    }

    MessageIntake(TopicRouter router, Outbox outbox, GatewayMetrics metrics, int maxPayloadBytes, RateLimitedLog log) {
        this(router, outbox, metrics, maxPayloadBytes, log, null);
    }

    private MessageIntake(TopicRouter router, Outbox outbox, GatewayMetrics metrics, int maxPayloadBytes,
                          RateLimitedLog log, Outbox.Judge rules) {
        this.router = router;
        this.outbox = outbox;
        this.metrics = metrics;
        this.maxPayloadBytes = maxPayloadBytes;
        this.rateLimited = log;
        this.rules = rules;
    }

    /** What a device message limit counts {@code topic} under: its device's {@code room/device}; null for no device. */
    public String deviceOf(String topic) {
        return router.route(topic) instanceof TopicRouter.Routing.Routed routed
                ? routed.device().room() + "/" + routed.device().device() : null;
    }

    /**
     * Where the answers to card taps come from once their append committed (attendance: the judge that
     * decided them); none by default.
     */
    public MessageIntake answeringTaps(DoorAnswers answers) {
        this.answers = java.util.Objects.requireNonNull(answers);
        return this;
    }

    /** Routes the next messages with {@code next} (the hub's desired configuration changed the routes). */
    public void useRouter(TopicRouter next) {
        this.router = java.util.Objects.requireNonNull(next);
    }

    /**
     * Records a group of messages: their records in one outbox transaction (group commit), then
     * their dead letters. Each message counts as a first delivery.
     *
     * @throws InterruptedException while waiting for room in a full outbox; nothing of the group may be acknowledged
     * @throws org.smartschool.gateway.outbox.DiskFullException when the disk is full; nothing of the group may be acknowledged
     */
    public void accept(List<RawMessage> messages) throws InterruptedException {
        acceptDeliveries(messages.stream().map(Delivery::first).toList());
    }

    /**
     * Records a group of deliveries in one outbox transaction, then their dead letters. A delivery
     * that may be a redelivery of a frame already recorded (same topic, payload and delivery id,
     * within {@code outbox.redeliveryWindowMillis}) is not recorded again.
     *
     * @throws InterruptedException while waiting for room in a full outbox; nothing of the group may be acknowledged
     * @return the answers to the card taps among them, each with the topic of the tap it answers
     *         (attendance; empty when off or no tap was decided)
     * @throws org.smartschool.gateway.outbox.DiskFullException when the disk is full; nothing of the group may be acknowledged
     */
    public List<ReaderAnswer> acceptDeliveries(List<Delivery> deliveries) throws InterruptedException {
        List<IntakeFrame> frames = new ArrayList<>(deliveries.size());
        List<DeadLetter> deadLetters = new ArrayList<>();
        java.util.Map<String, String> tapTopics = null;
        for (Delivery delivery : deliveries) {
            DecodeResult result = decode(delivery.message(), deadLetters);
            if (result != null) {
                frames.add(frame(delivery, result));
                for (org.smartschool.bridge.model.DeviceEvent e : result.events()) {
                    if (e.type() == org.smartschool.bridge.model.EventType.CARD_TAP) {
                        tapTopics = tapTopics == null ? new java.util.HashMap<>() : tapTopics;
                        // by reader, not by the tap's id: the stored tap's id may be derived from the codec's
                        tapTopics.put(e.room() + '/' + e.device(), delivery.message().topic());
                    }
                }
            }
        }
        answers.takeAnswers(); // none left over from an append that did not come back here
        AppendResult appended = outbox.appendFrames(frames, true, frames.isEmpty() ? null : rules);
        count(appended);
        outbox.deadLetter(deadLetters);
        metrics.southMessages().increment(deliveries.size());
        if (tapTopics == null) {
            return List.of();
        }
        List<ReaderAnswer> out = new ArrayList<>();
        for (DoorAnswer answer : answers.takeAnswers()) {
            String topic = tapTopics.get(answer.room() + '/' + answer.device());
            if (topic != null) {
                out.add(new ReaderAnswer(topic, answer));
            }
        }
        return out;
    }

    /** How long a device told that the outbox is full should wait before it tries again. */
    static final Duration FULL_RETRY_AFTER = Duration.ofSeconds(30);

    /**
     * A message that is no redelivery (a wired device, a CoAP notification): the same bytes again
     * are a new message (a card tapped twice, a sensor reporting the same value), never taken for a
     * retransmission.
     */
    @Override
    public IntakeOutcome offer(RawMessage message) {
        return offer(Delivery.first(message));
    }

    /**
     * Like {@link #offer(RawMessage)}, for a transport that can say whether a message may be a
     * redelivery and what identifies it (a CoAP peer and message id): a retransmission of a frame
     * already recorded is answered {@code Recorded} without recording it again.
     */
    @Override
    public IntakeOutcome offer(Delivery delivery) {
        List<DeadLetter> deadLetters = new ArrayList<>(1);
        DecodeResult result = decode(delivery.message(), deadLetters);
        if (result == null) {
            outbox.deadLetter(deadLetters);
            metrics.southMessages().increment();
            return new IntakeOutcome.Rejected(SafeText.clean(deadLetters.get(0).reason(), 200));
        }
        AppendResult appended;
        try {
            answers.takeAnswers();
            appended = outbox.appendFrames(List.of(frame(delivery, result)), false, rules);
        } catch (DiskFullException e) {
            rateLimited.warn("disk-full", "[intake] {}", e.getMessage());
            return new IntakeOutcome.Full(FULL_RETRY_AFTER);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new IntakeOutcome.Full(FULL_RETRY_AFTER);
        }
        if (appended == null) {
            return new IntakeOutcome.Full(FULL_RETRY_AFTER);
        }
        count(appended);
        metrics.southMessages().increment();
        return new IntakeOutcome.Recorded(result.recordCount(), answers.takeAnswers());
    }

    /**
     * Puts a dead-lettered frame through routing and decoding again (after a fix), without the
     * redelivery check and without dead-lettering it a second time when it still fails.
     *
     * @return Recorded, Rejected with why it still fails, or Full
     */
    public IntakeOutcome replay(RawMessage message) {
        List<DeadLetter> deadLetters = new ArrayList<>(1);
        DecodeResult result = decode(message, deadLetters);
        if (result == null) {
            return new IntakeOutcome.Rejected(SafeText.clean(deadLetters.get(0).reason(), 200));
        }
        try {
            AppendResult appended = outbox.appendFrames(
                    List.of(IntakeFrame.of(result.readings(), result.events())), false, rules);
            if (appended == null) {
                return new IntakeOutcome.Full(FULL_RETRY_AFTER);
            }
            count(appended);
        } catch (DiskFullException e) {
            return new IntakeOutcome.Full(FULL_RETRY_AFTER);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new IntakeOutcome.Full(FULL_RETRY_AFTER);
        }
        return new IntakeOutcome.Recorded(result.recordCount());
    }

    /**
     * The frame to append. Records stamped with the receive time (esphome, card-reader,
     * serial-line: the payload has no time) would become a second reading at another time when
     * the frame is delivered again, so such a frame carries its digest; records with the device's
     * own time come out the same and the hub stores them once anyway.
     */
    private static IntakeFrame frame(Delivery delivery, DecodeResult result) {
        RawMessage message = delivery.message();
        boolean receiveTimeStamped = result.readings().stream().anyMatch(r -> r.timestamp() == message.receivedAt())
                || result.events().stream().anyMatch(e -> e.timestamp() == message.receivedAt());
        byte[] digest = receiveTimeStamped
                ? FrameDigest.of(message.topic(), delivery.deliveryId(), message.payload()) : null;
        return new IntakeFrame(digest, delivery.mayBeRedelivery(), message.receivedAt(), result.readings(),
                result.events());
    }

    private void count(AppendResult appended) {
        metrics.recordsAppended().increment(appended.appended());
        if (appended.redeliveries() > 0) {
            metrics.redeliveriesSkipped().increment(appended.redeliveries());
        }
        if (appended.dropped() > 0) {
            metrics.dropped(appended.dropReason()).increment(appended.dropped());
        }
    }

    /** The decoded records of one message, or null when it went to the dead letters. */
    private DecodeResult decode(RawMessage message, List<DeadLetter> deadLetters) {
        TopicRouter.Routing routing = router.route(message.topic());
        if (routing instanceof TopicRouter.Routing.Unknown unknown) {
            metrics.unknownDevices().increment();
            rateLimited.warn("unknown-device", "[topic: {}] unknown device: {}", printable(message.topic()), unknown.reason());
            deadLetters.add(deadLetter(message, message.payload(), "unknown device: " + unknown.reason()));
            return null;
        }
        TopicRouter.Routing.Routed routed = (TopicRouter.Routing.Routed) routing;
        metrics.deviceSeen(routed.device().room(), routed.device().device(), message.receivedAt());
        String codec = routed.codec().name();
        if (message.payload().length > maxPayloadBytes) {
            metrics.decodeErrors(codec).increment();
            String reason = "payload of " + message.payload().length + " bytes is larger than south.maxPayloadBytes ("
                    + maxPayloadBytes + "); kept truncated";
            rateLimited.warn("oversized", "[topic: {}] {}", printable(message.topic()), reason);
            deadLetters.add(deadLetter(message, kept(codec, Arrays.copyOf(message.payload(), maxPayloadBytes)), reason));
            return null;
        }
        DecodeResult result;
        try {
            result = routed.codec().decode(message, routed.device());
        } catch (RuntimeException e) {
            // a codec must not throw; one that does is a bug, but the message still ends somewhere safe
            result = DecodeResult.rejected(new DecodeProblem(routed.device().device(), "$",
                    "codec " + codec + " failed: " + e));
        }
        if (result.hasProblems()) {
            metrics.decodeErrors(codec).increment(result.problems().size());
            DecodeProblem first = result.problems().get(0);
            rateLimited.warn("decode:" + codec, "[topic: {}] [codec: {}] {} decode problem(s), first: {}",
                    printable(message.topic()), codec, result.problems().size(), first);
            if (result.recordCount() == 0 && !result.ignored()) {
                deadLetters.add(deadLetter(message, kept(codec, message.payload()), "cannot decode with " + codec + ": " + first));
                return null;
            }
        }
        return result;
    }

    /** Codecs whose frames are a card's UID: personal data, never kept at the gateway, not even as a dead letter. */
    private static final java.util.Set<String> PERSONAL_FRAMES = java.util.Set.of("card-reader");

    /** What a dead letter keeps of a frame: the frame, or for a card reader only its size (the frame may hold a UID). */
    private static byte[] kept(String codec, byte[] payload) {
        if (!PERSONAL_FRAMES.contains(codec)) {
            return payload;
        }
        return ("card frame of " + payload.length + " bytes withheld: personal data")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static DeadLetter deadLetter(RawMessage message, byte[] payload, String reason) {
        return DeadLetter.of(message, payload, reason);
    }

    /** Topics come from devices: keep a hostile one from breaking or flooding the log line. */
    static String printable(String topic) {
        return SafeText.clean(topic, 200);
    }
}
