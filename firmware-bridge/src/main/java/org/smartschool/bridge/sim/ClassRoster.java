package org.smartschool.bridge.sim;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.smartschool.bridge.sim.SchoolTimetable.Session;

/**
 * The learners of the class that sits in a room during one session, with their cards, for a
 * gateway's attendance to be given as its roster.
 *
 * <p><b>Synthetic.</b> No real person or card is behind any entry. Learner ids are
 * {@code SIM-<room>-<AM|PM>-<nn>}, plainly not the 12-digit personal id number real rosters carry.
 * Card UIDs are 7-byte ISO 14443 double-size UIDs whose first byte is {@code 5C}, a marker of this
 * simulator (real 7-byte UIDs start with their chip maker's code, {@code 04} for NXP), and whose other
 * six bytes are a hash of the seed, the school, the room, the session and the learner's place on
 * the roster: deterministic, distinct within a school in practice (48 bits), and meaningless.
 *
 * @param learners in roster order
 */
public record ClassRoster(String room, Session session, List<Learner> learners) {
    /** The first byte of every simulated card UID. */
    public static final int UID_MARKER = 0x5C;

    /** @param cardUid upper-case hex without separators, 14 digits */
    public record Learner(String learnerId, String cardUid) {
    }

    public ClassRoster {
        learners = List.copyOf(learners);
    }

    static ClassRoster of(Classroom room, Session session, long seed) {
        String tag = session == Session.MORNING ? "AM" : "PM";
        HexFormat hex = HexFormat.of().withUpperCase();
        List<Learner> learners = new ArrayList<>(room.classSize());
        for (int i = 1; i <= room.classSize(); i++) {
            long hash = Seeds.mix(seed, room.id(), session.name(), "card", Integer.toString(i));
            byte[] uid = new byte[7];
            uid[0] = (byte) UID_MARKER;
            for (int b = 1; b < 7; b++) {
                uid[b] = (byte) (hash >>> (8 * (b - 1)));
            }
            learners.add(new Learner(String.format("SIM-%s-%s-%02d", room.id(), tag, i), hex.formatHex(uid)));
        }
        return new ClassRoster(room.id(), session, learners);
    }

    public int size() {
        return learners.size();
    }
}
