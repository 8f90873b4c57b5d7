package org.smartschool.hub.store.influx;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.hub.store.LatestValue;
import org.smartschool.hub.store.RoomRef;

/**
 * The newest value of each (school, room, quantity) and the rooms heard from, in memory; thread-safe (the store's
 * threads offer batches at once). A batch costs one map update per room and quantity it holds, not one per reading:
 * a batch holds its readings room by room ({@code BatchCodec}: a group per room, device and time column), so the
 * newest reading of each quantity is found within a run of one room's readings first, without an object per
 * reading, and only that one is offered to the shared map.
 */
final class LatestIndex {
    private static final int QUANTITIES = Quantity.values().length;

    private final Map<Key, LatestValue> latest = new ConcurrentHashMap<>();
    private final Set<RoomRef> rooms = ConcurrentHashMap.newKeySet();

    private record Key(String school, String room, Quantity quantity) {
    }

    /** Keeps the newer value of a (school, room, quantity); equal times keep the one there. */
    void offer(LatestValue value) {
        rooms.add(new RoomRef(value.school(), value.room()));
        latest.merge(new Key(value.school(), value.room(), value.quantity()), value,
                (old, candidate) -> candidate.timestamp() > old.timestamp() ? candidate : old);
    }

    void addRoom(RoomRef room) {
        rooms.add(room);
    }

    /**
     * A stored batch: as if each reading were offered in the batch's order (of equal times in one room and
     * quantity, the first stays), and each event's room added.
     */
    void offer(Batch batch) {
        List<Reading> readings = batch.readings();
        // per quantity, the newest reading of the current run of one room's readings
        Reading[] newest = new Reading[QUANTITIES];
        Reading runStart = null;
        for (Reading r : readings) {
            if (runStart == null || !r.room().equals(runStart.room()) || !r.school().equals(runStart.school())) {
                if (runStart != null) {
                    flush(newest);
                }
                runStart = r;
            }
            int q = r.quantity().ordinal();
            if (newest[q] == null || r.timestamp() > newest[q].timestamp()) {
                newest[q] = r;
            }
        }
        if (runStart != null) {
            flush(newest);
        }
        RoomRef lastRoom = null;
        for (DeviceEvent e : batch.events()) {
            if (lastRoom == null || !lastRoom.room().equals(e.room()) || !lastRoom.school().equals(e.school())) {
                lastRoom = new RoomRef(e.school(), e.room());
                rooms.add(lastRoom);
            }
        }
    }

    /** Offers the run's newest reading of each quantity and clears them for the next run. */
    private void flush(Reading[] newest) {
        boolean roomAdded = false;
        for (int q = 0; q < newest.length; q++) {
            Reading r = newest[q];
            if (r == null) {
                continue;
            }
            if (!roomAdded) {
                rooms.add(new RoomRef(r.school(), r.room()));
                roomAdded = true;
            }
            LatestValue value = new LatestValue(r.school(), r.room(), r.quantity(), r.device(), r.value(), r.timestamp());
            latest.merge(new Key(r.school(), r.room(), r.quantity()), value,
                    (old, candidate) -> candidate.timestamp() > old.timestamp() ? candidate : old);
        }
        Arrays.fill(newest, null);
    }

    /** By school, room and quantity id. */
    List<LatestValue> latestValues() {
        return latest.values().stream()
                .sorted(Comparator.comparing(LatestValue::school).thenComparing(LatestValue::room)
                        .thenComparing(v -> v.quantity().id()))
                .toList();
    }

    /** By school and room. */
    List<RoomRef> rooms() {
        return rooms.stream().sorted(Comparator.comparing(RoomRef::school).thenComparing(RoomRef::room)).toList();
    }
}
