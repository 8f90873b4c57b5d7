package org.smartschool.hub.api;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.smartschool.bridge.alarm.Severity;
import org.smartschool.hub.forward.WebhookDelivery;
import org.smartschool.hub.forward.WebhookSecret;
import org.smartschool.hub.forward.WebhookStore;
import org.smartschool.hub.forward.WebhookSubscription;

/**
 * Webhook subscriptions and the dead-letter list under {@code /api/v1/webhooks}. A secret is shown
 * once, in the answer that created it; listings never show secrets. Changes need write access.
 */
public final class WebhookRoutes implements RouteGroup {
    private static final String BASE = "/api/v1/webhooks";
    private static final int MAX_BODY_BYTES = 16 * 1024;

    private final WebhookStore store;
    private final WorkerExecutor worker;
    private final Clock clock;
    private final Runnable wakeDispatcher;
    private final SecureRandom random = new SecureRandom();
    private final DeadLetterRoutes<WebhookDelivery> deadLetters;

    /** @param wakeDispatcher called after a redelivery or an enabled subscription, so sending starts at once */
    public WebhookRoutes(WebhookStore store, WorkerExecutor worker, Clock clock, Runnable wakeDispatcher) {
        this.store = store;
        this.worker = worker;
        this.clock = clock;
        this.wakeDispatcher = wakeDispatcher;
        this.deadLetters = new DeadLetterRoutes<>(store::deadLetters, store::redeliver, WebhookRoutes::deadLetter, worker,
                clock, wakeDispatcher, "dead letter");
    }

