package org.smartschool.bridge.sim;

import java.util.ArrayDeque;
import java.util.List;

/**
 * The faults the devices of one simulation have injected, most recent last. Bounded: a demo runs
 * for days, and only the recent faults are worth showing.
 */
final class FaultJournal {
    static final int CAPACITY = 10_000;

    private final ArrayDeque<InjectedFault> faults = new ArrayDeque<>();

    void record(InjectedFault fault) {
        if (faults.size() == CAPACITY) {
            faults.removeFirst();
        }
        faults.addLast(fault);
    }

    List<InjectedFault> all() {
        return List.copyOf(faults);
    }
}
