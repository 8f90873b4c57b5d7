package org.smartschool.bridge.sim;

import java.util.List;
import java.util.Set;

import org.smartschool.bridge.routing.TopicRoute;

/**
 * What one kind of periodic device is: what it measures and how its firmware writes it. When it
 * reports, its availability messages and its faults are {@link PeriodicDevice}'s, the same for
 * every kind. One class per device kind implements this.
 *
 * <p>Values travel as a {@code double[]} whose layout each kind defines, so that the generic part
 * can freeze them (a stuck sensor) without knowing what they mean.
 */
interface Firmware {

    String id();

    String room();

    /** The routes a gateway needs for this kind; equal for every device of the kind. */
    List<TopicRoute> routes();

    long intervalMillis();

    /** When the first report is due: the device's own phase within its interval, after the start. */
    long firstReportAt();

    /** The faults this kind can have: a smoke detector has no value to stick or spike. */
    Set<FaultKind> faultKinds();

    /** The birth message (availability online), or null when this firmware publishes none. */
    SimulatedMessage online(long at);

    /**
     * The last will (availability offline) the broker publishes when the device dies, or null when
     * this firmware has none (then {@link #faultKinds()} has no {@link FaultKind#OFFLINE}).
     */
    SimulatedMessage offline(long at);

    /** Measures at {@code at}, advancing the device's model; called in time order for every report, published or not. */
    double[] measure(long at);

    /**
     * A new array: {@code values} as {@code kind} changes them ({@link FaultKind#SPIKE}: one absurd
     * value; {@link FaultKind#FALSE_ALARM}: the alarm on). Never called for a kind not in {@link #faultKinds()}.
     */
    double[] inject(FaultKind kind, double[] values);

    /** The messages that report {@code values} measured at {@code at}: at {@code at} or a few milliseconds later, in order. */
    List<SimulatedMessage> report(long at, double[] values);
}
