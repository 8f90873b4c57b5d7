package org.smartschool.gateway.coap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.smartschool.gateway.config.CoapSettings.DeviceKey;

/**
 * The devices' DTLS pre-shared keys, by PSK identity: from the configuration and from a key file
 * with one device per line, {@code identity room device secret} ({@code #} starts a comment).
 * Immutable.
 */
public final class DeviceKeys {
    private final Map<String, DeviceKey> byIdentity;

    private DeviceKeys(Map<String, DeviceKey> byIdentity) {
        this.byIdentity = Map.copyOf(byIdentity);
    }

    public static DeviceKeys none() {
        return new DeviceKeys(Map.of());
    }

    /**
     * @param keyFile null for none
     * @throws IllegalArgumentException naming the file and line of a bad entry, or a repeated identity
     */
    public static DeviceKeys load(List<DeviceKey> configured, String keyFile) {
        Map<String, DeviceKey> keys = new LinkedHashMap<>();
        for (DeviceKey key : configured) {
            put(keys, key, "coap.keys");
        }
        if (keyFile != null) {
            for (DeviceKey key : readFile(Path.of(keyFile))) {
                put(keys, key, "coap.keyFile " + keyFile);
            }
        }
        return new DeviceKeys(keys);
    }

    private static void put(Map<String, DeviceKey> keys, DeviceKey key, String where) {
        if (keys.putIfAbsent(key.identity(), key) != null) {
            throw new IllegalArgumentException(where + ": identity '" + key.identity() + "' is listed twice");
        }
    }

    static List<DeviceKey> readFile(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("coap.keyFile: cannot read " + file + ": " + e.getMessage(), e);
        }
        List<DeviceKey> keys = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\\s+");
            if (fields.length != 4) {
                throw new IllegalArgumentException("coap.keyFile " + file + " line " + (i + 1)
                        + ": expected 'identity room device secret', found " + fields.length + " fields");
            }
            try {
                keys.add(new DeviceKey(fields[0], fields[1], fields[2], fields[3]));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("coap.keyFile " + file + " line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return keys;
    }

    public Optional<DeviceKey> find(String identity) {
        return Optional.ofNullable(byIdentity.get(identity));
    }

    public Collection<DeviceKey> all() {
        return byIdentity.values();
    }

    public boolean isEmpty() {
        return byIdentity.isEmpty();
    }
}
