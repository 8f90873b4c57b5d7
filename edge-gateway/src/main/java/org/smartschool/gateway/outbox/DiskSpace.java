package org.smartschool.gateway.outbox;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The free space of the outbox's file system, and a reserve file next to the outbox.
 *
 * <p>Intake stops while less than {@code minFreeBytes} is free, so that SQLite always has room to
 * delete what the hub acknowledged (a delete appends to the WAL first) and to checkpoint. Should
 * something else fill the disk anyway, the reserve file is given up to let a delete through, and
 * is made again once space returns.
 */
final class DiskSpace {
    private static final Logger LOG = LoggerFactory.getLogger(DiskSpace.class);
    private static final int CHUNK = 64 * 1024;

    private final Path directory;
    private final Path reserve;
    private final long minFreeBytes;
    private final long reserveBytes;

    DiskSpace(Path outbox, long minFreeBytes, long reserveBytes) {
        Path absolute = outbox.toAbsolutePath();
        this.directory = absolute.getParent();
        this.reserve = absolute.resolveSibling(absolute.getFileName() + ".reserve");
        this.minFreeBytes = minFreeBytes;
        this.reserveBytes = reserveBytes;
    }

    /** Bytes the gateway may still use on the file system (-1 when it cannot tell). */
    long usable() {
        try {
            return Files.getFileStore(directory).getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }

    long minFreeBytes() {
        return minFreeBytes;
    }

    Path directory() {
        return directory;
    }

    /**
     * Makes the reserve file when it is missing and there is room for it beyond the watermark.
     *
     * @return true when the reserve is in place
     */
    boolean ensureReserve() {
        if (reserveBytes == 0) {
            return true;
        }
        try {
            if (Files.exists(reserve) && Files.size(reserve) == reserveBytes) {
                return true;
            }
            long free = usable();
            if (free >= 0 && free < minFreeBytes + reserveBytes) {
                return false;
            }
            // written, not just sized: a sparse file would reserve nothing
            byte[] zeros = new byte[CHUNK];
            try (RandomAccessFile file = new RandomAccessFile(reserve.toFile(), "rw")) {
                file.setLength(0);
                for (long left = reserveBytes; left > 0; left -= CHUNK) {
                    file.write(zeros, 0, (int) Math.min(CHUNK, left));
                }
                file.getFD().sync();
            }
            return true;
        } catch (IOException e) {
            LOG.debug("reserve file {} not made: {}", reserve, e.getMessage());
            try {
                Files.deleteIfExists(reserve);
            } catch (IOException ignored) {
                // nothing more to do
            }
            return false;
        }
    }

    /** Gives the reserve up; returns true when there was one to give. */
    boolean releaseReserve() {
        try {
            boolean released = Files.deleteIfExists(reserve);
            if (released) {
                LOG.warn("disk full: reserve file {} ({} bytes) given up so the outbox can delete what the hub has",
                        reserve, reserveBytes);
            }
            return released;
        } catch (IOException e) {
            return false;
        }
    }
}
