package org.smartschool.hub.endpoint;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

import org.smartschool.hub.config.TakeoverConfig;

/**
 * Stops two devices configured with the same gateway id from kicking each other off in a loop (docs/protocol.md,
 * "Session take-over"): after {@code limit} take-overs of one id within the window, newcomers of that id are
 * refused for a while and the open connection keeps its session. Plain logic, owned by the endpoint's event loop.
 */
final class TakeoverGuard {

    /** What to do with a new connection of a gateway id that is connected already. */
    enum Decision {
        /** Take the session over (MQTT's rule). */
        TAKE_OVER,
        /** Refuse it: the take-over limit was reached just now (log it and record a fleet event once). */
        REFUSE_FIRST,
        /** Refuse it: the refusal period started earlier and has not ended. */
        REFUSE
    }

    private final TakeoverConfig config;
    private final Clock clock;
    private final Map<String, Deque<Long>> recent = new HashMap<>();
    private final Map<String, Long> refusedUntil = new HashMap<>();

    TakeoverGuard(TakeoverConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    /** Called only when another connection of {@code gatewayId} is open. */
    Decision decide(String gatewayId) {
        long now = clock.millis();
        Long until = refusedUntil.get(gatewayId);
        if (until != null && now < until) {
            return Decision.REFUSE;
        }
        refusedUntil.remove(gatewayId);
        Deque<Long> times = recent.computeIfAbsent(gatewayId, id -> new ArrayDeque<>());
        while (!times.isEmpty() && times.peekFirst() <= now - config.windowSeconds() * 1000L) {
            times.pollFirst();
        }
        if (times.size() >= config.limit()) {
            times.clear();
            refusedUntil.put(gatewayId, now + config.refuseSeconds() * 1000L);
            return Decision.REFUSE_FIRST;
        }
        times.addLast(now);
        return Decision.TAKE_OVER;
    }

    /** Epoch millis when newcomers of this gateway are accepted again; 0 when they are now. */
    long refusedUntil(String gatewayId) {
        return refusedUntil.getOrDefault(gatewayId, 0L);
    }
}
