package org.smartschool.gateway.wired;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import com.pi4j.io.gpio.digital.DigitalOutput;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The green and red LEDs (and the buzzer, when wired) of a door reader on GPIO outputs, active
 * high. {@link #signal} lights green for an accepted card and red for a refused one, each for its
 * time, with a short or a long beep; a new signal replaces the one still showing. Returns at once:
 * the pins are switched on the wired scheduler.
 */
public final class DoorReaderSignal {
    private static final Logger LOG = LoggerFactory.getLogger(DoorReaderSignal.class);

    /** What the reader tells the person at the door. */
    public enum Verdict { ACCEPT, REFUSE }

    private final String device;
    private final DigitalOutput green;
    private final DigitalOutput red;
    private final DigitalOutput buzzer;
    private final long acceptMillis;
    private final long refuseMillis;
    private final long acceptBeepMillis;
    private final long refuseBeepMillis;
    private final ScheduledExecutorService scheduler;
    private final List<ScheduledFuture<?>> pendingOff = new ArrayList<>();
    private volatile long signals;

    DoorReaderSignal(String device, DigitalOutput green, DigitalOutput red, DigitalOutput buzzer, long acceptMillis,
                     long refuseMillis, long acceptBeepMillis, long refuseBeepMillis, ScheduledExecutorService scheduler) {
        this.device = device;
        this.green = green;
        this.red = red;
        this.buzzer = buzzer;
        this.acceptMillis = acceptMillis;
        this.refuseMillis = refuseMillis;
        this.acceptBeepMillis = acceptBeepMillis;
        this.refuseBeepMillis = refuseBeepMillis;
        this.scheduler = scheduler;
    }

    public String device() {
        return device;
    }

    /** Shows {@code verdict}: green (accept) or red (refuse) for the configured time, with a beep. */
    public void signal(Verdict verdict) {
        scheduler.execute(() -> show(verdict));
    }

    private void show(Verdict verdict) {
        try {
            pendingOff.forEach(f -> f.cancel(false));
            pendingOff.clear();
            boolean accept = verdict == Verdict.ACCEPT;
            DigitalOutput lit = accept ? green : red;
            (accept ? red : green).low();
            lit.high();
            pendingOff.add(scheduler.schedule(() -> off(lit), accept ? acceptMillis : refuseMillis, TimeUnit.MILLISECONDS));
            if (buzzer != null) {
                buzzer.high();
                pendingOff.add(scheduler.schedule(() -> off(buzzer), accept ? acceptBeepMillis : refuseBeepMillis,
                        TimeUnit.MILLISECONDS));
            }
            signals++;
        } catch (RuntimeException e) {
            LOG.warn("[device: {}] cannot switch the reader's signal: {}", device, e.toString());
        }
    }

    private void off(DigitalOutput output) {
        try {
            output.low();
        } catch (RuntimeException e) {
            LOG.warn("[device: {}] cannot switch off {}: {}", device, output.id(), e.toString());
        }
    }

    WiredStatus status() {
        return new WiredStatus(device, "signal", true, signals, 0, 0, 0, null);
    }
}
