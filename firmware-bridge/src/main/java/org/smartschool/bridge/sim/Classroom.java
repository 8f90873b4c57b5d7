package org.smartschool.bridge.sim;

import java.time.LocalDate;

import org.smartschool.bridge.model.Ids;
import org.smartschool.bridge.sim.SchoolTimetable.Phase;
import org.smartschool.bridge.sim.SchoolTimetable.Session;
import org.smartschool.bridge.sim.SchoolTimetable.Slot;

/**
 * A classroom: its class, its size, how well it is ventilated, and who is in it when.
 *
 * <p>Everything here is a pure function of time and the seed: the same room at the same instant
 * holds the same people whatever else the simulation did. Per room (drawn once from the seed):
 * 35-45 learners in the class, 180-230 m3 of air, air changes per hour during lessons between 1.5
 * (closed, air-conditioned) and 6 (windows open, fans), and whether the room also hosts an
 * afternoon class (three rooms in four). Per day and session: 0-3 learners absent. Per period: one chance in
 * fifteen that the class is elsewhere (physical education, a lab).
 */
public final class Classroom {
    private final String id;
    private final long seed;
    private final int classSize;
    private final double volume;
    private final double lessonAch;
    private final double lightLevel;
    private final double thermalOffset;
    private final boolean afternoonClass;

    Classroom(String id, long seed) {
        this.id = Ids.require("room", id);
        this.seed = seed;
        this.classSize = 35 + (int) (Seeds.uniform(seed, id, "class-size") * 11);
        this.volume = 180 + Seeds.uniform(seed, id, "volume") * 50;
        this.lessonAch = 1.5 + Seeds.uniform(seed, id, "ventilation") * 4.5;
        this.lightLevel = 290 + Seeds.uniform(seed, id, "lights") * 180;
        this.thermalOffset = (Seeds.uniform(seed, id, "thermal") - 0.5) * 1.0;
        this.afternoonClass = Seeds.uniform(seed, id, "afternoon") < 0.75;
    }

    public String id() {
        return id;
    }

    public int classSize() {
        return classSize;
    }

    /** Room air volume, m3. */
    public double volume() {
        return volume;
    }

    /** Whether the room is in use during {@code slot}'s session. */
    private boolean inUse(Slot slot) {
        return hasClass(slot.session());
    }

    /** Whether a class sits in this room during {@code session}: every morning; in the afternoon for three rooms in four. */
    boolean hasClass(Session session) {
        return session == Session.MORNING || (session == Session.AFTERNOON && afternoonClass);
    }

    /** Learners of the session's class absent that day: 0-3, the same for the door reader and the air. */
    int absentees(LocalDate day, Session session) {
        return (int) (Seeds.uniform(seed, id, day.toString(), session.name(), "absent") * 4);
    }

    /** Learners present today (the class minus today's absentees). */
    int presentToday(Slot slot) {
        return classSize - absentees(slot.day(), slot.session());
    }

    private boolean classElsewhere(Slot slot) {
        return Seeds.uniform(seed, id, slot.day().toString(), slot.session().name(), "p" + slot.period(), "away") < 1 / 15.0;
    }

    /** People in the room at that instant, teacher included during lessons. */
    public int occupants(long epochMillis) {
        return occupants(SchoolTimetable.at(epochMillis));
    }

    int occupants(Slot slot) {
        if (slot.session() == null || !inUse(slot)) {
            return 0;
        }
        int present = presentToday(slot);
        return switch (slot.phase()) {
            case LESSON -> classElsewhere(slot) ? 0 : present + 1;
            case ARRIVAL -> (int) Math.round(present * 0.85 * slot.fraction());
            case SHORT_BREAK -> (int) Math.round(present * 0.6);
            case LONG_BREAK -> (int) Math.round(present * 0.15);
            case DISMISSAL -> (int) Math.round(present * 0.3 * (1 - slot.fraction()));
            default -> 0;
        };
    }

    /** Air changes per hour: windows and doors open at breaks, shut at night. */
    double airChangesPerHour(Slot slot) {
        if (slot.session() != null && inUse(slot)) {
            return switch (slot.phase()) {
                case LESSON, ARRIVAL -> lessonAch;
                case SHORT_BREAK -> lessonAch + 2.5;
                case LONG_BREAK, DISMISSAL -> 8.0;
                default -> 2.0;
            };
        }
        return slot.phase() == Phase.MIDDAY ? 2.0 : 0.6;
    }

    /** Lights are on while the room's class is in session. */
    boolean lightsOn(Slot slot) {
        return slot.session() != null && inUse(slot) && slot.phase() != Phase.CLOSED;
    }

    /** Artificial light on the desks when the lights are on, lx. */
    double lightLevel() {
        return lightLevel;
    }

    /** How much warmer than its neighbours the room runs (sun side, top floor), Cel. */
    double thermalOffset() {
        return thermalOffset;
    }
}
