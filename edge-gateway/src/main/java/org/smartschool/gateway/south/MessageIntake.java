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
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.routing.TopicRouter;
import org.smartschool.bridge.text.SafeText;
import org.smartschool.gateway.outbox.DeadLetter;
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

    private final TopicRouter router;
    private final Outbox outbox;
    private final GatewayMetrics metrics;
    private final int maxPayloadBytes;
    private final RateLimitedLog rateLimited;

    public MessageIntake(TopicRouter router, Outbox outbox, GatewayMetrics metrics, int maxPayloadBytes) {
        this(router, outbox, metrics, maxPayloadBytes, new RateLimitedLog(LOG, 10_000));
    }

    MessageIntake(TopicRouter router, Outbox outbox, GatewayMetrics metrics, int maxPayloadBytes, RateLimitedLog log) {
        this.router = router;
        this.outbox = outbox;
        this.metrics = metrics;
        this.maxPayloadBytes = maxPayloadBytes;
        this.rateLimited = log;
    }

    /**
     * Records a group of messages: their records in one outbox transaction, then their dead letters.
     *
     * @throws InterruptedException while waiting for room in a full outbox; nothing of the group may be acknowledged
     */
    public void accept(List<RawMessage> messages) throws InterruptedException {
        List<Reading> readings = new ArrayList<>();
        List<DeviceEvent> events = new ArrayList<>();
        List<DeadLetter> deadLetters = new ArrayList<>();
        for (RawMessage message : messages) {
            DecodeResult result = decode(message, deadLetters);
            if (result != null) {
                readings.addAll(result.readings());
                events.addAll(result.events());
            }
        }
        outbox.append(readings, events);
        metrics.recordsAppended().increment(readings.size() + events.size());
        outbox.deadLetter(deadLetters);
        metrics.southMessages().increment(messages.size());
    }

    /** How long a device told that the outbox is full should wait before it tries again. */
    static final Duration FULL_RETRY_AFTER = Duration.ofSeconds(30);

    @Override
    public IntakeOutcome offer(RawMessage message) {
        List<DeadLetter> deadLetters = new ArrayList<>(1);
        DecodeResult result = decode(message, deadLetters);
        if (result == null) {
            outbox.deadLetter(deadLetters);
            metrics.southMessages().increment();
            return new IntakeOutcome.Rejected(SafeText.clean(deadLetters.get(0).reason(), 200));
        }
        if (!outbox.tryAppend(result.readings(), result.events())) {
            return new IntakeOutcome.Full(FULL_RETRY_AFTER);
        }
        metrics.recordsAppended().increment(result.recordCount());
        metrics.southMessages().increment();
        return new IntakeOutcome.Recorded(result.recordCount());
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
            deadLetters.add(deadLetter(message, Arrays.copyOf(message.payload(), maxPayloadBytes), reason));
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
                deadLetters.add(deadLetter(message, message.payload(), "cannot decode with " + codec + ": " + first));
                return null;
            }
        }
        return result;
    }

    private static DeadLetter deadLetter(RawMessage message, byte[] payload, String reason) {
        return new DeadLetter(message.topic(), payload, reason, message.receivedAt());
    }

    /** Topics come from devices: keep a hostile one from breaking or flooding the log line. */
    static String printable(String topic) {
        return SafeText.clean(topic, 200);
    }
}
