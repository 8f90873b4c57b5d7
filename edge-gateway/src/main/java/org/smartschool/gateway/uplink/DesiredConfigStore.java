package org.smartschool.gateway.uplink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the last desired configuration the hub sent on {@code ss/v1/{school}/{gateway}/config}, as
 * a JSON file next to the outbox, so it survives a restart. As a {@link DesiredConfigReceiver} it
 * only records what arrives (an uplink on its own, in tests); the gateway validates and applies it
 * with {@code org.smartschool.gateway.desired.RemoteConfiguration}, which writes the same file
 * with {@link #writeAtomically}.
 */
public final class DesiredConfigStore implements DesiredConfigReceiver {
    private static final Logger LOG = LoggerFactory.getLogger(DesiredConfigStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private volatile long version = -1;
    private volatile String refusal;

    public DesiredConfigStore(Path file) {
        this.file = file;
        if (Files.isRegularFile(file)) {
            try {
                JsonNode stored = JSON.readTree(file.toFile());
                if (stored != null && stored.path("version").canConvertToLong()) {
                    version = stored.path("version").asLong();
                }
            } catch (IOException e) {
                LOG.warn("[config: {}] stored desired configuration is unreadable: {}", file, e.getMessage());
            }
        }
    }

    /** {@code gateway-outbox.db} -> {@code gateway-outbox.desired-config.json} in the same directory. */
    public static Path nextTo(Path outboxFile) {
        String name = outboxFile.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        return outboxFile.resolveSibling(base + ".desired-config.json");
    }

    /**
     * Stores a desired configuration received from the hub.
     *
     * @return the version it carries
     * @throws IllegalArgumentException when it is not a JSON object with an integer {@code version}
     * @throws IOException when the file cannot be written
     */
    public long store(byte[] payload) throws IOException {
        JsonNode node;
        try {
            node = JSON.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("desired configuration is not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject() || !node.path("version").isIntegralNumber()) {
            throw new IllegalArgumentException("desired configuration must be a JSON object with an integer \"version\"");
        }
        writeAtomically(file, payload);
        version = node.path("version").asLong();
        return version;
    }

    /**
     * Replaces {@code file} with {@code bytes} so that a power cut leaves either the old or the new
     * file whole: a temporary file in the same directory, forced to disk, renamed over it, and the
     * directory forced so the rename itself survives.
     */
    public static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        try (FileChannel dir = FileChannel.open(parent, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // some file systems cannot open a directory; the rename is still atomic there
            LOG.debug("[config: {}] directory not forced: {}", parent, e.toString());
        }
    }

    @Override
    public void receive(byte[] payload) {
        try {
            long stored = store(payload);
            refusal = null;
            LOG.info("[config: {}] desired configuration version {} recorded", file, stored);
        } catch (IllegalArgumentException e) {
            refusal = String.valueOf(e.getMessage()).replaceAll("\\p{Cntrl}", " ");
            LOG.warn("[config: {}] desired configuration ignored: {}", file, refusal);
        } catch (IOException e) {
            LOG.error("[config: {}] cannot store the desired configuration: {}", file, e.toString());
        }
    }

    @Override
    public String refusal() {
        return refusal;
    }

    /** The version of the stored desired configuration, if any. */
    @Override
    public OptionalLong version() {
        long v = version;
        return v < 0 ? OptionalLong.empty() : OptionalLong.of(v);
    }

    public Path file() {
        return file;
    }
}
