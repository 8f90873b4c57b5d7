package org.smartschool.bridge.sim;

import java.util.ArrayList;
import java.util.List;

import org.smartschool.bridge.model.Ids;

/**
 * Scripted episodes laid over a school's simulated day, so that a demo shows alarms within minutes of
 * its start whatever the hour: a full classroom whose CO2 climbs past the school rules' limits and is
 * then aired, the lab fridge left ajar, and a sensor that goes quiet and comes back. Everything else
 * the school does stays as {@link SchoolSimulation} models it; without a scenario ({@link #NONE}) a
 * simulation publishes exactly what it always did.
 *
 * <p>Pure and deterministic: each episode is a fixed curve of the time since it began (the device's
 * own noise stays on top, drawn as without the episode), so the same seed and start give the same bytes.
 *
 * @param co2Surges      classrooms whose CO2 follows {@link Co2Surge#ppm}
 * @param fridgeWarmings episodes of the lab fridge ({@link FridgeWarming#celsius}); needs a lab
 * @param silences       devices that publish nothing for a while (journalled as {@link FaultKind#DROPOUT})
 */
public record Scenario(List<Co2Surge> co2Surges, List<FridgeWarming> fridgeWarmings, List<Silence> silences) {
    private static final long MINUTE = 60_000;

    /** Nothing scripted: the simulation as it always was. */
    public static final Scenario NONE = new Scenario(List.of(), List.of(), List.of());

    public Scenario {
        co2Surges = List.copyOf(co2Surges);
        fridgeWarmings = List.copyOf(fridgeWarmings);
        silences = List.copyOf(silences);
    }

    /**
     * The demo's alarms of one school, from {@code from} on: classroom {@code r101} fills up
     * ({@link Co2Surge}: over 1000 ppm after 1.5 minutes, its 15-minute mean over 1500 ppm after about
     * 14, aired after 24, below 900 ppm after about 27.5) and the lab fridge warms to 10 Cel for ten
     * minutes ({@link FridgeWarming}: above 8 Cel from half a minute to about 12 minutes).
     */
    public static Scenario demoAlarms(long from) {
        return new Scenario(List.of(new Co2Surge(SchoolSimulation.roomId(1), from)), List.of(new FridgeWarming(from)),
                List.of());
    }

    /**
     * The demo's silent sensor: the air-quality sensor of classroom {@code r102} publishes nothing
     * from half a minute after {@code from} to six minutes after it, then carries on.
     */
    public static Scenario demoSilence(long from) {
        return new Scenario(List.of(), List.of(),
                List.of(new Silence(SchoolSimulation.roomId(2) + "-air", from + MINUTE / 2, from + 6 * MINUTE)));
    }

    /** This scenario's episodes and {@code other}'s. */
    public Scenario and(Scenario other) {
        return new Scenario(concat(co2Surges, other.co2Surges), concat(fridgeWarmings, other.fridgeWarmings),
                concat(silences, other.silences));
    }

    public boolean isEmpty() {
        return co2Surges.isEmpty() && fridgeWarmings.isEmpty() && silences.isEmpty();
    }

    /** The surges of {@code room}, by start. */
    List<Co2Surge> co2SurgesIn(String room) {
        return co2Surges.stream().filter(s -> s.room().equals(room)).toList();
    }

    /** The silences of {@code device} as fault episodes. */
    List<FaultPlan.Episode> silencesOf(String device) {
        return silences.stream().filter(s -> s.device().equals(device))
                .map(s -> new FaultPlan.Episode(FaultKind.DROPOUT, s.from(), s.to())).toList();
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /**
     * A classroom filled with a big class, doors and windows shut, then aired: for {@value #DURATION_MINUTES}
     * minutes its CO2 is this curve instead of the room's model (noise added as usual). From 700 ppm it
     * climbs to 1100 ppm at 2 minutes, 1800 at 6 and 1950 at 20, stays there until the windows open at 24,
     * then falls towards the outdoor level with a 3-minute time constant (below 900 ppm at about 27.5). It
     * never reaches 2000 ppm.
     */
    public record Co2Surge(String room, long from) {
        public static final int DURATION_MINUTES = 40;
        static final double PEAK = 1950;
        static final double AIRED_AT_MINUTES = 24;
        private static final double[][] RISE = {{0, 700}, {2, 1100}, {6, 1800}, {20, PEAK}, {AIRED_AT_MINUTES, PEAK}};
        private static final double AIRING_TIME_CONSTANT_MINUTES = 3;

        public Co2Surge {
            Ids.require("room", room);
        }

        /** The CO2 of the room at {@code at}, ppm, or NaN outside the surge (the room's model applies). */
        public double ppm(long at) {
            double minutes = (at - from) / (double) MINUTE;
            if (minutes < 0 || minutes >= DURATION_MINUTES) {
                return Double.NaN;
            }
            if (minutes < AIRED_AT_MINUTES) {
                return interpolate(RISE, minutes);
            }
            return ClassroomAir.OUTDOOR_CO2
                    + (PEAK - ClassroomAir.OUTDOOR_CO2) * Math.exp(-(minutes - AIRED_AT_MINUTES) / AIRING_TIME_CONSTANT_MINUTES);
        }

        public long to() {
            return from + DURATION_MINUTES * MINUTE;
        }
    }

    /**
     * The lab fridge's door left ajar: the probe reads at least this curve for {@value #DURATION_MINUTES}
     * minutes: 6 Cel rising to 10 Cel in the first minute (above 8 from half a minute), 10 Cel until the
     * door is shut at 10 minutes, then cooling to 4 Cel by 16 (below 8 at 12, below 7.5 at 12.5). The fridge's own thermostat model carries on underneath.
     */
    public record FridgeWarming(long from) {
        public static final int DURATION_MINUTES = 16;
        private static final double[][] CURVE = {{0, 6}, {1, 10}, {10, 10}, {DURATION_MINUTES, 4}};

        /** The least the probe reads at {@code at}, Cel, or NaN outside the episode. */
        public double celsius(long at) {
            double minutes = (at - from) / (double) MINUTE;
            if (minutes < 0 || minutes >= DURATION_MINUTES) {
                return Double.NaN;
            }
            return interpolate(CURVE, minutes);
        }

        public long to() {
            return from + DURATION_MINUTES * MINUTE;
        }
    }

    /**
     * A device that publishes nothing in {@code [from, to)} (a radio dropout: no last will, it simply
     * carries on afterwards).
     */
    public record Silence(String device, long from, long to) {
        public Silence {
            Ids.require("device", device);
            if (to <= from) {
                throw new IllegalArgumentException("silence of " + device + " must end after it begins: " + from + ".." + to);
            }
        }
    }

    /** Piecewise linear through {@code points} ({x, y}, x ascending), flat beyond the last. */
    private static double interpolate(double[][] points, double x) {
        for (int i = 1; i < points.length; i++) {
            if (x < points[i][0]) {
                double[] a = points[i - 1];
                double[] b = points[i];
                return a[1] + (b[1] - a[1]) * (x - a[0]) / (b[0] - a[0]);
            }
        }
        return points[points.length - 1][1];
    }
}
