package org.smartschool.bridge.codec.devicetime;

import java.time.Instant;

/**
 * Judges a time a device stamped on its message. Invariant 4 wants time stamped as close to the
 * source as possible, so a codec prefers the device's own time; but a device whose clock never
 * synchronised reports 1970 or its uptime, and a wrong clock must not put readings in the wrong
 * place on a chart. Such a time is refused (the codec then uses the gateway's receive time and
 * says so in a problem).
 */
public final class DeviceClock {
    /** 2016-01-01T00:00:00Z: Tasmota's own "clock is set" threshold; nothing before it is a real reading. */
    public static final long EARLIEST = 1_451_606_400_000L;
    /** How far ahead of the gateway's clock a device's clock may run. */
    public static final long MAX_AHEAD_MILLIS = 60 * 60 * 1000L;

    private DeviceClock() {
    }

    /** Why {@code deviceMillis} cannot be trusted, or null when it can. */
    public static String problem(long deviceMillis, long receivedAt) {
        if (deviceMillis < EARLIEST) {
            return "device clock is not set (" + describe(deviceMillis) + " is before 2016); receive time used";
        }
        if (deviceMillis > receivedAt + MAX_AHEAD_MILLIS) {
            return "device clock runs ahead (" + describe(deviceMillis) + " is more than an hour after the gateway received it at "
                    + describe(receivedAt) + "); receive time used";
        }
        return null;
    }

    /**
     * Seconds since the epoch (with a fraction, as Shelly's {@code ts}) in milliseconds, or
     * {@link Long#MIN_VALUE} when the number cannot be a time at all (NaN, negative, beyond year 9999).
     */
    public static long fromEpochSeconds(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0 || seconds > 253_402_300_799.0) {
            return Long.MIN_VALUE;
        }
        return Math.round(seconds * 1000.0);
    }

    private static String describe(long millis) {
        if (millis < -62_135_596_800_000L || millis > 253_402_300_799_999L) {
            return millis + " ms";
        }
        return Instant.ofEpochMilli(millis).toString();
    }
}
