package org.smartschool.hub.loadgen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.smartschool.bridge.model.Ids;
import org.smartschool.bridge.model.InvalidIdException;

/**
 * One simulated gateway's login (docs/protocol.md, "CONNECT"): client id = user name = {@code id},
 * password = {@code secret}; it sends the data of {@code school}.
 *
 * @param secret never printed by {@link #toString()}
 */
public record GatewayCredential(String id, String secret, String school) {
    /** Generated gateway ids: {@code loadgen-gw-0001} ... */
    public static final String GENERATED_ID_PREFIX = "loadgen-gw-";
    public static final String DEFAULT_SCHOOL_PREFIX = "loadgen-school";

    public GatewayCredential {
        Ids.require("gateway", id);
        Ids.require("school", school);
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("gateway '" + id + "' has no secret");
        }
    }

    /**
     * {@code count} gateways {@code loadgen-gw-0001..} sharing {@code secret}, one school each:
     * {@code {schoolPrefix}-0001..}.
     */
    public static List<GatewayCredential> generated(int count, String secret, String schoolPrefix) {
        List<GatewayCredential> out = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            String n = String.format("%04d", i);
            out.add(new GatewayCredential(GENERATED_ID_PREFIX + n, secret, schoolPrefix + "-" + n));
        }
        return out;
    }

    /**
     * Reads lines {@code gatewayId secret school} (separated by spaces or tabs); blank lines and lines
     * starting with {@code #} are skipped.
     *
     * @throws IllegalArgumentException naming the file and line of the first bad line
     */
    public static List<GatewayCredential> readFile(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<GatewayCredential> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = file + ":" + (i + 1) + ": ";
            String[] fields = line.split("\\s+");
            if (fields.length != 3) {
                throw new IllegalArgumentException(where + "expected 'gatewayId secret school', found "
                        + fields.length + " fields");
            }
            GatewayCredential credential;
            try {
                credential = new GatewayCredential(fields[0], fields[1], fields[2]);
            } catch (InvalidIdException e) {
                throw new IllegalArgumentException(where + e.getMessage(), e);
            }
            if (!ids.add(credential.id())) {
                throw new IllegalArgumentException(where + "gateway '" + credential.id() + "' is listed twice");
            }
            out.add(credential);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(file + ": no gateways (lines 'gatewayId secret school')");
        }
        return out;
    }

    @Override
    public String toString() {
        return "GatewayCredential[id=" + id + ", school=" + school + ", secret=***]";
    }
}
