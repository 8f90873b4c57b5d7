package org.smartschool.hub.attendance;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.bridge.attendance.AttendanceMark;
import org.smartschool.bridge.attendance.AttendanceMarks;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.hub.endpoint.RateLimitedLog;
import org.smartschool.hub.store.BatchOutcome;
import org.smartschool.hub.store.ForwardingReadingStore;
import org.smartschool.hub.store.ReadingStore;

/**
 * The reading store, which also takes the attendance decisions a batch carries (events of type
 * {@code attendance}, decided at the school's gateway) into the {@link AttendanceRecorder}, before the batch is
 * stored and acknowledged; also when the batch is a replay (the ledger takes an event id once).
 *
 * <p>The ledger goes first so that the school management system's webhook (committed with the decision) does
 * not wait for the time-series write as well. That order loses nothing: a batch whose store fails is not
 * acknowledged, the gateway resends it, and the ledger finds its decisions taken already (a replay: nothing
 * forwarded twice) and writes their counts again.
 *
 * <p>Two commits per batch, not four: the ledger's transaction also records the batch's id (the state
 * database's other write per batch), and the counts that transaction leaves go to the time series in the
 * batch's own write ({@link ReadingStore#storeRecordedBatch}). At 500 decisions a second from 10 schools the
 * state database's one writer was busy nearly all the time, and every batch queued for it twice (README,
 * "Performance"). The price: when the time-series write fails after that transaction, the resend is counted as
 * a replay and its readings are not published to the live views (they are stored all the same).
 *
 * <p>An attendance event that cannot be read is counted, logged in one rate-limited line that never quotes a
 * learner's id ({@link PersonalText}) and kept as a dead letter; the rest of the batch is taken and acknowledged.
 * Batches of another school than their gateway's never get here (the endpoint refuses them).
 */
public final class AttendanceApplyingStore extends ForwardingReadingStore {
    private static final Logger LOG = LoggerFactory.getLogger(AttendanceApplyingStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_REASON = 300;

    private final AttendanceRecorder recorder;
    private final Clock clock;
    private final RateLimitedLog rateLimited;
    private Counter malformed;

    public AttendanceApplyingStore(ReadingStore store, AttendanceRecorder recorder, Clock clock) {
        super(store);
        this.recorder = recorder;
        this.clock = clock;
        this.rateLimited = new RateLimitedLog(clock, Duration.ofSeconds(30));
    }

    @Override
    public BatchOutcome storeBatch(Batch batch) {
        List<AttendanceEvent> events = new ArrayList<>();
        for (DeviceEvent event : batch.events()) {
            if (event.type() != EventType.ATTENDANCE) {
                continue;
            }
            try {
                events.add(read(event));
            } catch (IllegalArgumentException e) {
                refuse(batch, event, e.getMessage());
            }
        }
        if (events.isEmpty()) {
            return store.storeBatch(batch);
        }
        AttendanceRecorder.Taken taken = recorder.take(events, batch);
        return store.storeRecordedBatch(batch, taken.batch(), taken.counts());
    }

    private static AttendanceEvent read(DeviceEvent event) {
        AttendanceMark m = AttendanceMarks.fromEvent(event);
        if (m.eventId().contains(m.learnerId())) {
            throw new IllegalArgumentException("attendance event id spells out the learner's id; derive it with the school's key");
        }
        return new AttendanceEvent(m.eventId(), m.school(), m.learnerId(), m.classId(), m.date(), m.session(), m.period(),
                m.category(), m.at());
    }

    private void refuse(Batch batch, DeviceEvent event, String message) {
        if (malformed != null) {
            malformed.increment();
        }
        Map<String, String> attributes = event.attributes();
        String eventId = PersonalText.redact(event.id(), attributes, 64);
        String reason = PersonalText.redact(message, attributes, MAX_REASON);
        recorder.ledger().deadLetter(new AttendanceDeadLetter(0, batch.school(), batch.gatewayId(), batch.batchId(), eventId,
                reason, json(attributes), clock.millis()));
        rateLimited.log("attendance:" + batch.gatewayId(), "[gateway: " + batch.gatewayId() + "] [batch: "
                        + PersonalText.redact(batch.batchId(), attributes, 128) + "] attendance event " + eventId
                        + " not recorded (kept as a dead letter): " + reason,
                (line, suppressed) -> LOG.warn("{} ({} similar suppressed)", line, suppressed));
    }

    private static String json(Map<String, String> attributes) {
        try {
            return JSON.writeValueAsString(new TreeMap<>(attributes));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always renders", e);
        }
    }

    @Override
    public void bindMetrics(MeterRegistry registry) {
        super.bindMetrics(registry);
        recorder.bindMetrics(registry);
        malformed = Counter.builder("hub.attendance.events").tag("result", "malformed")
                .description("attendance events in batches that could not be read (kept as dead letters)").register(registry);
    }
}