    @Override
    public void mount(Router router) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES);
        router.get(BASE).handler(this::list);
        router.post(BASE).handler(body).handler(this::create);
        router.get(BASE + "/dead-letters").handler(deadLetters::list);
        router.post(BASE + "/dead-letters/:seq/redeliver").handler(deadLetters::redeliver);
        router.delete(BASE + "/:id").handler(this::delete);
        router.post(BASE + "/:id/rotate").handler(this::rotate);
        router.post(BASE + "/:id/rotate/finish").handler(this::finishRotation);
        router.post(BASE + "/:id/enable").handler(this::enable);
    }

    private void list(RoutingContext rc) {
        run(rc, store::subscriptions, subscriptions -> {
            JsonArray out = new JsonArray();
            subscriptions.forEach(s -> out.add(subscription(s)));
            Responses.json(rc, 200, new JsonObject().put("webhooks", out));
        });
    }

    private void create(RoutingContext rc) {
        WebhookSubscription subscription;
        String secret;
        try {
            JsonObject body = rc.body().asJsonObject();
            if (body == null) {
                throw new BadParameterException("url", "the body must be JSON with at least {\"url\": \"https://...\"}");
            }
            secret = body.getString("secret") != null ? body.getString("secret") : WebhookSecret.generate(random);
            subscription = new WebhookSubscription(
                    body.getString("id", "wh-" + Long.toString(clock.millis(), 36) + "-" + Integer.toString(random.nextInt(1 << 20), 36)),
                    url(body.getString("url")), body.getString("school"), events(body.getJsonArray("events")),
                    severity(body.getString("minSeverity")), List.of(secret(secret)), null, clock.millis());
        } catch (BadParameterException e) {
            Responses.error(rc, 400, e.getMessage(), e.parameter());
            return;
        } catch (DecodeException | ClassCastException e) {
            Responses.error(rc, 400, "the body must be JSON: {\"url\", \"school\", \"events\": [...], \"minSeverity\", \"secret\"}", null);
            return;
        } catch (IllegalArgumentException e) {
            Responses.error(rc, 400, e.getMessage(), null);
            return;
        }
        run(rc, () -> {
            if (store.subscription(subscription.id()).isPresent()) {
                throw new WebhookExistsException("a webhook '" + subscription.id() + "' exists");
            }
            store.putSubscription(subscription);
            return subscription;
        }, s -> Responses.json(rc, 201, subscription(s).put("secret", secret)));
    }

    private void delete(RoutingContext rc) {
        String id = rc.pathParam("id");
        run(rc, () -> store.deleteSubscription(id), deleted -> {
            if (deleted) {
                rc.response().setStatusCode(204).end();
            } else {
                Responses.error(rc, 404, "no webhook '" + id + "'", null);
            }
        });
    }

    /** Adds a new secret beside the current one: both sign until the rotation is finished. */
    private void rotate(RoutingContext rc) {
        String next = WebhookSecret.generate(random);
        change(rc, s -> withSecrets(s, List.of(s.secrets().get(s.secrets().size() - 1), secret(next))), next);
    }

    private void finishRotation(RoutingContext rc) {
        change(rc, s -> withSecrets(s, List.of(s.secrets().get(s.secrets().size() - 1))), null);
    }

    private void enable(RoutingContext rc) {
        change(rc, s -> new WebhookSubscription(s.id(), s.url(), s.school(), s.eventTypes(), s.minSeverity(), s.secrets(),
                null, s.createdAt()), null);
    }

    private void change(RoutingContext rc, java.util.function.UnaryOperator<WebhookSubscription> how, String newSecret) {
        String id = rc.pathParam("id");
        run(rc, () -> store.subscription(id).map(s -> {
            WebhookSubscription changed = how.apply(s);
            store.putSubscription(changed);
            return changed;
        }), changed -> {
            if (changed.isEmpty()) {
                Responses.error(rc, 404, "no webhook '" + id + "'", null);
                return;
            }
            wakeDispatcher.run();
            JsonObject out = subscription(changed.get());
            if (newSecret != null) {
                out.put("secret", newSecret);
            }
            Responses.json(rc, 200, out);
        });
    }

    private <T> void run(RoutingContext rc, Callable<T> blocking, Consumer<T> answer) {
        worker.executeBlocking(blocking, false).onComplete(result -> {
            if (result.succeeded()) {
                answer.accept(result.result());
            } else if (result.cause() instanceof WebhookExistsException e) {
                Responses.error(rc, 409, e.getMessage(), null);
            } else {
                rc.fail(result.cause());
            }
        });
    }

    /** A new subscription's id is taken (HTTP 409). */
    private static final class WebhookExistsException extends RuntimeException {
        WebhookExistsException(String message) {
            super(message, null, false, false);
        }
    }

    private static WebhookSubscription withSecrets(WebhookSubscription s, List<WebhookSecret> secrets) {
        return new WebhookSubscription(s.id(), s.url(), s.school(), s.eventTypes(), s.minSeverity(), secrets,
                s.disabledReason(), s.createdAt());
    }

    private static URI url(String text) {
        if (text == null) {
            throw new BadParameterException("url", "url is required: the endpoint of the school management system");
        }
        try {
            return URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new BadParameterException("url", "url is not a URL");
        }
    }

    private static Set<String> events(JsonArray events) {
        Set<String> out = new LinkedHashSet<>();
        if (events != null) {
            for (Object e : events) {
                if (!(e instanceof String s) || !s.matches("[a-z_.]*\\*?")) {
                    throw new BadParameterException("events", "events are types like alarm.raised or prefixes like alarm.*");
                }
                out.add((String) e);
            }
        }
        return out;
    }

    private static Severity severity(String text) {
        return text == null ? null : Severity.byId(text).orElseThrow(() ->
                new BadParameterException("minSeverity", "minSeverity must be warning, minor, major or critical"));
    }

    private static WebhookSecret secret(String text) {
        try {
            return WebhookSecret.parse(text);
        } catch (IllegalArgumentException e) {
            throw new BadParameterException("secret", e.getMessage());
        }
    }

    private static JsonObject subscription(WebhookSubscription s) {
        JsonObject out = new JsonObject().put("id", s.id()).put("url", s.url().toString())
                .put("events", new JsonArray(new ArrayList<>(s.eventTypes())))
                .put("state", s.active() ? "active" : "disabled")
                .put("activeSecrets", s.secrets().size())
                .put("createdAt", Instant.ofEpochMilli(s.createdAt()).toString());
        if (s.school() != null) {
            out.put("school", s.school());
        }
        if (s.minSeverity() != null) {
            out.put("minSeverity", s.minSeverity().id());
        }
        if (s.disabledReason() != null) {
            out.put("disabledReason", s.disabledReason());
        }
        return out;
    }

    private static JsonObject deadLetter(WebhookDelivery d) {
        return new JsonObject().put("seq", d.seq()).put("webhook", d.subscriptionId()).put("school", d.school())
                .put("webhookId", d.webhookId()).put("type", d.type()).put("attempts", d.attempts())
                .put("lastStatus", d.lastStatus()).put("lastError", d.lastError())
                .put("createdAt", Instant.ofEpochMilli(d.createdAt()).toString());
    }
}
