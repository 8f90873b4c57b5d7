package org.smartschool.hub.inventory;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Where each key and list item of a YAML document starts: {@code schools[0].buildings[1].name} to its
 * line. A tree ({@code JsonNode}) forgets locations, so one streaming pass over the same bytes keeps
 * them for the messages about bad values.
 */
final class LineIndex {
    private final Map<String, Integer> lines = new HashMap<>();

    private LineIndex() {
    }

    /** @throws IOException when the document is not YAML (the caller reports the parser's location) */
    static LineIndex of(YAMLFactory factory, byte[] yaml) throws IOException {
        LineIndex index = new LineIndex();
        try (JsonParser parser = factory.createParser(yaml)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                JsonStreamContext context = parser.getParsingContext();
                int line = parser.currentTokenLocation().getLineNr();
                if (token == JsonToken.FIELD_NAME) {
                    index.lines.putIfAbsent(path(context), line);
                } else if (token.isStructStart()) {
                    JsonStreamContext parent = context.getParent();
                    if (parent != null && parent.inArray()) {
                        index.lines.putIfAbsent(path(parent), line);
                    }
                } else if (context.inArray()) {
                    index.lines.putIfAbsent(path(context), line);
                }
            }
        }
        return index;
    }

    /** The line of {@code path}, else of the nearest enclosing key or item that has one; 0 when none. */
    int line(String path) {
        String p = path;
        while (!p.isEmpty()) {
            Integer line = lines.get(p);
            if (line != null) {
                return line;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = cut < 0 ? "" : p.substring(0, cut);
        }
        return 0;
    }

    private static String path(JsonStreamContext context) {
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                parts.push("[" + Math.max(0, c.getCurrentIndex()) + "]");
            } else if (c.getCurrentName() != null) {
                parts.push("." + c.getCurrentName());
            }
        }
        String joined = String.join("", parts);
        return joined.startsWith(".") ? joined.substring(1) : joined;
    }
}
