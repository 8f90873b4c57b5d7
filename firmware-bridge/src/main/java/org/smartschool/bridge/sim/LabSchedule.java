package org.smartschool.bridge.sim;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.smartschool.bridge.sim.SchoolTimetable.Lesson;

/**
 * When the school's lab is used: each period of a school day holds a lab lesson with probability
 * {@value #LAB_LESSON_SHARE}, drawn from the seed (chemistry, physics and biology classes of the
 * whole school share one lab). A pure function of the seed and the day; the last day asked is kept.
 */
final class LabSchedule {
    static final String ROOM = "lab";
    static final double LAB_LESSON_SHARE = 0.4;

    private final long seed;
    private LocalDate cachedDay;
    private List<Lesson> cached = List.of();

    LabSchedule(long seed) {
        this.seed = seed;
    }

    /** The lab lessons of {@code day}, in time order. */
    List<Lesson> lessons(LocalDate day) {
        if (!day.equals(cachedDay)) {
            List<Lesson> used = new ArrayList<>();
            for (Lesson lesson : SchoolTimetable.lessons(day)) {
                if (Seeds.uniform(seed, ROOM, day.toString(), lesson.session().name(), "p" + lesson.period()) < LAB_LESSON_SHARE) {
                    used.add(lesson);
                }
            }
            cached = List.copyOf(used);
            cachedDay = day;
        }
        return cached;
    }

    /** Whether a lab lesson is going on at that instant. */
    boolean inLesson(long epochMillis) {
        for (Lesson lesson : lessons(SchoolTimetable.day(epochMillis))) {
            if (lesson.contains(epochMillis)) {
                return true;
            }
        }
        return false;
    }
}
