package org.smartschool.hub.registry;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import org.smartschool.bridge.model.Ids;
import org.smartschool.bridge.text.SafeText;

/** The checks the registry's records share; each failure names the field. */
final class Check {
    static final int MAX_TEXT = 500;

    private Check() {
    }

    static String id(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw new InvalidRegistryException(field, field + " is required");
        }
        if (!Ids.isValid(value)) {
            throw new InvalidRegistryException(field, field + " '" + SafeText.clean(value, 80)
                    + "' is not an id: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return value;
    }

    /** Required text: stripped, not blank, at most {@value #MAX_TEXT} characters, no control characters. */
    static String text(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidRegistryException(field, field + " is required");
        }
        return optionalText(field, value);
    }

    /** Optional text: null when absent or blank, otherwise checked as {@link #text}. */
    static String optionalText(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String stripped = value.strip();
        if (stripped.length() > MAX_TEXT) {
            throw new InvalidRegistryException(field, field + " is longer than " + MAX_TEXT + " characters");
        }
        for (int i = 0; i < stripped.length(); i++) {
            char c = stripped.charAt(i);
            if (Character.isISOControl(c) && c != '\n') {
                throw new InvalidRegistryException(field, field + " contains a control character");
            }
        }
        return stripped;
    }

    static int range(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new InvalidRegistryException(field, field + " must be " + min + "-" + max + ": " + value);
        }
        return value;
    }

    /** A copy of {@code items} that refuses null entries and a second item with the same id. */
    static <T> List<T> uniqueIds(String field, List<T> items, Function<T, String> id, String what) {
        if (items == null) {
            return List.of();
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            T item = items.get(i);
            if (item == null) {
                throw new InvalidRegistryException(field + "[" + i + "]", field + "[" + i + "] is empty");
            }
            if (!seen.add(id.apply(item))) {
                throw new InvalidRegistryException(field + "[" + i + "].id",
                        what + " id '" + id.apply(item) + "' appears twice");
            }
        }
        return List.copyOf(items);
    }
}
