package org.smartschool.gateway.wired;

import java.util.Optional;

/**
 * Settles a bouncing contact: a new level counts once it has held for the debounce time, and only
 * a level different from the last one reported is reported ("only changes"). The change carries
 * the time of the edge that started the stable level, the moment the door really opened.
 *
 * <p>Plain logic driven by the caller's clock: {@link #edge} on every raw edge, then
 * {@link #settle} once the debounce time has passed. Not thread-safe: one owner.
 */
public final class Debouncer {
    private final long debounceMillis;
    private Boolean reported;
    private boolean raw;
    private boolean seen;
    private long rawSince;

    /** @param initial the level found at start, or null when the pin could not tell */
    public Debouncer(long debounceMillis, Boolean initial) {
        if (debounceMillis < 0) {
            throw new IllegalArgumentException("debounce must not be negative: " + debounceMillis);
        }
        this.debounceMillis = debounceMillis;
        this.reported = initial;
        this.raw = initial != null && initial;
        this.seen = initial != null;
    }

    /** A change of level seen on the pin; returns when {@link #settle} should look again. */
    public long edge(boolean level, long now) {
        if (level != raw || !seen) {
            seen = true;
            raw = level;
            rawSince = now;
        }
        return rawSince + debounceMillis;
    }

    /** The new level and when it began, once it has held long enough and differs from the last reported. */
    public Optional<Change> settle(long now) {
        if (!seen || now - rawSince < debounceMillis || (reported != null && reported == raw)) {
            return Optional.empty();
        }
        reported = raw;
        return Optional.of(new Change(raw, rawSince));
    }

    /** The last level reported, or null before the first. */
    public Boolean reported() {
        return reported;
    }

    /** A settled level. */
    public record Change(boolean level, long since) {
    }
}
