package org.smartschool.gateway.rules;

import java.util.HashMap;
import java.util.Map;

/**
 * A map whose changes since {@link #mark()} can be undone ({@link #rollback()}) or kept
 * ({@link #commit()}): the engine's judgement of records that may yet fail to reach the outbox.
 * Remembers each changed key's value before its first change, so the cost follows the changes,
 * not the size of the map.
 */
final class UndoableMap<V> {
    private final Map<String, V> values = new HashMap<>();
    /** Since {@link #mark()}: each changed key's value before its first change (null: absent). */
    private Map<String, V> before;

    V get(String key) {
        return values.get(key);
    }

    /** @return the value it replaces, or null */
    V put(String key, V value) {
        V previous = values.put(key, value);
        remember(key, previous);
        return previous;
    }

    V remove(String key) {
        V previous = values.remove(key);
        remember(key, previous);
        return previous;
    }

    private void remember(String key, V previous) {
        if (before != null && !before.containsKey(key)) {
            before.put(key, previous);
        }
    }

    void mark() {
        before = new HashMap<>();
    }

    /** Puts back what changed since {@link #mark()}. */
    void rollback() {
        if (before != null) {
            before.forEach((key, was) -> {
                if (was == null) {
                    values.remove(key);
                } else {
                    values.put(key, was);
                }
            });
        }
        before = null;
    }

    void commit() {
        before = null;
    }

    /** The keys changed since {@link #mark()}, with what they hold now (null: absent). */
    Map<String, V> changedSinceMark() {
        Map<String, V> out = new HashMap<>();
        if (before != null) {
            before.keySet().forEach(key -> out.put(key, values.get(key)));
        }
        return out;
    }

    int size() {
        return values.size();
    }

    Map<String, V> snapshot() {
        return Map.copyOf(values);
    }

    void restore(Map<String, V> state) {
        values.clear();
        if (state != null) {
            values.putAll(state);
        }
    }
}
