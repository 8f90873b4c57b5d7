package org.smartschool.gateway.wired;

import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import com.pi4j.io.serial.Serial;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.text.SafeText;
import org.smartschool.gateway.mqtt.Backoff;

/**
 * Reads a UART device (a microcontroller printing {@code CO2=812;T=29.4}, a card reader printing
 * UIDs) line by line on a thread of its own and hands each line, stamped with its arrival time, to
 * the intake, where the configured codec decodes it. A port that cannot be opened or fails is
 * reported offline and opened again after a growing wait.
 */
final class UartLineReader implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(UartLineReader.class);
    /** How long to wait when the port has nothing: a 9600-baud line brings about 10 bytes in this time. */
    static final long IDLE_MILLIS = 10;

    private final Supplier<Serial> open;
    private final DeviceRef device;
    private final LineSplitter splitter;
    private final WiredSink sink;
    private final Backoff backoff;
    private final LongSupplier clock;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean online = true;
    private volatile long lines;
    private volatile long failures;
    private volatile long lastLineAt;
    private volatile String lastProblem;
    private volatile Serial serial;

    UartLineReader(Supplier<Serial> open, DeviceRef device, int maxLineBytes, WiredSink sink, Backoff backoff,
                   LongSupplier clock) {
        this.open = open;
        this.device = device;
        this.splitter = new LineSplitter(maxLineBytes);
        this.sink = sink;
        this.backoff = backoff;
        this.clock = clock;
        this.thread = new Thread(this, "wired-uart-" + device.device());
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    @Override
    public void run() {
        byte[] chunk = new byte[256];
        while (running) {
            try {
                if (serial == null) {
                    serial = open.get();
                    if (!serial.isOpen()) {
                        serial.open();
                    }
                    backoff.reset();
                    if (!online) {
                        online = true;
                        LOG.info("[device: {}] serial port open again", device);
                        event(EventType.DEVICE_ONLINE, Map.of("source", "wired"));
                    }
                }
                int available = serial.available();
                if (available <= 0) {
                    Thread.sleep(IDLE_MILLIS);
                    continue;
                }
                int got = serial.read(chunk, 0, Math.min(chunk.length, available));
                if (got > 0) {
                    long now = clock.getAsLong();
                    splitter.feed(chunk, 0, got, line -> {
                        lines++;
                        lastLineAt = now;
                        sink.line(device.device(), line, now);
                    });
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                failed(e);
            }
        }
    }

    private void failed(RuntimeException e) {
        failures++;
        lastProblem = SafeText.clean("serial port: " + e.getMessage(), 160);
        closePort();
        long wait = backoff.next();
        if (online) {
            online = false;
            LOG.warn("[device: {}] {}; trying again in {} ms", device, lastProblem, wait);
            event(EventType.DEVICE_OFFLINE, Map.of("reason", lastProblem, "source", "wired"));
        }
        try {
            Thread.sleep(wait);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private void event(EventType type, Map<String, String> attributes) {
        long now = clock.getAsLong();
        sink.records(device.device(), List.of(), List.of(DeviceEvent.of(device, type, now, attributes)), now);
    }

    private void closePort() {
        Serial s = serial;
        serial = null;
        if (s != null) {
            try {
                s.close();
            } catch (RuntimeException ignored) {
                // already broken
            }
        }
    }

    void stop() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closePort();
    }

    WiredStatus status() {
        return new WiredStatus(device.device(), "uart", online, lines, failures, 0, lastLineAt,
                splitter.overlongLines() > 0 && lastProblem == null
                        ? splitter.overlongLines() + " overlong line(s) cut" : lastProblem);
    }
}
