package org.smartschool.bridge.sim;

import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;

import org.smartschool.bridge.routing.TopicRoute;
import org.smartschool.bridge.sim.FaultPlan.Episode;

/**
 * A device that reports every {@link DeviceProfile#intervalMillis()}, with its availability messages and
 * its faults: its birth message at the start; then a report per interval; a stuck sensor repeating
 * the values it read when it stuck; silence during a dropout; one absurd value in a spiked report;
 * during an outage only its last will (90 s after it died, when the broker misses 1.5 keep-alives of
 * 60 s) and its birth message when it is back; a false alarm reported the moment it starts and ends.
 *
 * <p>The device's model is measured at every report time, published or not, so a fault changes
 * what is published, never what the device measures afterwards.
 */
final class PeriodicDevice implements SimulatedDevice {
    static final long LAST_WILL_DELAY_MILLIS = 90_000;

    private enum EdgeType { START, LAST_WILL, END }

    /** A moment a fault changes what the device publishes besides its reports. */
    private record Edge(long at, long order, EdgeType type, Episode episode) {
    }

    private final Firmware firmware;
    private final DeviceProfile profile;
    private final FaultPlan plan;
    private final FaultJournal journal;
    private final long start;
    private final long interval;
    private final ArrayDeque<SimulatedMessage> pending = new ArrayDeque<>();
    private final PriorityQueue<Edge> edges = new PriorityQueue<>(
            Comparator.comparingLong(Edge::at).thenComparingLong(Edge::order));
    private final List<Episode> active = new ArrayList<>();
    private LocalDate loadedThrough;
    private long loadedUntil;
    private long edgeCount;
    private long nextSlot;
    private long lastSlot = Long.MIN_VALUE;
    private long lastQueued = Long.MIN_VALUE;
    private double[] frozen;

    PeriodicDevice(Firmware firmware, long start, FaultPlan plan, FaultJournal journal) {
        this.firmware = firmware;
        this.profile = firmware.profile();
        this.plan = plan;
        this.journal = journal;
        this.start = start;
        this.interval = profile.intervalMillis();
        this.nextSlot = profile.firstReportAt();
        this.loadedThrough = SchoolTimetable.day(start).minusDays(1);
        this.loadedUntil = SchoolTimetable.startOfDay(loadedThrough.plusDays(1));
        SimulatedMessage birth = profile.online(start);
        if (birth != null) {
            queue(birth);
        } else {
            fill();
        }
    }

    @Override
    public String id() {
        return profile.id();
    }

    @Override
    public String room() {
        return profile.room();
    }

    @Override
    public List<TopicRoute> routes() {
        return profile.routes();
    }

    @Override
    public long nextAt() {
        return pending.getFirst().timestamp();
    }

    @Override
    public SimulatedMessage next() {
        SimulatedMessage message = pending.removeFirst();
        if (pending.isEmpty()) {
            fill();
        }
        return message;
    }

    /** Runs the device's events in time order until it has something to publish. */
    private void fill() {
        while (pending.isEmpty()) {
            if (!plan.isEmpty()) {
                loadFaultsThrough(nextSlot);
            }
            Edge edge = edges.peek();
            if (edge != null && edge.at() <= nextSlot) {
                edges.poll();
                onEdge(edge);
            } else {
                onSlot(nextSlot);
                lastSlot = nextSlot;
                nextSlot += interval;
            }
        }
    }

    private void loadFaultsThrough(long t) {
        while (t >= loadedUntil) {
            loadedThrough = loadedThrough.plusDays(1);
            loadedUntil = SchoolTimetable.startOfDay(loadedThrough.plusDays(1));
            for (Episode e : plan.on(loadedThrough)) {
                if (e.from() < start) {
                    continue; // faults begin after the simulation does
                }
                active.add(e);
                switch (e.kind()) {
                    case SPIKE -> { }
                    case OFFLINE -> {
                        edge(e.from(), EdgeType.START, e);
                        edge(e.from() + LAST_WILL_DELAY_MILLIS, EdgeType.LAST_WILL, e);
                        edge(e.to(), EdgeType.END, e);
                    }
                    default -> {
                        edge(e.from(), EdgeType.START, e);
                        edge(e.to(), EdgeType.END, e);
                    }
                }
            }
        }
    }

    private void edge(long at, EdgeType type, Episode episode) {
        edges.add(new Edge(at, edgeCount++, type, episode));
    }

    private void onEdge(Edge edge) {
        Episode e = edge.episode();
        long at = Math.max(edge.at(), lastQueued);
        switch (edge.type()) {
            case START -> {
                journal.record(new InjectedFault(profile.room(), profile.id(), e.kind(), e.from(), e.to()));
                if (e.kind() == FaultKind.FALSE_ALARM) {
                    queueAll(firmware.report(at, firmware.inject(FaultKind.FALSE_ALARM, firmware.measure(at))));
                }
            }
            case LAST_WILL -> queue(profile.offline(at));
            case END -> {
                if (e.kind() == FaultKind.OFFLINE) {
                    queue(profile.online(at));
                } else if (e.kind() == FaultKind.FALSE_ALARM) {
                    queueAll(firmware.report(at, firmware.measure(at)));
                }
            }
        }
    }

    private void onSlot(long t) {
        double[] values = firmware.measure(t);
        boolean silent = false;
        boolean stuck = false;
        boolean alarm = false;
        boolean spike = false;
        for (Iterator<Episode> it = active.iterator(); it.hasNext(); ) {
            Episode e = it.next();
            if (e.kind() == FaultKind.SPIKE) {
                if (e.from() <= t) {
                    spike |= e.from() > lastSlot;
                    it.remove();
                }
                continue;
            }
            if (e.to() <= t) {
                it.remove();
            } else if (e.covers(t)) {
                switch (e.kind()) {
                    case STUCK -> stuck = true;
                    case DROPOUT, OFFLINE -> silent = true;
                    case FALSE_ALARM -> alarm = true;
                    default -> { }
                }
            }
        }
        if (stuck) {
            if (frozen == null) {
                frozen = values.clone();
            }
            values = frozen;
        } else {
            frozen = null;
        }
        if (alarm) {
            values = firmware.inject(FaultKind.FALSE_ALARM, values);
        }
        if (silent) {
            return;
        }
        if (spike) {
            values = firmware.inject(FaultKind.SPIKE, values);
            journal.record(new InjectedFault(profile.room(), profile.id(), FaultKind.SPIKE, t, t));
        }
        queueAll(firmware.report(t, values));
    }

    private void queue(SimulatedMessage message) {
        pending.addLast(message);
        lastQueued = message.timestamp();
    }

    private void queueAll(List<SimulatedMessage> messages) {
        for (SimulatedMessage m : messages) {
            queue(m);
        }
    }
}
