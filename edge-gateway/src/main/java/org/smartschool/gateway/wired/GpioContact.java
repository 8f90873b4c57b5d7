package org.smartschool.gateway.wired;

import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;

import org.smartschool.bridge.codec.quantity.BinaryKind;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.DeviceRef;

/**
 * A door contact or a PIR motion sensor on a GPIO input. Every edge goes through a
 * {@link Debouncer} on the wired scheduler; a settled change of level becomes one device event
 * ({@code door_open} / {@code door_closed}, or {@code occupancy} with {@code occupied}), stamped
 * with the time of the edge. The level found at start is reported once, then only changes.
 */
final class GpioContact {
    private final DigitalInput input;
    private final DeviceRef device;
    private final BinaryKind kind;
    private final boolean activeHigh;
    private final WiredSink sink;
    private final ScheduledExecutorService scheduler;
    private final LongSupplier clock;
    private final Debouncer debouncer;
    private volatile long changes;
    private volatile long lastChangeAt;

    /** @param kind {@link BinaryKind#DOOR} or {@link BinaryKind#OCCUPANCY} */
    GpioContact(DigitalInput input, DeviceRef device, BinaryKind kind, boolean activeHigh, long debounceMillis,
                WiredSink sink, ScheduledExecutorService scheduler, LongSupplier clock) {
        this.input = input;
        this.device = device;
        this.kind = kind;
        this.activeHigh = activeHigh;
        this.sink = sink;
        this.scheduler = scheduler;
        this.clock = clock;
        this.debouncer = new Debouncer(debounceMillis, null);
        // listen first, then read the level: an edge in between is handled, and cannot be overtaken by an older level
        input.addListener(event -> edge(event.state(), clock.getAsLong())); // stamped where it happened
        edge(input.state(), clock.getAsLong()); // the level at start counts like an edge: it must hold too
    }

    private void edge(DigitalState state, long at) {
        if (state == DigitalState.HIGH || state == DigitalState.LOW) {
            scheduler.execute(() -> {
                long checkAt = debouncer.edge(active(state), at);
                scheduler.schedule(this::settle, Math.max(0, checkAt - clock.getAsLong()), TimeUnit.MILLISECONDS);
            });
        }
    }

    private boolean active(DigitalState state) {
        return (state == DigitalState.HIGH) == activeHigh;
    }

    private void settle() {
        debouncer.settle(clock.getAsLong()).ifPresent(change -> {
            DeviceEvent event = kind.event(device, change.level(), change.since());
            changes++;
            lastChangeAt = change.since();
            sink.records(device.device(), List.of(), List.of(event), change.since());
        });
    }

    WiredStatus status() {
        return new WiredStatus(device.device(), kind == BinaryKind.DOOR ? "door" : "motion", true, changes, 0, 0,
                lastChangeAt, null);
    }
}
