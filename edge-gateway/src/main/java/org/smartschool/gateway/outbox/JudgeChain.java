package org.smartschool.gateway.outbox;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Two judges of one append, one after the other (attendance, then the school's rules): the second
 * judges the frames the first made, their state rows go in the same transaction (their keys must not
 * overlap), and both are told whether it committed.
 */
public final class JudgeChain implements Outbox.Judge {
    private final Outbox.Judge first;
    private final Outbox.Judge second;

    private JudgeChain(Outbox.Judge first, Outbox.Judge second) {
        this.first = first;
        this.second = second;
    }

    /** {@code first} then {@code second}; either may be null. */
    public static Outbox.Judge of(Outbox.Judge first, Outbox.Judge second) {
        if (first == null) {
            return second;
        }
        return second == null ? first : new JudgeChain(first, second);
    }

    @Override
    public Outbox.Verdict judge(List<IntakeFrame> frames) {
        Outbox.Verdict a = first.judge(frames);
        Outbox.Verdict b;
        try {
            b = second.judge(a.frames());
        } catch (RuntimeException e) {
            a.settled(false);
            throw e;
        }
        Map<String, byte[]> state;
        if (a.state().isEmpty()) {
            state = b.state();
        } else if (b.state().isEmpty()) {
            state = a.state();
        } else {
            state = new HashMap<>(a.state());
            state.putAll(b.state());
        }
        Map<String, byte[]> both = state;
        return new Outbox.Verdict() {
            @Override
            public List<IntakeFrame> frames() {
                return b.frames();
            }

            @Override
            public Map<String, byte[]> state() {
                return both;
            }

            @Override
            public void settled(boolean committed) {
                try {
                    b.settled(committed);
                } finally {
                    a.settled(committed);
                }
            }
        };
    }
}
