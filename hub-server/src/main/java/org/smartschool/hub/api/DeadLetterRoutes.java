package org.smartschool.hub.api;

import java.time.Clock;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;

import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The two requests every forwarding target's dead letters answer (webhooks, Ed-Fi): list them
 * ({@code GET .../dead-letters?limit=}) and send one again ({@code POST .../dead-letters/{seq}/redeliver}).
 * The store is read and written on the API's worker pool, never on the event loop.
 *
 * @param <T> a dead delivery as the target's store keeps it
 */
final class DeadLetterRoutes<T> {
    /** The store's redelivery: false when there is no dead letter {@code seq}. */
    @FunctionalInterface
    interface Redelivery {
        boolean redeliver(long seq, long now);
    }

    private final IntFunction<List<T>> deadLetters;
    private final Redelivery redelivery;
    private final Function<T, JsonObject> render;
    private final WorkerExecutor worker;
    private final Clock clock;
    private final Runnable wake;
    private final String what;

    /**
     * @param wake called after a redelivery, so sending starts at once
     * @param what names a dead letter in a 404, e.g. "Ed-Fi dead letter"
     */
    DeadLetterRoutes(IntFunction<List<T>> deadLetters, Redelivery redelivery, Function<T, JsonObject> render,
                     WorkerExecutor worker, Clock clock, Runnable wake, String what) {
        this.deadLetters = deadLetters;
        this.redelivery = redelivery;
        this.render = render;
        this.worker = worker;
        this.clock = clock;
        this.wake = wake;
        this.what = what;
    }

    void list(RoutingContext rc) {
        int limit;
        try {
            limit = QueryParameters.limit(rc.queryParams().get("limit"), 100, 1000);
        } catch (BadParameterException e) {
            Responses.error(rc, 400, e.getMessage(), e.parameter());
            return;
        }
        worker.executeBlocking(() -> deadLetters.apply(limit), false).onComplete(result -> {
            if (result.failed()) {
                rc.fail(result.cause());
                return;
            }
            JsonArray out = new JsonArray();
            result.result().forEach(d -> out.add(render.apply(d)));
            Responses.json(rc, 200, new JsonObject().put("deadLetters", out));
        });
    }

    void redeliver(RoutingContext rc) {
        long seq;
        try {
            seq = Long.parseLong(rc.pathParam("seq"));
        } catch (NumberFormatException e) {
            Responses.error(rc, 400, "seq must be the number of a dead letter", "seq");
            return;
        }
        worker.executeBlocking(() -> redelivery.redeliver(seq, clock.millis()), false).onComplete(result -> {
            if (result.failed()) {
                rc.fail(result.cause());
            } else if (!result.result()) {
                Responses.error(rc, 404, "no " + what + " " + seq, null);
            } else {
                wake.run();
                Responses.json(rc, 200, new JsonObject().put("seq", seq).put("state", "pending"));
            }
        });
    }
}
