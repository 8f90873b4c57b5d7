package org.smartschool.hub.roster;

import java.util.List;

/** An import that was refused as a whole: every problem found, up to {@link RosterProblems#LIMIT}. */
public final class RosterImportException extends RuntimeException {
    private final List<RosterProblem> problems;
    private final boolean truncated;

    public RosterImportException(List<RosterProblem> problems, boolean truncated) {
        super(problems.size() + (truncated ? "+" : "") + " problems, first: " + (problems.isEmpty() ? "" : problems.get(0)),
                null, false, false);
        this.problems = List.copyOf(problems);
        this.truncated = truncated;
    }

    public List<RosterProblem> problems() {
        return problems;
    }

    /** True when more problems were found than {@link #problems()} holds. */
    public boolean truncated() {
        return truncated;
    }
}
