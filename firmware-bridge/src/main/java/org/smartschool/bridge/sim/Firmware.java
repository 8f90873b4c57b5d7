package org.smartschool.bridge.sim;

import java.util.List;

/**
 * What one kind of periodic device is: what it measures and how its firmware writes it. Who it is,
 * when it reports and how it announces itself are its {@link DeviceProfile}; its availability
 * messages and its faults are {@link PeriodicDevice}'s, the same for every kind. One class per
 * device kind implements this.
 *
 * <p>Values travel as a {@code double[]} whose layout each kind defines, so that the generic part
 * can freeze them (a stuck sensor) without knowing what they mean.
 */
interface Firmware {

    DeviceProfile profile();

    /** Measures at {@code at}, advancing the device's model; called in time order for every report, published or not. */
    double[] measure(long at);

    /**
     * A new array: {@code values} as {@code kind} changes them ({@link FaultKind#SPIKE}: one absurd
     * value; {@link FaultKind#FALSE_ALARM}: the alarm on). Never called for a kind not in
     * {@link DeviceProfile#faultKinds()}.
     */
    double[] inject(FaultKind kind, double[] values);

    /** A copy of {@code values} with the one at {@code index} replaced: most faults change a single value. */
    static double[] replaced(double[] values, int index, double value) {
        double[] out = values.clone();
        out[index] = value;
        return out;
    }

    /** The messages that report {@code values} measured at {@code at}: at {@code at} or a few milliseconds later, in order. */
    List<SimulatedMessage> report(long at, double[] values);
}
