package org.smartschool.bridge.sim;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.smartschool.bridge.sim.SchoolTimetable.Session;

/**
 * The learners of the class that sits in a room during one session, with their cards, for a
 * gateway's attendance to be given as its roster.
 *
 * <p><b>Synthetic.</b> No real person or card is behind any entry. Learner ids have the shape of the
 * 12-digit national personal ID that real rosters carry (so that the gateway's and the hub's checks
 * take them) but start with {@code 000}, a province code that does not exist: {@code 000} + 3 digits
 * of the school's seed + the room's number (3 digits) + the session ({@code 1} morning, {@code 2}
 * afternoon) + the place on the roster (2 digits), distinct within a school.
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

    /**
     * @param roomNumber the room's place in the school's layout (1-999), part of each learner's id
     * @param seed the school's seed
     */
    static ClassRoster of(Classroom room, int roomNumber, Session session, long seed) {
        if (roomNumber < 1 || roomNumber > 999) {
            throw new IllegalArgumentException("room number must be 1-999 for a synthetic learner id, got " + roomNumber);
        }
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
            String learnerId = String.format("000%03d%03d%d%02d", Math.floorMod(seed, 1000L), roomNumber,
                    session == Session.MORNING ? 1 : 2, i);
            learners.add(new Learner(learnerId, hex.formatHex(uid)));
        }
        return new ClassRoster(room.id(), session, learners);
    }

    public int size() {
        return learners.size();
    }

    /** A card UID {@code 5C3A910F} as an ESPHome RC522 reader publishes it: {@code 5C-3A-91-0F}. */
    public static String dashed(String hex) {
        StringBuilder out = new StringBuilder(hex.length() * 3 / 2);
        for (int i = 0; i < hex.length(); i += 2) {
            if (i > 0) {
                out.append('-');
            }
            out.append(hex, i, i + 2);
        }
        return out.toString();
    }
}
