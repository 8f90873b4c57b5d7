package org.smartschool.hub.alarm;


import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.bridge.alarm.AlarmTransition;
import org.smartschool.bridge.alarm.AlarmTransitions;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.hub.store.BatchOutcome;
import org.smartschool.hub.store.ForwardingReadingStore;
import org.smartschool.hub.store.ReadingStore;

/**
 * The reading store, which also applies the alarm transitions a batch carries (events of type
 * {@code alarm}, raised by the school's rules at its gateway) to the alarm store, before the batch
 * is acknowledged. They are applied after the batch is stored, and also when the batch is a replay:
 * a hub that stopped between the two gets them with the gateway's resend, and a transition applied
 * twice changes nothing.
 */
public final class AlarmApplyingStore extends ForwardingReadingStore {
    private static final Logger LOG = LoggerFactory.getLogger(AlarmApplyingStore.class);

    private final AlarmStore alarms;
    private Counter applied;
    private Counter malformed;

    public AlarmApplyingStore(ReadingStore store, AlarmStore alarms) {
        super(store);
        this.alarms = alarms;
    }

    @Override
    public BatchOutcome storeBatch(Batch batch) {
        BatchOutcome outcome = store.storeBatch(batch);
        for (DeviceEvent event : batch.events()) {
            if (event.type() != EventType.ALARM) {
                continue;
            }
            AlarmTransition transition;
            try {
                transition = AlarmTransitions.fromEvent(event);
            } catch (IllegalArgumentException e) {
                // stored as an event already; a gateway bug to report, not a reason to refuse the batch
                if (malformed != null) {
                    malformed.increment();
                }
                LOG.warn("[gateway: {}] [batch: {}] alarm event not applied: {}", batch.gatewayId(), batch.batchId(),
                        e.getMessage());
                continue;
            }
            if (alarms.apply(transition).isPresent() && applied != null) {
                applied.increment();
            }
        }
        return outcome;
    }

    @Override
    public void bindMetrics(MeterRegistry registry) {
        super.bindMetrics(registry);
        applied = Counter.builder("hub_alarm_transitions_total").description("alarm transitions applied from batches")
                .register(registry);
        malformed = Counter.builder("hub_alarm_events_malformed_total")
                .description("alarm events in batches that could not be read as transitions").register(registry);
    }
}
