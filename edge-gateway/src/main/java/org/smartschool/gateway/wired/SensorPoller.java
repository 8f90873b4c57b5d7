package org.smartschool.gateway.wired;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.text.SafeText;

/**
 * Reads one {@link PolledSensor} every interval on the wired scheduler, polls its data-ready state
 * in between, and keeps its {@link SensorHealth}: a sensor that stops answering becomes a
 * {@code device_offline} event (attribute {@code reason}) and is retried with a growing wait; its
 * first good sample after that is a {@code device_online} event. All state is touched on the one
 * scheduler thread.
 */
final class SensorPoller {
    private static final Logger LOG = LoggerFactory.getLogger(SensorPoller.class);

    private final PolledSensor sensor;
    private final DeviceRef device;
    private final long intervalMillis;
    private final long readyPollMillis;
    private final SensorHealth health;
    private final WiredSink sink;
    private final ScheduledExecutorService scheduler;
    private final LongSupplier clock;
    private boolean needsBegin = true;
    private long notReadySince = -1;
    private volatile long crcErrors;
    private volatile long samples;
    private volatile long lastSampleAt;
    private volatile boolean online = true;
    private volatile String lastProblem;
    private ScheduledFuture<?> next;
    private boolean stopped;

    SensorPoller(PolledSensor sensor, DeviceRef device, long intervalMillis, SensorHealth health, WiredSink sink,
                 ScheduledExecutorService scheduler, LongSupplier clock) {
        this.sensor = sensor;
        this.device = device;
        this.intervalMillis = intervalMillis;
        this.readyPollMillis = Math.max(20, Math.min(1_000, intervalMillis / 4));
        this.health = health;
        this.sink = sink;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    void start() {
        schedule(0);
    }

    private synchronized void schedule(long delayMillis) {
        if (!stopped) {
            next = scheduler.schedule(this::tick, delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void tick() {
        long now = clock.getAsLong();
        try {
            if (needsBegin) {
                sensor.begin();
                needsBegin = false;
            }
            List<Reading> readings = sensor.sample(device, now);
            if (readings == null) {
                if (notReadySince < 0) {
                    notReadySince = now;
                }
                if (now - notReadySince < sensor.readyTimeoutMillis()) {
                    // a BME280 is done within milliseconds, an SCD4x within seconds: poll at the sensor's pace
                    schedule(Math.max(5, Math.min(readyPollMillis, sensor.readyTimeoutMillis() / 4)));
                    return;
                }
                notReadySince = -1;
                failed("data never ready within " + sensor.readyTimeoutMillis() + " ms", false);
                return;
            }
            notReadySince = -1;
            succeeded(readings, now);
        } catch (PolledSensor.SensorException e) {
            notReadySince = -1;
            failed(e.getMessage(), e.crc());
        } catch (RuntimeException e) {
            // Pi4J reports bus errors (NACK, remote I/O error) as runtime exceptions
            notReadySince = -1;
            failed("I2C error: " + e.getMessage(), false);
        }
    }

    private void succeeded(List<Reading> readings, long now) {
        SensorHealth.Outcome outcome = health.succeeded(intervalMillis);
        samples++;
        lastSampleAt = now;
        online = true;
        if (outcome.transition() == SensorHealth.Transition.CAME_BACK) {
            LOG.info("[device: {}] {} answers again", device, sensor.chip());
            sink.records(device.device(), readings,
                    List.of(DeviceEvent.of(device, EventType.DEVICE_ONLINE, now, Map.of("source", "wired"))), now);
        } else {
            sink.records(device.device(), readings, List.of(), now);
        }
        schedule(outcome.nextDelayMillis());
    }

    private void failed(String problem, boolean crc) {
        String reason = SafeText.clean(String.valueOf(problem), 160);
        if (crc) {
            crcErrors++;
        } else {
            needsBegin = true; // a sensor that stopped answering may have lost power: set it up again
        }
        lastProblem = reason;
        SensorHealth.Outcome outcome = health.failed(reason, intervalMillis);
        if (outcome.transition() == SensorHealth.Transition.WENT_OFFLINE) {
            online = false;
            long now = clock.getAsLong();
            LOG.warn("[device: {}] {} offline after {} failed reads: {}; retrying in {} ms", device, sensor.chip(),
                    health.consecutiveFailures(), reason, outcome.nextDelayMillis());
            sink.records(device.device(), List.of(),
                    List.of(DeviceEvent.of(device, EventType.DEVICE_OFFLINE, now, Map.of("reason", reason, "source", "wired"))), now);
        } else {
            LOG.debug("[device: {}] {} read failed: {}", device, sensor.chip(), reason);
        }
        schedule(outcome.nextDelayMillis());
    }

    /** Stops polling; the sensor is put to rest on the scheduler thread. */
    synchronized void stop() {
        stopped = true;
        if (next != null) {
            next.cancel(false);
        }
    }

    void end() {
        try {
            sensor.end();
        } catch (RuntimeException e) {
            LOG.debug("[device: {}] {} did not stop cleanly: {}", device, sensor.chip(), e.toString());
        }
    }

    WiredStatus status() {
        return new WiredStatus(device.device(), sensor.chip(), online, samples, health.failures(), crcErrors,
                lastSampleAt, lastProblem);
    }
}
