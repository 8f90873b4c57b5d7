package org.smartschool.hub.loadgen;

import java.util.ArrayList;
import java.util.List;

import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.codec.DecodeResult;
import org.smartschool.bridge.codec.RawMessage;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.routing.TopicRouter;
import org.smartschool.bridge.sim.SchoolLayout;
import org.smartschool.bridge.sim.SchoolSimulation;
import org.smartschool.bridge.sim.SimulatedMessage;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.bridge.uplink.BatchCodec;

/**
 * The batches one simulated gateway sends: its school's devices ({@link SchoolSimulation}) run forward
 * in simulated time from a start instant, each message decoded by the codec its topic routes to (as the
 * gateway does) and the readings and events cut into batches of {@link Shape#batchRecords()} records,
 * encoded with {@link BatchCodec}. Simulated time only moves forward, so every batch holds new points:
 * no two batches of a run share a timestamp of one series.
 *
 * <p>Batch ids follow docs/protocol.md section 5, {@code {gatewayId}-{firstSeq}-{lastSeq}}, with
 * sequence numbers that start at {@code startMillis x 10^6}: a later run never repeats an earlier
 * run's ids, so the hub stores it rather than counting it as a replay.
 */
public final class SchoolBatches {
    /**
     * Readings per second of a simulated school, per classroom (lab and power meters included; measured:
     * 128,592 readings in an hour of a 40-room school). Only used to place the run in time.
     */
    public static final double READINGS_PER_ROOM_SECOND = 0.89;
    /** Largest start instant whose sequence base fits a long (year 2262). */
    public static final long MAX_START_MILLIS = Long.MAX_VALUE / 1_000_000L - 1;
    private static final long STEP_MILLIS = 10_000;

    /**
     * What each school looks like and how its gateway batches.
     *
     * @param rooms        classrooms per school ({@link SchoolLayout#of}: with a lab, no faults)
     * @param batchRecords readings plus events per batch (the gateway's {@code uplink.batchMaxRecords})
     * @param seed         the simulation's seed; the school id is mixed in, so schools differ
     */
    public record Shape(int rooms, int batchRecords, long seed) {
        public static final int DEFAULT_ROOMS = 40;
        public static final int DEFAULT_BATCH_RECORDS = 500;

        public Shape {
            if (rooms < 1 || rooms > SchoolLayout.MAX_ROOMS) {
                throw new IllegalArgumentException("rooms must be 1-" + SchoolLayout.MAX_ROOMS + ": " + rooms);
            }
            if (batchRecords < 1 || batchRecords > BatchCodec.MAX_RECORDS) {
                throw new IllegalArgumentException("records per batch must be 1-" + BatchCodec.MAX_RECORDS + ": "
                        + batchRecords);
            }
        }
    }

    private SchoolBatches() {
    }

    /**
     * The encoded batches of {@code gateway}'s school holding exactly {@code readings} readings (and the
     * events its devices send meanwhile), the first at {@code startMillis}.
     */
    public static List<PreparedBatch> prepare(GatewayCredential gateway, long readings, Shape shape, long startMillis) {
        BatchCodec codec = new BatchCodec();
        List<PreparedBatch> out = new ArrayList<>();
        build(gateway, readings, shape, startMillis, batch ->
                out.add(new PreparedBatch(batch.batchId(), codec.encode(batch), batch.readings().size(),
                        batch.events().size())));
        return out;
    }

    /** Receives each batch as it is cut. */
    @FunctionalInterface
    public interface BatchSink {
        void accept(Batch batch);
    }

    /** As {@link #prepare}, handing each {@link Batch} to {@code sink} instead of encoding it. */
    public static void build(GatewayCredential gateway, long readings, Shape shape, long startMillis, BatchSink sink) {
        if (startMillis <= 0 || startMillis > MAX_START_MILLIS) {
            throw new IllegalArgumentException("start must be after 1970 and before 2262: " + startMillis);
        }
        if (readings < 0) {
            throw new IllegalArgumentException("readings must not be negative: " + readings);
        }
        new Cutter(gateway, readings, shape, startMillis, sink).run();
    }

    /** The running state of one school's batching. Not thread-safe: one per gateway. */
    private static final class Cutter {
        private final GatewayCredential gateway;
        private final long quota;
        private final Shape shape;
        private final long startMillis;
        private final BatchSink sink;
        private final long seqBase;
        private final List<Reading> readings = new ArrayList<>();
        private final List<DeviceEvent> events = new ArrayList<>();
        private long taken;
        private long nextSeq = 1;

        Cutter(GatewayCredential gateway, long quota, Shape shape, long startMillis, BatchSink sink) {
            this.gateway = gateway;
            this.quota = quota;
            this.shape = shape;
            this.startMillis = startMillis;
            this.sink = sink;
            this.seqBase = startMillis * 1_000_000L;
        }

        void run() {
            SchoolSimulation simulation = new SchoolSimulation(gateway.school(), SchoolLayout.of(shape.rooms()),
                    shape.seed(), startMillis);
            TopicRouter router = new TopicRouter(gateway.school(), simulation.routes(), CodecRegistry.standard());
            long until = startMillis;
            while (taken < quota) {
                until += STEP_MILLIS;
                for (SimulatedMessage message : simulation.messagesUntil(until)) {
                    if (taken == quota) {
                        break;
                    }
                    add(message, decode(router, message));
                }
            }
            flush();
        }

        private static DecodeResult decode(TopicRouter router, SimulatedMessage message) {
            TopicRouter.Routing routing = router.route(message.topic());
            if (!(routing instanceof TopicRouter.Routing.Routed routed)) {
                // the simulation hands out the routes for every topic it publishes: a mismatch is a bug
                throw new IllegalStateException("no route for simulated topic " + message.topic());
            }
            DecodeResult result = routed.codec().decode(
                    new RawMessage(message.topic(), null, message.payload(), message.timestamp()), routed.device());
            if (result.hasProblems()) {
                // without faults the simulated firmware sends clean payloads: a problem is a bug, not load
                throw new IllegalStateException("simulated message on " + message.topic() + " did not decode: "
                        + result.problems().get(0));
            }
            return result;
        }

        private void add(SimulatedMessage message, DecodeResult result) {
            for (Reading reading : result.readings()) {
                if (taken == quota) {
                    return;
                }
                readings.add(reading);
                taken++;
                flushWhenFull();
            }
            for (DeviceEvent event : result.events()) {
                events.add(event);
                flushWhenFull();
            }
        }

        private void flushWhenFull() {
            if (readings.size() + events.size() >= shape.batchRecords()) {
                flush();
            }
        }

        private void flush() {
            int records = readings.size() + events.size();
            if (records == 0) {
                return;
            }
            String id = gateway.id() + "-" + (seqBase + nextSeq) + "-" + (seqBase + nextSeq + records - 1);
            nextSeq += records;
            sink.accept(new Batch(id, gateway.id(), gateway.school(), readings, events));
            readings.clear();
            events.clear();
        }
    }
}
