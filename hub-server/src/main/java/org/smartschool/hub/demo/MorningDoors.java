package org.smartschool.hub.demo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import org.smartschool.bridge.sim.ClassRoster;
import org.smartschool.bridge.sim.SchoolTimetable;
import org.smartschool.bridge.sim.SimulatedMessage;

/**
 * The door readers' taps of one school's simulated morning ({@link SchoolMorning}), on its school clock. They
 * look as the simulation's door readers' do (an ESPHome RC522 publishing the dashed UID on
 * {@code doors/{room}/{room}-door/tag}), but are scripted so that every morning class shows each outcome:
 * <ul>
 *   <li>1-3 learners never tap: absent at the cut-off;</li>
 *   <li>about 8 %, at least one, tap after the grace, in the first half of the time to the cut-off: late;</li>
 *   <li>the others tap in the 14 minutes before the bell, most in the last few: present;</li>
 *   <li>4 % tap twice, 2-6 s apart (the reader did not beep): the second is a duplicate;</li>
 * </ul>
 * and at the first classroom's door, before the bell, a visitor's card nobody registered (refused: unknown card)
 * and a learner's lost card, revoked in the school's roster ({@link #revokedCards()}; refused: revoked card); that
 * learner then taps the new card. Deterministic: the same school, day and seed give the same taps.
 *
 * <p>Not thread-safe: one caller takes the taps due ({@link #until}).
 */
final class MorningDoors {
    static final double LATE_SHARE = 0.08;
    static final double DOUBLE_TAP_SHARE = 0.04;
    private static final long MINUTE = 60_000;
    /** On-time learners tap 1 to this many minutes before the bell: the first of them after the clock's 06:45. */
    private static final int ARRIVAL_MINUTES = 14;

    private final List<SimulatedMessage> taps;
    private final Map<String, String> revokedCards;
    private final Map<String, Integer> absentees;
    private int next;

    private MorningDoors(List<SimulatedMessage> taps, Map<String, String> revokedCards, Map<String, Integer> absentees) {
        this.taps = taps;
        this.revokedCards = revokedCards;
        this.absentees = absentees;
    }

    private record Tap(long at, String room, String uid) {
    }

    /**
     * @param rosters the simulation's classes ({@code SchoolSimulation#rosters}); its morning ones tap
     */
    static MorningDoors of(String school, List<ClassRoster> rosters, SchoolMorning morning, long seed) {
        SplittableRandom random = new SplittableRandom(seed ^ ((long) school.hashCode() << 32) ^ morning.day().toEpochDay());
        Set<String> known = new HashSet<>();
        rosters.forEach(r -> r.learners().forEach(l -> known.add(l.cardUid())));
        List<Tap> out = new ArrayList<>();
        Map<String, Integer> absent = new LinkedHashMap<>();
        Map<String, String> revoked = new LinkedHashMap<>();
        long bell = morning.bellMillis();
        // late: from a minute after the grace to halfway to the cut-off, so that a tap delayed on its way (at 30x a
        // simulated minute is 2 s) is still late, not an absence corrected afterwards
        long lateFrom = morning.graceEndMillis() + MINUTE;
        long lateWindow = Math.max(0, (morning.cutoffMillis() - morning.graceEndMillis()) / 2 - MINUTE);
        for (ClassRoster roster : rosters) {
            if (roster.session() != SchoolTimetable.Session.MORNING) {
                continue;
            }
            int size = roster.size();
            boolean[] away = new boolean[size];
            int absentees = Math.min(size, 1 + random.nextInt(3));
            for (int chosen = 0; chosen < absentees; ) {
                int i = random.nextInt(size);
                if (!away[i]) {
                    away[i] = true;
                    chosen++;
                }
            }
            absent.put(DemoRoster.classId(roster), absentees);
            boolean[] late = new boolean[size];
            int lates = 0;
            for (int i = 0; i < size; i++) {
                if (!away[i] && random.nextDouble() < LATE_SHARE) {
                    late[i] = true;
                    lates++;
                }
            }
            for (int i = 0; lates == 0 && i < size; i++) { // at least one latecomer a class
                if (!away[i]) {
                    late[i] = true;
                    lates++;
                }
            }
            for (int i = 0; i < size; i++) {
                if (away[i]) {
                    continue;
                }
                double when = random.nextDouble();
                long at = late[i] ? lateFrom + (long) (when * lateWindow)
                        : bell - MINUTE - (long) (when * when * (ARRIVAL_MINUTES - 1) * MINUTE) - random.nextLong(1_000);
                String uid = roster.learners().get(i).cardUid();
                out.add(new Tap(at, roster.room(), uid));
                if (random.nextDouble() < DOUBLE_TAP_SHARE) {
                    out.add(new Tap(at + 2_000 + random.nextLong(4_000), roster.room(), uid));
                }
            }
            if (revoked.isEmpty()) {
                // the first learner who comes today lost a card last week: someone taps the found card first
                int first = 0;
                while (away[first]) {
                    first++;
                }
                String lost = newUid(random, known);
                revoked.put(roster.learners().get(first).learnerId(), lost);
                out.add(new Tap(bell - 10 * MINUTE, roster.room(), lost));
                out.add(new Tap(bell - 8 * MINUTE, roster.room(), newUid(random, known))); // a visitor's card
            }
        }
        out.sort(Comparator.comparingLong(Tap::at));
        List<SimulatedMessage> messages = new ArrayList<>(out.size());
        long last = Long.MIN_VALUE;
        for (Tap tap : out) {
            long at = Math.max(tap.at(), last + 1); // one reader reads one card at a time
            last = at;
            messages.add(new SimulatedMessage("doors/" + tap.room() + "/" + tap.room() + "-door/tag",
                    ClassRoster.dashed(tap.uid()).getBytes(StandardCharsets.US_ASCII), at));
        }
        return new MorningDoors(List.copyOf(messages), Map.copyOf(revoked), Map.copyOf(absent));
    }

    /** The taps due at or before {@code epochMillis} of the school clock not taken yet, in time order. */
    List<SimulatedMessage> until(long epochMillis) {
        List<SimulatedMessage> due = new ArrayList<>();
        while (next < taps.size() && taps.get(next).timestamp() <= epochMillis) {
            due.add(taps.get(next++));
        }
        return due;
    }

    /** Every tap of the morning, in time order. */
    List<SimulatedMessage> taps() {
        return taps;
    }

    /** The lost card the roster lists as revoked: learner id to UID (one per school). */
    Map<String, String> revokedCards() {
        return revokedCards;
    }

    /** Per morning class id ({@code r101-am}), how many of its learners never tap. */
    Map<String, Integer> absentees() {
        return absentees;
    }

    /** A 7-byte UID with the simulator's marker byte, none of the school's cards. */
    private static String newUid(SplittableRandom random, Set<String> known) {
        HexFormat hex = HexFormat.of().withUpperCase();
        while (true) {
            byte[] uid = new byte[7];
            uid[0] = (byte) ClassRoster.UID_MARKER;
            for (int b = 1; b < 7; b++) {
                uid[b] = (byte) random.nextInt(256);
            }
            String text = hex.formatHex(uid);
            if (known.add(text)) {
                return text;
            }
        }
    }
}
