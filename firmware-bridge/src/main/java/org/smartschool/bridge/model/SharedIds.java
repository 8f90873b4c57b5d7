package org.smartschool.bridge.model;

/**
 * One shared instance of each id that batches repeat (school, gateway, rooms, devices), so that a hub's maps keyed by
 * them (liveness per device, latest value per room, a device's points) compare ids by reference and find their hash
 * cached, instead of hashing and comparing a new copy of every id in every batch; and so that {@link Ids#require}
 * knows a shared instance valid by its identity, without reading its characters again (the batch decoder builds
 * three of them into every reading).
 *
 * <p>Only valid ids ever enter the table: {@link #of} checks an id the first time it is seen. A String is immutable,
 * so an instance found in the table is valid for good. Bounded: a fixed table of {@link #SLOTS} references (an id
 * whose slots other ids hold simply stays a copy, checked as any other); lock-free: a slot read or overwritten by
 * several threads at once only ever holds a whole, valid id. Used by the decoder only (a gateway never decodes
 * batches), so it costs a gateway nothing.
 */
public final class SharedIds {
    /** 16,384 slots (64-128 KiB of references): a district's rooms and devices, with room to spare. */
    static final int SLOTS = 1 << 14;
    private static final String[] TABLE = new String[SLOTS];

    private SharedIds() {
    }

    /**
     * The shared instance equal to {@code id}, or {@code id} itself, now shared, when it is a valid id seen for the
     * first time (or its slots are taken); null when it is not a valid id ({@link Ids#isValid}).
     */
    public static String of(String id) {
        if (id == null) {
            return null;
        }
        int h = id.hashCode();
        int first = first(h);
        String held = TABLE[first];
        if (held != null && held.equals(id)) {
            return held;
        }
        int second = second(h);
        held = TABLE[second];
        if (held != null && held.equals(id)) {
            return held;
        }
        if (!Ids.isValid(id)) {
            return null;
        }
        // the first of its two slots that is free, else the second (two ids of one school that meet in one slot
        // then rarely meet in the other too, so they do not keep displacing each other)
        TABLE[TABLE[first] == null ? first : second] = id;
        return id;
    }

    /** True when {@code id} is itself an instance in the table, hence valid. */
    static boolean holds(String id) {
        int h = id.hashCode();
        return TABLE[first(h)] == id || TABLE[second(h)] == id;
    }

    private static int first(int h) {
        return (h ^ (h >>> 14)) & (SLOTS - 1);
    }

    private static int second(int h) {
        int mixed = h * 0x9E3779B9;
        return (mixed ^ (mixed >>> 16)) & (SLOTS - 1);
    }
}
