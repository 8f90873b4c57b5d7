package org.smartschool.gateway.south;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * How many messages each device may send: a token bucket per device, filled at {@code perSecond}
 * and holding {@value #BURST_SECONDS} seconds' worth, so that a device sending now and then never
 * meets it and one sending in a loop is cut to that rate.
 *
 * <p>After the gateway was away from the broker, the broker delivers what it queued meanwhile as
 * fast as it can: {@link #credit} gives each device the messages it may have sent at its allowed
 * rate during the outage (at most a day's worth), so a replayed backlog is not taken for a flood.
 * Plain class, safe for several threads; no MQTT or CoAP types.
 */
public final class DeviceRateLimiter {
    static final int BURST_SECONDS = 10;
    /** Devices tracked at most; beyond it, buckets idle for a burst's time are forgotten (they are full). */
    static final int MAX_DEVICES = 10_000;
    private static final long MAX_CREDIT_SECONDS = TimeUnit.DAYS.toSeconds(1);

    private final int perSecond;
    private final double capacity;
    private final LongSupplier nanoClock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private volatile Credit credit = new Credit(0, 0);

    /** @param perSecond messages per second one device may average; 0 for no limit */
    public DeviceRateLimiter(int perSecond) {
        this(perSecond, System::nanoTime);
    }

    DeviceRateLimiter(int perSecond, LongSupplier nanoClock) {
        if (perSecond < 0) {
            throw new IllegalArgumentException("perSecond must be 0 or more: " + perSecond);
        }
        this.perSecond = perSecond;
        this.capacity = (double) perSecond * BURST_SECONDS;
        this.nanoClock = nanoClock;
    }

    /** @return true when {@code device} may send this message now; false: it is flooding, drop it */
    public boolean tryAcquire(String device) {
        if (perSecond == 0) {
            return true;
        }
        long now = nanoClock.getAsLong();
        if (buckets.size() >= MAX_DEVICES && !buckets.containsKey(device)) {
            forgetIdle(now);
        }
        Bucket bucket = buckets.computeIfAbsent(device, d -> new Bucket(now));
        Credit current = credit;
        synchronized (bucket) {
            if (bucket.epoch != current.epoch) {
                // first message since a (re)connect: what the broker queued may come all at once
                bucket.epoch = current.epoch;
                bucket.tokens = Math.max(bucket.tokens, capacity) + current.messages;
            } else if (bucket.tokens < capacity) {
                double refill = (now - bucket.last) * (perSecond / 1e9);
                bucket.tokens = Math.min(capacity, bucket.tokens + refill);
            }
            bucket.last = now;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return true;
            }
            return false;
        }
    }

    /**
     * The gateway was away from the broker for {@code outageMillis} (or just started, that long
     * after it last wrote): each device may first deliver, on top of its burst, what it could have
     * sent at the allowed rate meanwhile.
     */
    public void credit(long outageMillis) {
        long seconds = Math.min(MAX_CREDIT_SECONDS, Math.max(0, outageMillis) / 1000);
        credit = new Credit(credit.epoch + 1, (double) seconds * perSecond);
    }

    public int perSecond() {
        return perSecond;
    }

    private void forgetIdle(long now) {
        long idle = TimeUnit.SECONDS.toNanos(BURST_SECONDS);
        buckets.values().removeIf(b -> now - b.last > idle);
    }

    private record Credit(long epoch, double messages) {
    }

    private static final class Bucket {
        double tokens;
        long last;
        long epoch = -1;

        Bucket(long now) {
            this.last = now;
        }
    }
}
