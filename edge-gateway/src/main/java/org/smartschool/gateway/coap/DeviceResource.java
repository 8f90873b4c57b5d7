package org.smartschool.gateway.coap;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.elements.auth.PreSharedKeyIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.bridge.codec.RawMessage;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.text.SafeText;
import org.smartschool.gateway.config.CoapSettings.DeviceKey;
import org.smartschool.gateway.outbox.OutboxClosedException;
import org.smartschool.gateway.south.Delivery;
import org.smartschool.gateway.south.DeviceRateLimiter;
import org.smartschool.gateway.south.IntakeOutcome;
import org.smartschool.gateway.telemetry.RateLimitedLog;

/**
 * The devices' resources: a device POSTs or PUTs its readings to its own path, and gets 2.04 only
 * once they are committed to the outbox. Every other answer says what went wrong, in one line.
 *
 * <p>One resource serves every device path (the configured routes decide which paths exist), so it
 * is its own child at any depth. Checks that need no disk run on Californium's thread; the outbox
 * work runs on {@code intakeExecutor}, and the answer is sent from there once the intake returned.
 */
final class DeviceResource extends CoapResource {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceResource.class);
    static final String NAME = "devices";
    /** How long a device told "busy" should wait. */
    private static final long BUSY_MAX_AGE_SECONDS = 1;

    private final Map<String, CoapSite> sites;
    private final CoapSite rootSite;
    private final Executor intakeExecutor;
    private final int maxPayloadBytes;
    private final int maxPendingPerDevice;
    private final Clock clock;
    private final DeviceRateLimiter limiter;
    private final Map<String, Integer> pending = new ConcurrentHashMap<>();
    private final RateLimitedLog log = new RateLimitedLog(LOG, 10_000);

    /**
     * @param sites by first path segment, or a single site under "" that serves the whole path
     */
    DeviceResource(Map<String, CoapSite> sites, Executor intakeExecutor, int maxPayloadBytes, int maxPendingPerDevice,
                   Clock clock) {
        this(sites, intakeExecutor, maxPayloadBytes, maxPendingPerDevice, new DeviceRateLimiter(0), clock);
    }

    /** @param limiter how many requests a device may make ({@code coap.deviceMaxRequestsPerSecond}); more get 4.29 */
    DeviceResource(Map<String, CoapSite> sites, Executor intakeExecutor, int maxPayloadBytes, int maxPendingPerDevice,
                   DeviceRateLimiter limiter, Clock clock) {
        super(NAME, false);
        this.sites = Map.copyOf(sites);
        this.rootSite = sites.get("");
        this.intakeExecutor = intakeExecutor;
        this.maxPayloadBytes = maxPayloadBytes;
        this.maxPendingPerDevice = maxPendingPerDevice;
        this.clock = clock;
        this.limiter = limiter;
    }

    @Override
    public void handlePOST(CoapExchange exchange) {
        handleReading(exchange);
    }

    @Override
    public void handlePUT(CoapExchange exchange) {
        handleReading(exchange);
    }

    private void handleReading(CoapExchange exchange) {
        Request request = exchange.advanced().getRequest();
        List<String> segments = request.getOptions().getUriPath();
        CoapSite site = rootSite;
        List<String> deviceSegments = segments;
        if (site == null && !segments.isEmpty()) {
            site = sites.get(segments.get(0));
            deviceSegments = segments.subList(1, segments.size());
        }
        String path = String.join("/", deviceSegments);
        if (site == null) {
            refuse(exchange, null, ResponseCode.NOT_FOUND, "not_found", "no site at /" + String.join("/", segments));
            return;
        }
        site.metrics().coapRequests().increment();
        // one read: the hub's desired configuration may swap the map and keys while this request runs
        CoapSite.Mapping mapping = site.mapping();
        CoapDevices.Resolution resolution = mapping.devices().resolve(path, request.getOptions().getContentFormat());
        if (resolution instanceof CoapDevices.Resolution.NotFound notFound) {
            refuse(exchange, site, ResponseCode.NOT_FOUND, "not_found", notFound.reason() + ": /" + path);
            return;
        }
        if (resolution instanceof CoapDevices.Resolution.UnsupportedFormat unsupported) {
            refuse(exchange, site, ResponseCode.UNSUPPORTED_CONTENT_FORMAT, "unsupported_format", unsupported.reason());
            return;
        }
        CoapDevices.Resolution.Target target = (CoapDevices.Resolution.Target) resolution;
        if (!authorised(exchange, site, mapping.keys(), request.getSourceContext().getPeerIdentity(), target.device())) {
            return;
        }
        int size = request.getPayloadSize();
        if (size > maxPayloadBytes) {
            // a block-wise body over the limit is refused by Californium before it gets here; every
            // 4.13, Californium's and this one, is counted by OversizeCounter
            Response response = new Response(ResponseCode.REQUEST_ENTITY_TOO_LARGE);
            response.getOptions().setSize1(maxPayloadBytes);
            refuse(exchange, null, response, "too_large",
                    "body of " + size + " bytes is larger than coap.maxPayloadBytes (" + maxPayloadBytes + ")");
            return;
        }
        String deviceKey = target.device().toString();
        if (!limiter.tryAcquire(deviceKey)) {
            // a device posting in a loop: told to wait, counted, logged at most every 10 s; the outbox never sees it
            Response response = new Response(ResponseCode.TOO_MANY_REQUESTS);
            response.getOptions().setMaxAge(BUSY_MAX_AGE_SECONDS);
            refuse(exchange, site, response, "device_flood", "more than " + limiter.perSecond() + " requests/s from "
                    + target.device().room() + "/" + target.device().device() + "; retry later");
            return;
        }
        if (!reserve(deviceKey)) {
            Response response = new Response(ResponseCode.SERVICE_UNAVAILABLE);
            response.getOptions().setMaxAge(BUSY_MAX_AGE_SECONDS);
            refuse(exchange, site, response, "busy", "too many requests of " + target.device() + " waiting; retry later");
            return;
        }
        RawMessage message = new RawMessage(path, target.contentType(), request.getPayload(), clock.millis());
        CoapSite known = site;
        try {
            intakeExecutor.execute(() -> {
                try {
                    record(exchange, known, target, message);
                } finally {
                    release(deviceKey);
                }
            });
        } catch (RejectedExecutionException e) {
            release(deviceKey);
            Response response = new Response(ResponseCode.SERVICE_UNAVAILABLE);
            response.getOptions().setMaxAge(BUSY_MAX_AGE_SECONDS);
            refuse(exchange, site, response, "busy", "gateway busy or stopping; retry later");
        }
    }

    /** Runs on the intake executor: the answer waits for the outbox. */
    private void record(CoapExchange exchange, CoapSite site, CoapDevices.Resolution.Target target, RawMessage message) {
        IntakeOutcome outcome;
        try {
            // a CON retransmitted after the gateway restarted (Californium's own deduplication is in
            // memory) comes again with the same peer and message id: the outbox takes it only once
            outcome = target.intake().offer(new Delivery(message,
                    exchange.advanced().getRequest().getSourceContext().getPeerAddress() + "#"
                            + exchange.advanced().getRequest().getMID(), true));
        } catch (OutboxClosedException e) {
            Response response = new Response(ResponseCode.SERVICE_UNAVAILABLE);
            response.getOptions().setMaxAge(BUSY_MAX_AGE_SECONDS * 10);
            refuse(exchange, site, response, "busy", "gateway stopping; retry later");
            return;
        } catch (RuntimeException e) {
            // the outbox could not write: the device keeps its reading and sends it again
            site.metrics().coapRefused("error").increment();
            log.warn("intake-error", "[device: {}] cannot record a CoAP message: {}", target.device(),
                    SafeText.clean(e.toString(), 200));
            exchange.respond(ResponseCode.INTERNAL_SERVER_ERROR, "cannot record now; retry later", MediaTypeRegistry.TEXT_PLAIN);
            return;
        }
        if (outcome instanceof IntakeOutcome.Recorded recorded) {
            if (recorded.answers().isEmpty()) {
                exchange.respond(ResponseCode.CHANGED);
            } else {
                // a door reader: the answer to its tap (green/red) in the response, one tap per message
                exchange.respond(ResponseCode.CHANGED, recorded.answers().get(0).json(), MediaTypeRegistry.APPLICATION_JSON);
            }
        } else if (outcome instanceof IntakeOutcome.Rejected rejected) {
            refuse(exchange, site, ResponseCode.BAD_REQUEST, "bad_request", rejected.reason());
        } else if (outcome instanceof IntakeOutcome.Full full) {
            long seconds = Math.max(1, full.retryAfter().toSeconds());
            Response response = new Response(ResponseCode.SERVICE_UNAVAILABLE);
            response.getOptions().setMaxAge(seconds);
            refuse(exchange, site, response, "outbox_full", "outbox full; retry in " + seconds + " s");
        }
    }

    /**
     * Over DTLS the device's PSK identity must be known and must be this device's; over plain CoAP
     * (listened on only when allowed) anyone may post. Answers the refusal itself.
     */
    private boolean authorised(CoapExchange exchange, CoapSite site, DeviceKeys keys, Principal peer, DeviceRef device) {
        if (peer == null) {
            return true;
        }
        if (!(peer instanceof PreSharedKeyIdentity psk)) {
            refuse(exchange, site, ResponseCode.UNAUTHORIZED, "unknown_identity", "only pre-shared key identities are accepted");
            return false;
        }
        DeviceKey key = keys.find(psk.getIdentity()).orElse(null);
        if (key == null) {
            refuse(exchange, site, ResponseCode.UNAUTHORIZED, "unknown_identity",
                    "unknown identity '" + SafeText.clean(psk.getIdentity(), 80) + "'");
            return false;
        }
        if (!key.room().equals(device.room()) || !key.device().equals(device.device())) {
            refuse(exchange, site, ResponseCode.FORBIDDEN, "forbidden", "identity '" + SafeText.clean(psk.getIdentity(), 80)
                    + "' may post only to device " + key.room() + "/" + key.device());
            return false;
        }
        return true;
    }

    private boolean reserve(String device) {
        boolean[] ok = {false};
        pending.compute(device, (k, n) -> {
            int count = n == null ? 0 : n;
            if (count >= maxPendingPerDevice) {
                return n;
            }
            ok[0] = true;
            return count + 1;
        });
        return ok[0];
    }

    private void release(String device) {
        pending.computeIfPresent(device, (k, n) -> n <= 1 ? null : n - 1);
    }

    private void refuse(CoapExchange exchange, CoapSite site, ResponseCode code, String reason, String diagnostic) {
        refuse(exchange, site, new Response(code), reason, diagnostic);
    }

    /** Counts (unless {@code site} is null), logs (rate-limited, per reason) and answers with a one-line diagnostic payload. */
    private void refuse(CoapExchange exchange, CoapSite site, Response response, String reason, String diagnostic) {
        if (site != null) {
            site.metrics().coapRefused(reason).increment();
        }
        String line = SafeText.clean(diagnostic, 200);
        log.warn("refused:" + reason, "CoAP {} from {} to /{}: {} {}", exchange.getRequestCode(),
                exchange.getSourceSocketAddress(), SafeText.clean(exchange.advanced().getRequest().getOptions().getUriPathString(), 200),
                response.getCode(), line);
        response.setPayload(line.getBytes(StandardCharsets.UTF_8));
        response.getOptions().setContentFormat(MediaTypeRegistry.TEXT_PLAIN);
        exchange.respond(response);
    }

    /** Any path below this resource is a device path: the routes decide. */
    @Override
    public org.eclipse.californium.core.server.resources.Resource getChild(String name) {
        return this;
    }
}
