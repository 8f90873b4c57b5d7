package org.smartschool.gateway.telemetry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The state of the machine the gateway runs on, as far as it can be read: CPU temperature (a Pi
 * that overheats in a closed cabinet throttles and then fails), free space on the outbox's file
 * system, the JVM's heap and the process's resident memory. What cannot be read (no thermal zone
 * in a container, no /proc on another OS) is empty, never an error.
 */
public final class SystemStats {
    private final Path diskOf;
    private final Path thermalZone;
    private final Path procStatus;

    /** @param diskOf a file or directory on the file system whose free space matters (the outbox) */
    public SystemStats(Path diskOf) {
        this(diskOf, Path.of("/sys/class/thermal/thermal_zone0/temp"), Path.of("/proc/self/status"));
    }

    SystemStats(Path diskOf, Path thermalZone, Path procStatus) {
        this.diskOf = diskOf;
        this.thermalZone = thermalZone;
        this.procStatus = procStatus;
    }

    /**
     * @param cpuTemperatureCelsius to 0.1 degree
     * @param rssBytes resident set size of this process (VmRSS)
     */
    public record Snapshot(OptionalDouble cpuTemperatureCelsius, OptionalLong diskFreeBytes, OptionalLong diskTotalBytes,
                           long heapUsedBytes, long heapMaxBytes, OptionalLong rssBytes) {
    }

    public Snapshot read() {
        Runtime runtime = Runtime.getRuntime();
        OptionalLong free = OptionalLong.empty();
        OptionalLong total = OptionalLong.empty();
        FileStore store = fileStore();
        if (store != null) {
            try {
                free = OptionalLong.of(store.getUsableSpace());
                total = OptionalLong.of(store.getTotalSpace());
            } catch (IOException e) {
                // unreadable: reported as unknown
            }
        }
        return new Snapshot(cpuTemperature(), free, total, runtime.totalMemory() - runtime.freeMemory(),
                runtime.maxMemory(), rss());
    }

    private FileStore fileStore() {
        // the outbox file may not exist yet; its directory does
        for (Path p = diskOf.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                try {
                    return Files.getFileStore(p);
                } catch (IOException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /** The kernel gives millidegrees Celsius: {@code 48312} is 48.3 C. */
    OptionalDouble cpuTemperature() {
        try {
            String text = Files.readString(thermalZone, StandardCharsets.US_ASCII).trim();
            long milli = Long.parseLong(text);
            return OptionalDouble.of(Math.round(milli / 100.0) / 10.0);
        } catch (IOException | NumberFormatException | SecurityException e) {
            return OptionalDouble.empty();
        }
    }

    /** {@code VmRSS:     123456 kB} in /proc/self/status. */
    OptionalLong rss() {
        try {
            List<String> lines = Files.readAllLines(procStatus, StandardCharsets.US_ASCII);
            for (String line : lines) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    long value = Long.parseLong(parts[0]);
                    return OptionalLong.of(parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? value * 1024 : value);
                }
            }
        } catch (IOException | NumberFormatException | SecurityException e) {
            // not Linux, or not readable
        }
        return OptionalLong.empty();
    }
}
