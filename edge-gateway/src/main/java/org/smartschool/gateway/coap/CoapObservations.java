package org.smartschool.gateway.coap;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapHandler;
import org.eclipse.californium.core.CoapObserveRelation;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.network.Endpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.codec.RawMessage;
import org.smartschool.bridge.routing.TopicRouter;
import org.smartschool.bridge.text.SafeText;
import org.smartschool.gateway.config.CoapSettings;
import org.smartschool.gateway.config.CoapSettings.ObservedDevice;
import org.smartschool.gateway.mqtt.Backoff;
import org.smartschool.gateway.south.Delivery;
import org.smartschool.gateway.south.DeviceIntake;
import org.smartschool.gateway.south.IntakeOutcome;
import org.smartschool.gateway.telemetry.GatewayMetrics;
import org.smartschool.gateway.telemetry.RateLimitedLog;

/**
 * Observes the configured CoAP devices (RFC 7641) and records their notifications. An observation
 * is lost when the device answers with an error, a request times out, or nothing arrives for
 * {@code coap.observeSilenceMillis} (a device that rebooted has forgotten its observers): it is
 * then registered again after a capped, jittered backoff, until the device answers.
 *
 * <p>Every observation's state is changed only on the one scheduler thread; the outbox work runs
 * on an intake thread of its own.
 */
