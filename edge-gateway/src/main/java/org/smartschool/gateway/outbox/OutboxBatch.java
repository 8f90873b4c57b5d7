package org.smartschool.gateway.outbox;

import java.util.List;

import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.Reading;

/**
 * The oldest records of the outbox, as {@link Outbox#peek(int)} found them; still in the outbox
 * until {@link Outbox#remove(long)} is called with {@link #lastSeq()}.
 *
 * @param firstSeq the outbox sequence number of the first record
 * @param lastSeq the outbox sequence number of the last record
 */
public record OutboxBatch(long firstSeq, long lastSeq, List<Reading> readings, List<DeviceEvent> events) {
    public OutboxBatch {
        readings = List.copyOf(readings);
        events = List.copyOf(events);
    }

    public int size() {
        return readings.size() + events.size();
    }

    public boolean isEmpty() {
        return size() == 0;
    }
}
