package org.smartschool.bridge.uplink;

/**
 * One shared instance of each id that batches repeat (school, gateway, rooms, devices), so that a hub's maps keyed by
 * them (liveness per device, latest value per room, a device's points) compare ids by reference and find their hash
 * cached, instead of hashing and comparing a new copy of every id in every batch.
 *
 * <p>Bounded: a fixed table of {@link #SLOTS} references (an id whose slot another id holds simply stays a copy, as
 * before); lock-free: a String is immutable, so a slot read or overwritten by several threads at once only ever
 * holds a whole, valid id. Only ids already validated are stored (the caller's order), so a hit needs no validation
 * again. Used by the decoder only (a gateway never decodes batches), so it costs a gateway nothing.
 */
final class CanonicalIds {
    /** 16,384 slots (64-128 KiB of references): a district's rooms and devices, with room to spare. */
    static final int SLOTS = 1 << 14;
    private static final String[] TABLE = new String[SLOTS];

    private CanonicalIds() {
    }

    /** The shared instance equal to {@code id}, or null when there is none yet. */
    static String find(String id) {
        int h = id.hashCode();
        String held = TABLE[first(h)];
        if (held != null && held.equals(id)) {
            return held;
        }
        held = TABLE[second(h)];
        return held != null && held.equals(id) ? held : null;
    }

    /**
     * Makes {@code id}, a valid id, the shared instance of its value: in the first of its two slots that is free,
     * else in the second (two ids of one school that meet in one slot then rarely meet in the other too, so they
     * do not keep displacing each other).
     */
    static String keep(String id) {
        int h = id.hashCode();
        int first = first(h);
        TABLE[TABLE[first] == null ? first : second(h)] = id;
        return id;
    }

    private static int first(int h) {
        return (h ^ (h >>> 14)) & (SLOTS - 1);
    }

    private static int second(int h) {
        int mixed = h * 0x9E3779B9;
        return (mixed ^ (mixed >>> 16)) & (SLOTS - 1);
    }
}
