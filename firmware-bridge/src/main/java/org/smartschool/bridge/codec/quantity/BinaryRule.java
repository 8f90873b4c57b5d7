package org.smartschool.bridge.codec.quantity;

import java.util.Arrays;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An on/off channel whose name matches {@code pattern} reports {@code kind}.
 *
 * @param pattern channel name pattern ({@code *motion*}), see {@link Glob}
 * @param kind one of {@link BinaryKind}, case-insensitive ({@code occupancy}, {@code door}, {@code ignore}...)
 */
public record BinaryRule(String pattern, BinaryKind kind) {

    public BinaryRule {
        new Glob(pattern); // validates
        if (kind == null) {
            throw new IllegalArgumentException("kind: rule '" + pattern + "' names no kind; expected one of "
                    + Arrays.toString(BinaryKind.values()).toLowerCase(Locale.ROOT));
        }
    }

    @JsonCreator
    static BinaryRule fromConfig(@JsonProperty("pattern") String pattern, @JsonProperty("kind") String kind) {
        BinaryKind parsed = null;
        if (kind != null) {
            try {
                parsed = BinaryKind.valueOf(kind.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("kind: rule '" + pattern + "': unknown kind '" + kind
                        + "'; expected one of " + Arrays.toString(BinaryKind.values()).toLowerCase(Locale.ROOT), e);
            }
        }
        return new BinaryRule(pattern, parsed);
    }
}
