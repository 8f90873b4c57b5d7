package org.smartschool.gateway.support;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A size-limited tmpfs mounted for one test, to fill the disk under a real outbox. Needs root
 * (CI runs as root); elsewhere the test is skipped with a message, unless
 * {@code SS_TEST_REQUIRE_SERVICES=1} and root, where a failed mount fails the test.
 */
public final class SmallFileSystem implements AutoCloseable {
    private final Path mountPoint;

    private SmallFileSystem(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    /** Mounts a tmpfs of {@code megabytes} on {@code mountPoint} (an empty directory), or aborts the test. */
    public static SmallFileSystem mount(Path mountPoint, int megabytes) throws Exception {
        boolean root = "0".equals(run(List.of("id", "-u")).trim());
        boolean required = "1".equals(System.getenv("SS_TEST_REQUIRE_SERVICES"));
        if (!root) {
            Assumptions.abort("mounting a small file system needs root (CI runs as root): disk-full test skipped");
        }
        Files.createDirectories(mountPoint);
        String result = run(List.of("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m,mode=0755", "tmpfs",
                mountPoint.toString()));
        if (!isMounted(mountPoint)) {
            String message = "cannot mount a " + megabytes + " MB tmpfs on " + mountPoint + ": " + result.trim();
            if (required) {
                Assertions.fail(message + " (SS_TEST_REQUIRE_SERVICES=1 and root: the disk-full test must run)");
            }
            Assumptions.abort(message + ": disk-full test skipped");
        }
        return new SmallFileSystem(mountPoint);
    }

    private static boolean isMounted(Path mountPoint) throws IOException {
        String target = mountPoint.toRealPath().toString();
        return Files.readAllLines(Path.of("/proc/self/mounts")).stream()
                .anyMatch(line -> line.split(" ").length > 2 && line.split(" ")[1].equals(target));
    }

    public Path path() {
        return mountPoint;
    }

    public long usable() throws IOException {
        return Files.getFileStore(mountPoint).getUsableSpace();
    }

    /**
     * Writes zeros to {@code file} until it holds {@code bytes} more, or the file system is full.
     *
     * @return the bytes written
     */
    public long fill(Path file, long bytes) {
        byte[] zeros = new byte[16 * 1024];
        long written = 0;
        try (OutputStream out = Files.newOutputStream(file, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND)) {
            while (written < bytes) {
                int n = (int) Math.min(zeros.length, bytes - written);
                out.write(zeros, 0, n);
                written += n;
            }
        } catch (IOException e) {
            // No space left on device: as full as it gets
        }
        return written;
    }

    @Override
    public void close() throws Exception {
        run(List.of("umount", "-l", mountPoint.toString()));
    }

    private static String run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return output;
    }
}
