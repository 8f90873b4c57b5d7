package org.smartschool.hub.store.influx;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.hub.store.LatestValue;
import org.smartschool.hub.store.RoomRef;

/**
 * The newest value of each (school, room, quantity) and the rooms heard from, in memory; thread-safe (the store's
 * threads offer batches at once). Each school has its own lock, taken once per batch (a batch is one school's), and
 * a slot per room and quantity that a newer reading overwrites in place: a batch costs a map lookup per run of one
 * room's readings ({@code BatchCodec} keeps a room's readings together) and a comparison per reading, with no object
 * and no shared-map update per reading. Reads (the overview page) copy the slots out.
 */
final class LatestIndex {
    private static final int QUANTITIES = Quantity.values().length;
    private static final Comparator<RoomRef> ROOM_ORDER = Comparator.comparing(RoomRef::school)
            .thenComparing(RoomRef::room);

    private final Map<String, School> schools = new ConcurrentHashMap<>();

    /** One school's rooms; guarded by itself. */
    private static final class School {
        final String id;
        final Map<String, Room> rooms = new HashMap<>();

        School(String id) {
            this.id = id;
        }

        Room room(String room) {
            return rooms.computeIfAbsent(room, Room::new);
        }
    }

    /** A room heard from, and its newest value per quantity (ordinal), if any. */
    private static final class Room {
        final String id;
        Slot[] slots;

        Room(String id) {
            this.id = id;
        }

        /** Keeps the newer value; equal times keep the one there. */
        void offer(Quantity quantity, String device, double value, long timestamp) {
            if (slots == null) {
                slots = new Slot[QUANTITIES];
            }
            Slot slot = slots[quantity.ordinal()];
            if (slot == null) {
                slots[quantity.ordinal()] = new Slot(device, value, timestamp);
            } else if (timestamp > slot.timestamp) {
                slot.device = device;
                slot.value = value;
                slot.timestamp = timestamp;
            }
        }
    }

    /** The newest value of one room and quantity, overwritten in place. */
    private static final class Slot {
        String device;
        double value;
        long timestamp;

        Slot(String device, double value, long timestamp) {
            this.device = device;
            this.value = value;
            this.timestamp = timestamp;
        }
    }

    private School school(String id) {
        return schools.computeIfAbsent(id, School::new);
    }

    /** Keeps the newer value of a (school, room, quantity); equal times keep the one there. */
    void offer(LatestValue value) {
        School school = school(value.school());
        synchronized (school) {
            school.room(value.room()).offer(value.quantity(), value.device(), value.value(), value.timestamp());
        }
    }

    void addRoom(RoomRef room) {
        School school = school(room.school());
        synchronized (school) {
            school.room(room.room());
        }
    }

    /**
     * A stored batch: as if each reading were offered in the batch's order (of equal times in one room and
     * quantity, the first stays), and each event's room added.
     */
    void offer(Batch batch) {
        if (batch.readings().isEmpty() && batch.events().isEmpty()) {
            return;
        }
        // Batch holds only readings and events of its own school
        School school = school(batch.school());
        synchronized (school) {
            Room room = null;
            for (Reading r : batch.readings()) {
                if (room == null || !room.id.equals(r.room())) {
                    room = school.room(r.room());
                }
                room.offer(r.quantity(), r.device(), r.value(), r.timestamp());
            }
            room = null;
            for (DeviceEvent e : batch.events()) {
                if (e.type() == org.smartschool.bridge.model.EventType.ATTENDANCE) {
                    continue; // not stored as an event (InfluxPoints)
                }
                if (room == null || !room.id.equals(e.room())) {
                    room = school.room(e.room());
                }
            }
        }
    }

    /** By school, room and quantity id. */
    List<LatestValue> latestValues() {
        List<LatestValue> out = new ArrayList<>();
        for (School school : schools.values()) {
            synchronized (school) {
                for (Room room : school.rooms.values()) {
                    if (room.slots == null) {
                        continue;
                    }
                    for (int q = 0; q < QUANTITIES; q++) {
                        Slot s = room.slots[q];
                        if (s != null) {
                            out.add(new LatestValue(school.id, room.id, Quantity.values()[q], s.device, s.value,
                                    s.timestamp));
                        }
                    }
                }
            }
        }
        out.sort(Comparator.comparing(LatestValue::school).thenComparing(LatestValue::room)
                .thenComparing(v -> v.quantity().id()));
        return out;
    }

    /** By school and room. */
    List<RoomRef> rooms() {
        List<RoomRef> out = new ArrayList<>();
        for (School school : schools.values()) {
            synchronized (school) {
                for (Room room : school.rooms.values()) {
                    out.add(new RoomRef(school.id, room.id));
                }
            }
        }
        out.sort(ROOM_ORDER);
        return out;
    }
}
