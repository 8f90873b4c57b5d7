package org.smartschool.bridge.sim;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

import org.smartschool.bridge.routing.TopicRoute;
import org.smartschool.bridge.sim.SchoolTimetable.Session;

/**
 * The RFID reader at a classroom door: an ESPHome board with an RC522 whose {@code on_tag} action
 * publishes the tag's UID as ESPHome formats it, upper-case hex bytes joined by dashes
 * (https://esphome.io/components/binary_sensor/rc522.html):
 * <pre>
 * doors/r101/r101-door/tag  5C-3A-91-0F-E2-47-B8
 * </pre>
 * Learners tap as they arrive for a session ({@link ClassRoster}, one roster per session):
 * <ul>
 *   <li>absent: {@link Classroom#absentees} of the class (0-3), chosen afresh each session, do not tap;</li>
 *   <li>late: each learner present has an {@value #LATE_SHARE} chance of arriving 1-12 minutes after the bell;</li>
 *   <li>on time: the others tap in the {@value SchoolTimetable#ARRIVAL_MINUTES} minutes before the
 *       bell, most of them in the last few minutes;</li>
 *   <li>{@value #DOUBLE_TAP_SHARE} of taps are repeated 2-6 s later (the reader did not beep).</li>
 * </ul>
 * Only at the start of each session a room's class has, on school days. Readers publish no
 * status and are not given faults: a tap lost to a fault is an attendance error, not a sensor fault.
 */
final class DoorCardReader implements SimulatedDevice {
    static final List<TopicRoute> ROUTES = List.of(new TopicRoute("doors/{room}/{device}/tag", "card-reader"));
    static final double LATE_SHARE = 0.08;
    static final double DOUBLE_TAP_SHARE = 0.04;
    private static final long MINUTE = 60_000;

    private record Tap(long at, String uid) {
    }

    private final Classroom room;
    private final String id;
    private final String topic;
    private final long seed;
    private final ClassRoster morning;
    private final ClassRoster afternoon;
    private final long start;
    private LocalDate day;
    private Session session;
    private List<Tap> taps = List.of();
    private int index;

    DoorCardReader(Classroom room, ClassRoster morning, ClassRoster afternoon, long seed, long start) {
        this.room = room;
        this.id = room.id() + "-door";
        this.topic = "doors/" + room.id() + "/" + id + "/tag";
        this.seed = seed;
        this.morning = morning;
        this.afternoon = afternoon;
        this.start = start;
        this.day = SchoolTimetable.day(start);
        this.session = null;
        loadNextSession();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String room() {
        return room.id();
    }

    @Override
    public List<TopicRoute> routes() {
        return ROUTES;
    }

    @Override
    public long nextAt() {
        return taps.get(index).at();
    }

    @Override
    public SimulatedMessage next() {
        Tap tap = taps.get(index++);
        if (index == taps.size()) {
            loadNextSession();
        }
        return new SimulatedMessage(topic, Payloads.utf8(ClassRoster.dashed(tap.uid())), tap.at());
    }

    /** Moves on to the next session of this room with at least one tap after the start. */
    private void loadNextSession() {
        while (true) {
            if (session == null) {
                session = Session.MORNING;
            } else if (session == Session.MORNING) {
                session = Session.AFTERNOON;
            } else {
                session = Session.MORNING;
                day = day.plusDays(1);
            }
            if (!SchoolTimetable.isSchoolDay(day) || !room.hasClass(session)) {
                continue;
            }
            List<Tap> all = taps(day, session);
            List<Tap> due = all.stream().filter(t -> t.at() >= start).toList();
            if (!due.isEmpty()) {
                taps = due;
                index = 0;
                return;
            }
        }
    }

    private List<Tap> taps(LocalDate day, Session session) {
        ClassRoster roster = session == Session.MORNING ? morning : afternoon;
        long bell = SchoolTimetable.sessionStart(day, session);
        SplittableRandom random = Seeds.random(seed, id, day.toString(), session.name(), "taps");
        int size = roster.size();
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        int absent = room.absentees(day, session);
        for (int i = 0; i < absent; i++) { // a partial Fisher-Yates shuffle picks the absentees
            int j = i + random.nextInt(size - i);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        boolean[] away = new boolean[size];
        for (int i = 0; i < absent; i++) {
            away[order[i]] = true;
        }
        List<Tap> out = new ArrayList<>(size + 4);
        for (int i = 0; i < size; i++) {
            double lateDraw = random.nextDouble();
            double when = random.nextDouble();
            double repeat = random.nextDouble();
            long jitter = random.nextLong(1_000);
            if (away[i]) {
                continue;
            }
            long at = lateDraw < LATE_SHARE
                    ? bell + MINUTE + (long) (when * 11 * MINUTE) + jitter
                    // most arrive in the last minutes before the bell
                    : bell - MINUTE - (long) (when * when * (SchoolTimetable.ARRIVAL_MINUTES - 1) * MINUTE) - jitter;
            String uid = roster.learners().get(i).cardUid();
            out.add(new Tap(at, uid));
            if (repeat < DOUBLE_TAP_SHARE) {
                out.add(new Tap(at + 2_000 + (long) (repeat / DOUBLE_TAP_SHARE * 4_000), uid));
            }
        }
        out.sort(Comparator.comparingLong(Tap::at));
        // one reader reads one card at a time: no two taps in the same millisecond
        for (int i = 1; i < out.size(); i++) {
            if (out.get(i).at() <= out.get(i - 1).at()) {
                out.set(i, new Tap(out.get(i - 1).at() + 1, out.get(i).uid()));
            }
        }
        return out;
    }
}
