package org.smartschool.hub.roster;

import java.util.ArrayList;
import java.util.List;

/** Collects an import's problems, keeping the first {@link #LIMIT}. */
public final class RosterProblems {
    public static final int LIMIT = 100;
    private final List<RosterProblem> problems = new ArrayList<>();
    private boolean truncated;

    public void add(String file, long line, String column, String message) {
        if (problems.size() < LIMIT) {
            problems.add(new RosterProblem(file, line, column, message));
        } else {
            truncated = true;
        }
    }

    public void add(Where where, String column, String message) {
        add(where.file(), where.line(), column, message);
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    /** Throws when anything was found. */
    public void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new RosterImportException(problems, truncated);
        }
    }
}
