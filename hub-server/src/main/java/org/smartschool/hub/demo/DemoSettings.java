package org.smartschool.hub.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

import org.smartschool.bridge.sim.SchoolLayout;
import org.smartschool.hub.config.InfluxConfig;

/**
 * What the demo district looks like.
 *
 * @param httpHost       where the hub's page and API listen; loopback, since the demo has no login
 * @param httpPort       0 for any free port
 * @param schools        1-{@value DemoSchool#MAX_SCHOOLS}
 * @param roomsPerSchool classrooms per school, each with one air-quality sensor
 * @param dataDir        the hub's store and the gateways' outboxes go here
 * @param history        how much simulated past is published at start, so charts are not empty
 *                       (shortened for big districts, see {@link #historyFor})
 * @param influx         the InfluxDB that stores the time series ({@code --influx}), or null for the embedded SQLite
 * @param coapPort       UDP port where devices POST SenML to {@code /{school}/{room}/{device}}; 0 for any free port
 * @param morningSpeed   the simulated school morning's speed ({@link SchoolMorning}: the door readers and the
 *                       gateways' attendance on a school clock from 06:45, this many times real time); 0: off, the
 *                       doors follow the real clock (taps only in real school hours)
 * @param webhookUrl     where alarm and attendance events are forwarded ({@code --webhook}), or null; subscribed
 *                       before the morning starts, so that the receiver gets every decision
 * @param webhookSecret  its signing secret ({@code whsec_...}); null exactly when the URL is
 */
public record DemoSettings(String httpHost, int httpPort, int schools, int roomsPerSchool, Path dataDir,
                           Duration history, InfluxConfig influx, int coapPort, int morningSpeed,
                           String webhookUrl, String webhookSecret) {
    public static final int DEFAULT_ROOMS = 8;
    public static final Duration DEFAULT_HISTORY = Duration.ofHours(1);
    /** About as many device messages as a 2-core machine pushes through in ten seconds. */
    static final long HISTORY_MESSAGE_BUDGET = 30_000;

    public DemoSettings {
        if (httpHost == null || httpHost.isBlank()) {
            throw new IllegalArgumentException("httpHost must not be empty");
        }
        if (httpPort < 0 || httpPort > 65_535) {
            throw new IllegalArgumentException("--port: " + httpPort + " is not a TCP port (0-65535, 0 = any free port)");
        }
        if (schools < 1 || schools > DemoSchool.MAX_SCHOOLS) {
            throw new IllegalArgumentException("--schools: must be 1-" + DemoSchool.MAX_SCHOOLS + ", got " + schools);
        }
        if (roomsPerSchool < 1 || roomsPerSchool > 40) {
            throw new IllegalArgumentException("roomsPerSchool: must be 1-40, got " + roomsPerSchool);
        }
        Objects.requireNonNull(dataDir, "dataDir");
        if (history == null || history.isNegative()) {
            throw new IllegalArgumentException("history: must be zero or more");
        }
        if (coapPort < 0 || coapPort > 65_535) {
            throw new IllegalArgumentException("--coap-port: " + coapPort + " is not a UDP port (0-65535, 0 = any free port)");
        }
        if (morningSpeed < 0 || morningSpeed > SchoolMorning.MAX_SPEED) {
            throw new IllegalArgumentException("--morning-speed: must be off (0) or 1-" + SchoolMorning.MAX_SPEED
                    + " times real time, got " + morningSpeed);
        }
        if ((webhookUrl == null) != (webhookSecret == null)) {
            throw new IllegalArgumentException("--webhook and --webhook-secret go together");
        }
    }

    /** The time series in the embedded SQLite store, CoAP on any free port, no simulated morning, no webhook. */
    public DemoSettings(String httpHost, int httpPort, int schools, int roomsPerSchool, Path dataDir, Duration history) {
        this(httpHost, httpPort, schools, roomsPerSchool, dataDir, history, null, 0, 0, null, null);
    }

    public DemoSettings withCoapPort(int value) {
        return new DemoSettings(httpHost, httpPort, schools, roomsPerSchool, dataDir, history, influx, value,
                morningSpeed, webhookUrl, webhookSecret);
    }

    /** The demo's defaults for a district of {@code schools} schools, the school morning at its default speed. */
    public static DemoSettings of(int httpPort, int schools, Path dataDir) {
        return new DemoSettings("127.0.0.1", httpPort, schools, DEFAULT_ROOMS, dataDir,
                historyFor(schools, DEFAULT_ROOMS, DEFAULT_HISTORY)).withMorningSpeed(SchoolMorning.DEFAULT_SPEED);
    }

    public DemoSettings withHistory(Duration value) {
        return new DemoSettings(httpHost, httpPort, schools, roomsPerSchool, dataDir, value, influx, coapPort,
                morningSpeed, webhookUrl, webhookSecret);
    }

    /** The time series in this InfluxDB. */
    public DemoSettings withInflux(InfluxConfig value) {
        return new DemoSettings(httpHost, httpPort, schools, roomsPerSchool, dataDir, history, value, coapPort,
                morningSpeed, webhookUrl, webhookSecret);
    }

    /** The simulated school morning at {@code speed} times real time; 0: off. */
    public DemoSettings withMorningSpeed(int speed) {
        return new DemoSettings(httpHost, httpPort, schools, roomsPerSchool, dataDir, history, influx, coapPort,
                speed, webhookUrl, webhookSecret);
    }

    /** Alarm and attendance events forwarded to {@code url}, signed with {@code secret}. */
    public DemoSettings withWebhook(String url, String secret) {
        return new DemoSettings(httpHost, httpPort, schools, roomsPerSchool, dataDir, history, influx, coapPort,
                morningSpeed, url, secret);
    }

    /**
     * The history to publish at start: {@code wanted}, shortened so that the whole district's
     * backlog (every device of the simulated school layout) stays within {@link #HISTORY_MESSAGE_BUDGET}.
     */
    static Duration historyFor(int schools, int rooms, Duration wanted) {
        long messagesPerMinute = (long) Math.ceil(schools * SchoolLayout.of(rooms).messagesPerMinute());
        if (messagesPerMinute <= 0) {
            return wanted; // the settings' constructor refuses such a district with a clear message
        }
        long minutes = Math.min(wanted.toMinutes(), HISTORY_MESSAGE_BUDGET / messagesPerMinute);
        return Duration.ofMinutes(minutes);
    }
}