public final class CoapObservations implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CoapObservations.class);
    static final String TOPIC_PREFIX = "observe";

    private final List<Observation> observations = new ArrayList<>();
    private final List<Endpoint> endpoints = new ArrayList<>();
    private final ScheduledExecutorService scheduler;
    private final ThreadPoolExecutor intakeExecutor;
    private final GatewayMetrics metrics;
    private final CoapSettings settings;
    private final RateLimitedLog log = new RateLimitedLog(LOG, 10_000);
    private final java.util.concurrent.atomic.AtomicLong lost = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean closed;

    private CoapObservations(CoapSettings settings, GatewayMetrics metrics, String tag) {
        this.settings = settings;
        this.metrics = metrics;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "coap-observe-" + tag));
        this.intakeExecutor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(1024),
                r -> daemon(r, "coap-observe-intake-" + tag));
    }

    /**
     * Registers every observation of {@code coap.observe} (in the background: a device that is
     * down now is registered once it answers).
     *
     * @param intakes makes the intake for a router (as for the CoAP server)
     */
    public static CoapObservations start(CoapSettings settings, String school, CodecRegistry codecs,
                                         Function<TopicRouter, DeviceIntake> intakes, GatewayMetrics metrics, String tag) {
        CoapObservations started = new CoapObservations(settings, metrics, tag);
        try {
            Configuration config = CoapDeviceServer.configuration(settings);
            Endpoint plain = null;
            for (ObservedDevice device : settings.observe()) {
                String topic = TOPIC_PREFIX + "/" + device.room() + "/" + device.device();
                CoapDevices devices = CoapDevices.of(school, List.of(new CoapSettings.Route(topic, device.codec(),
                        device.jsonCodec(), device.room(), device.device())), codecs, intakes);
                Endpoint endpoint;
                if (device.uri().startsWith("coaps:")) {
                    endpoint = started.dtlsEndpoint(config, device, tag);
                } else {
                    if (plain == null) {
                        plain = CoapEndpoint.builder().setConfiguration(config).setLoggingTag(tag)
                                .setInetSocketAddress(new InetSocketAddress(0)).build();
                        started.endpoints.add(plain);
                    }
                    endpoint = plain;
                }
                started.observations.add(started.new Observation(device, topic, devices, endpoint));
            }
            for (Endpoint endpoint : started.endpoints) {
                endpoint.start();
            }
        } catch (IOException | RuntimeException e) {
            started.close();
            throw new IllegalStateException("coap.observe: cannot start: " + e.getMessage(), e);
        }
        long check = Math.max(50, Math.min(1000, settings.observeSilenceMillis() / 4));
        started.scheduler.scheduleWithFixedDelay(started::checkSilence, check, check, TimeUnit.MILLISECONDS);
        for (Observation observation : started.observations) {
            started.scheduler.execute(observation::register);
        }
        LOG.info("[{}] observing {} CoAP device(s)", tag, started.observations.size());
        return started;
    }

    private Endpoint dtlsEndpoint(Configuration config, ObservedDevice device, String tag) {
        DtlsConnectorConfig dtls = DtlsConnectorConfig.builder(config)
                .set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.CLIENT_ONLY)
                .setAddress(new InetSocketAddress(0))
                .setAdvancedPskStore(new AdvancedSinglePskStore(device.identity(), device.secretBytes()))
                .setLoggingTag(tag)
                .build();
        Endpoint endpoint = CoapEndpoint.builder().setConfiguration(config).setLoggingTag(tag)
                .setConnector(new DTLSConnector(dtls)).build();
        endpoints.add(endpoint);
        return endpoint;
    }

    private void checkSilence() {
        long now = System.currentTimeMillis();
        for (Observation observation : observations) {
            observation.checkSilence(now);
        }
    }

    /** Observations found lost so far (an error, a refusal, or silence for {@code coap.observeSilenceMillis}). */
    public long lostObservations() {
        return lost.get();
    }

    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        for (Observation observation : observations) {
            observation.client.shutdown();
        }
        for (Endpoint endpoint : endpoints) {
            endpoint.destroy();
        }
        intakeExecutor.shutdown();
        try {
            if (!intakeExecutor.awaitTermination(10, TimeUnit.SECONDS)) {
                intakeExecutor.shutdownNow();
            }
        } catch (InterruptedException e) {
            intakeExecutor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** One observed device. Its fields are touched only on the scheduler thread. */
    private final class Observation {
        private final ObservedDevice device;
        private final String topic;
        private final CoapDevices devices;
        private final CoapClient client;
        private final Backoff backoff;
        private CoapObserveRelation relation;
        /** The registration whose answers count; answers of an abandoned one are ignored. */
        private int generation;
        private boolean established;
        private boolean retryScheduled;
        private long lastHeard;

        Observation(ObservedDevice device, String topic, CoapDevices devices, Endpoint endpoint) {
            this.device = device;
            this.topic = topic;
            this.devices = devices;
            this.client = new CoapClient(device.uri());
            this.client.setEndpoint(endpoint);
            this.backoff = new Backoff(settings.observeRetryMinMillis(), settings.observeRetryMaxMillis());
        }

        void register() {
            if (closed) {
                return;
            }
            retryScheduled = false;
            established = false;
            generation++;
            lastHeard = System.currentTimeMillis();
            Request request = Request.newGet();
            request.setURI(device.uri());
            request.setObserve();
            int registration = generation;
            relation = client.observe(request, new CoapHandler() {
                @Override
                public void onLoad(CoapResponse response) {
                    submit(() -> onNotification(registration, response));
                }

                @Override
                public void onError() {
                    submit(() -> onLost(registration, "no answer"));
                }
            });
        }

        private void onNotification(int registration, CoapResponse response) {
            if (registration != generation) {
                return;
            }
            if (!response.isSuccess()) {
                onLost(registration, "answered " + response.getCode());
                return;
            }
            lastHeard = System.currentTimeMillis();
            if (!established) {
                established = true;
                backoff.reset();
                metrics.coapObserveRegistrations().increment();
                LOG.info("[device: {}/{}] observing {}", device.room(), device.device(), device.uri());
            }
            record(response);
            if (!response.getOptions().hasObserve()) {
                onLost(registration, "the device does not keep the observation");
            }
        }

        private void record(CoapResponse response) {
            CoapDevices.Resolution resolution = devices.resolve(topic, response.getOptions().getContentFormat());
            if (!(resolution instanceof CoapDevices.Resolution.Target target)) {
                metrics.coapRefused("unsupported_format").increment();
                log.warn("observe-format:" + topic, "[device: {}/{}] notification ignored: {}", device.room(),
                        device.device(), resolution);
                return;
            }
            RawMessage message = new RawMessage(topic, target.contentType(), response.getPayload(), System.currentTimeMillis());
            try {
                intakeExecutor.execute(() -> offer(target.intake(), message));
            } catch (RejectedExecutionException e) {
                metrics.coapRefused("busy").increment();
                log.warn("observe-busy", "[device: {}/{}] notification dropped: the intake is behind or stopping",
                        device.room(), device.device());
            }
        }

        private void offer(DeviceIntake intake, RawMessage message) {
            try {
                // each notification is new: Californium drops retransmitted ones itself
                IntakeOutcome outcome = intake.offer(Delivery.first(message));
                if (outcome instanceof IntakeOutcome.Rejected rejected) {
                    metrics.coapRefused("bad_request").increment();
                    log.warn("observe-rejected:" + topic, "[device: {}/{}] notification rejected: {}", device.room(),
                            device.device(), rejected.reason());
                } else if (outcome instanceof IntakeOutcome.Full) {
                    metrics.coapRefused("outbox_full").increment();
                    log.warn("observe-full", "[device: {}/{}] notification dropped: outbox full", device.room(), device.device());
                }
            } catch (RuntimeException e) {
                metrics.coapRefused("error").increment();
                log.warn("observe-error", "[device: {}/{}] cannot record a notification: {}", device.room(), device.device(),
                        SafeText.clean(e.toString(), 200));
            }
        }

        void checkSilence(long now) {
            if (!retryScheduled && now - lastHeard > settings.observeSilenceMillis()) {
                onLost(generation, "nothing heard for " + (now - lastHeard) + " ms");
            }
        }

        private void onLost(int registration, String why) {
            if (registration != generation || retryScheduled || closed) {
                return;
            }
            if (relation != null) {
                relation.reactiveCancel();
                relation = null;
            }
            generation++; // late answers of the lost registration are ignored
            retryScheduled = true;
            lost.incrementAndGet();
            long wait = backoff.next();
            log.warn("observe-lost:" + topic, "[device: {}/{}] observation of {} lost ({}); registering again in {} ms",
                    device.room(), device.device(), SafeText.clean(device.uri(), 200), why, wait);
            scheduler.schedule(this::register, wait, TimeUnit.MILLISECONDS);
        }

        private void submit(Runnable task) {
            try {
                scheduler.execute(task);
            } catch (RejectedExecutionException e) {
                // closing
            }
        }
    }
}
