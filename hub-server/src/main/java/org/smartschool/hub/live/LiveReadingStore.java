package org.smartschool.hub.live;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.hub.attendance.AttendanceCounts;
import org.smartschool.hub.store.BatchOutcome;
import org.smartschool.hub.store.ForwardingReadingStore;
import org.smartschool.hub.store.LatestValue;
import org.smartschool.hub.store.ReadingStore;

/**
 * The reading store, which also publishes each newly stored batch's newest value per room, device and quantity
 * ({@link LiveEvent.RoomValues}), after it is stored. A replay publishes nothing: its values were published before.
 */
public final class LiveReadingStore extends ForwardingReadingStore {
    private final LiveEvents events;

    public LiveReadingStore(ReadingStore store, LiveEvents events) {
        super(store);
        this.events = events;
    }

    @Override
    public BatchOutcome storeBatch(Batch batch) {
        return published(batch, store.storeBatch(batch));
    }

    @Override
    public BatchOutcome storeRecordedBatch(Batch batch, BatchOutcome recorded, List<AttendanceCounts> counts) {
        return published(batch, store.storeRecordedBatch(batch, recorded, counts));
    }

    private BatchOutcome published(Batch batch, BatchOutcome outcome) {
        if (outcome == BatchOutcome.STORED && events.subscribers() > 0) {
            roomValues(batch).forEach(events::publish);
        }
        return outcome;
    }

    /** Per room, the newest reading of each device and quantity in the batch. */
    static List<LiveEvent.RoomValues> roomValues(Batch batch) {
        Map<String, Map<String, Reading>> newest = new LinkedHashMap<>();
        for (Reading r : batch.readings()) {
            newest.computeIfAbsent(r.room(), room -> new LinkedHashMap<>())
                    .merge(r.device() + "\u0000" + r.quantity().id(), r, (a, b) -> b.timestamp() >= a.timestamp() ? b : a);
        }
        List<LiveEvent.RoomValues> out = new ArrayList<>();
        newest.forEach((room, readings) -> out.add(new LiveEvent.RoomValues(batch.school(), room, readings.values().stream()
                .map(r -> new LatestValue(r.school(), r.room(), r.quantity(), r.device(), r.value(), r.timestamp()))
                .toList())));
        return out;
    }
}
