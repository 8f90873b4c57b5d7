package org.smartschool.gateway.outbox;

/**
 * How much an {@link Outbox} may hold, and how it protects the disk it lives on.
 *
 * @param maxRecords records waiting for the hub at most
 * @param maxBytes bytes the waiting records may take in the file at most (their stored row bodies plus
 *                 {@link Outbox#ROW_OVERHEAD_BYTES} per row)
 * @param maxDeadLetters undecodable or unknown device frames kept (newest kept)
 * @param maxRefusedBatches batches the hub refused kept (newest kept); a table of its own, so a
 *                          noisy device can never evict them
 * @param minFreeBytes intake stops while the file system has less free space than this (free
 *                     pages inside the outbox file count as free): the rest is kept for deleting
 *                     what the hub acknowledged and for SQLite's checkpoints
 * @param reserveBytes a file of this size kept next to the outbox and given up when a delete
 *                     still finds the disk full (someone else filled it)
 * @param redeliveryWindowMillis how long the digest of a device frame stamped with its receive
 *                               time is kept, so a redelivery of it is recognised
 * @param maxDeadLetterBytes bytes each dead-letter table (device dead letters; refused batches)
 *                           may hold, on its own, besides its bound in rows (oldest trimmed first)
 */
public record OutboxLimits(long maxRecords, long maxBytes, int maxDeadLetters, int maxRefusedBatches,
                           long minFreeBytes, long reserveBytes, long redeliveryWindowMillis, long maxDeadLetterBytes) {
    /** 50 MB for each of the two dead-letter tables. */
    public static final long DEFAULT_MAX_DEAD_LETTER_BYTES = 50L << 20;

    public OutboxLimits {
        if (maxRecords < 1) {
            throw new IllegalArgumentException("maxRecords must be at least 1: " + maxRecords);
        }
        if (maxBytes < 1024) {
            throw new IllegalArgumentException("maxBytes must be at least 1024: " + maxBytes);
        }
        if (maxDeadLetters < 1 || maxRefusedBatches < 1) {
            throw new IllegalArgumentException("maxDeadLetters and maxRefusedBatches must be at least 1");
        }
        if (minFreeBytes < 0 || reserveBytes < 0 || redeliveryWindowMillis < 0) {
            throw new IllegalArgumentException("minFreeBytes, reserveBytes and redeliveryWindowMillis must not be negative");
        }
        if (maxDeadLetterBytes < 1024) {
            throw new IllegalArgumentException("maxDeadLetterBytes must be at least 1024: " + maxDeadLetterBytes);
        }
    }

    /** The limits with the default dead-letter byte bound. */
    public OutboxLimits(long maxRecords, long maxBytes, int maxDeadLetters, int maxRefusedBatches,
                        long minFreeBytes, long reserveBytes, long redeliveryWindowMillis) {
        this(maxRecords, maxBytes, maxDeadLetters, maxRefusedBatches, minFreeBytes, reserveBytes, redeliveryWindowMillis,
                DEFAULT_MAX_DEAD_LETTER_BYTES);
    }

    /** 1 GB, a million records, 64 MB kept free, a 4 MB reserve, digests kept 10 minutes, 50 MB of dead letters a table. */
    public static OutboxLimits defaults() {
        return new OutboxLimits(1_000_000, 1L << 30, 10_000, 1_000, 64L << 20, 4L << 20, 600_000);
    }

    public static OutboxLimits of(long maxRecords, int maxDeadLetters) {
        return defaults().withMaxRecords(maxRecords).withMaxDeadLetters(maxDeadLetters);
    }

    public OutboxLimits withMaxRecords(long value) {
        return new OutboxLimits(value, maxBytes, maxDeadLetters, maxRefusedBatches, minFreeBytes, reserveBytes,
                redeliveryWindowMillis, maxDeadLetterBytes);
    }

    public OutboxLimits withMaxBytes(long value) {
        return new OutboxLimits(maxRecords, value, maxDeadLetters, maxRefusedBatches, minFreeBytes, reserveBytes,
                redeliveryWindowMillis, maxDeadLetterBytes);
    }

    public OutboxLimits withMaxDeadLetters(int value) {
        return new OutboxLimits(maxRecords, maxBytes, value, maxRefusedBatches, minFreeBytes, reserveBytes,
                redeliveryWindowMillis, maxDeadLetterBytes);
    }

    public OutboxLimits withMaxRefusedBatches(int value) {
        return new OutboxLimits(maxRecords, maxBytes, maxDeadLetters, value, minFreeBytes, reserveBytes,
                redeliveryWindowMillis, maxDeadLetterBytes);
    }

    public OutboxLimits withDisk(long minFree, long reserve) {
        return new OutboxLimits(maxRecords, maxBytes, maxDeadLetters, maxRefusedBatches, minFree, reserve,
                redeliveryWindowMillis, maxDeadLetterBytes);
    }

    public OutboxLimits withRedeliveryWindowMillis(long value) {
        return new OutboxLimits(maxRecords, maxBytes, maxDeadLetters, maxRefusedBatches, minFreeBytes, reserveBytes,
                value, maxDeadLetterBytes);
    }

    public OutboxLimits withMaxDeadLetterBytes(long value) {
        return new OutboxLimits(maxRecords, maxBytes, maxDeadLetters, maxRefusedBatches, minFreeBytes, reserveBytes,
                redeliveryWindowMillis, value);
    }
}
