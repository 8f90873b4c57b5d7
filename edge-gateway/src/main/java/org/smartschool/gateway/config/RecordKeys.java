package org.smartschool.gateway.config;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Iterator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Finds a misspelt key in a tree bound to configuration records. Jackson reports an unknown
 * property of a record only after the record's constructor ran, so a misspelt {@code levls} would
 * otherwise be reported as "a rule needs at least one level": the key the person got wrong is named
 * first this way.
 */
public final class RecordKeys {
    private RecordKeys() {
    }

    /** The path of the first key of {@code node} that no component of {@code type} (or of a record inside) has, or null. */
    public static String unknownKey(JsonNode node, Class<?> type, String path) {
        if (node == null || !node.isObject() || !type.isRecord()) {
            return null;
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            RecordComponent component = component(type, name);
            if (component == null) {
                return path + "." + name;
            }
            String inner = unknownIn(node.get(name), component.getGenericType(), path + "." + name);
            if (inner != null) {
                return inner;
            }
        }
        return null;
    }

    private static String unknownIn(JsonNode value, Type type, String path) {
        if (type instanceof Class<?> c && c.isRecord()) {
            return unknownKey(value, c, path);
        }
        if (type instanceof ParameterizedType p && p.getRawType() == List.class && value != null && value.isArray()
                && p.getActualTypeArguments()[0] instanceof Class<?> element && element.isRecord()) {
            for (int i = 0; i < value.size(); i++) {
                String inner = unknownKey(value.get(i), element, path + "[" + i + "]");
                if (inner != null) {
                    return inner;
                }
            }
        }
        return null;
    }

    private static RecordComponent component(Class<?> type, String name) {
        for (RecordComponent c : type.getRecordComponents()) {
            if (c.getName().equals(name)) {
                return c;
            }
        }
        return null;
    }
}
