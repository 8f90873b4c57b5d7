package org.smartschool.hub.roster;

import java.util.List;
import java.util.Objects;

/**
 * What a school's import holds: its timetable, learners and cards. The readers
 * ({@link RosterCsv}, {@link OneRosterCsv}) check the references between them (a learner's class exists, a
 * card's learner exists, ...) with the file, line and column of each problem.
 */
public record Roster(Timetable timetable, List<Learner> learners, List<Card> cards) {
    public Roster {
        Objects.requireNonNull(timetable, "timetable");
        learners = List.copyOf(learners);
        cards = List.copyOf(cards);
    }

    @Override
    public String toString() {
        return "Roster[" + learners.size() + " learners, " + cards.size() + " cards, " + timetable.classes().size() + " classes]";
    }
}
