package org.smartschool.gateway.uplink;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.OptionalLong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the last desired configuration the hub sent on {@code ss/v1/{school}/{gateway}/config}, as
 * a JSON file next to the outbox, so it survives a restart. Foundation: the gateway only records
 * it; applying it is another issue.
 */
public final class DesiredConfigStore {
    private static final Logger LOG = LoggerFactory.getLogger(DesiredConfigStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private volatile long version = -1;

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
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
        try {
            Files.write(tmp, payload);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        version = node.path("version").asLong();
        return version;
    }

    /** The version of the stored desired configuration, if any. */
    public OptionalLong version() {
        long v = version;
        return v < 0 ? OptionalLong.empty() : OptionalLong.of(v);
    }

    public Path file() {
        return file;
    }
}
