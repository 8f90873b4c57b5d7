package org.smartschool.hub.inventory;

/**
 * An inventory that cannot be used. The message names the file, the line and the key:
 * {@code inventory.yaml:42: schools[0].buildings[0].rooms[2].capacity: capacity must be 0-5000: -3}.
 */
public final class InventoryException extends RuntimeException {
    private final String source;
    private final int line;
    private final String key;
    private final String problem;

    InventoryException(String source, int line, String key, String problem, Throwable cause) {
        super(source + (line > 0 ? ":" + line : "") + ": " + (key.isEmpty() ? "" : key + ": ") + problem, cause);
        this.source = source;
        this.line = line;
        this.key = key;
        this.problem = problem;
    }

    /** What is wrong, without the file, line and key. */
    public String problem() {
        return problem;
    }

    /** The file (or what stood for it, e.g. "request body"). */
    public String source() {
        return source;
    }

    /** 1-based; 0 when unknown. */
    public int line() {
        return line;
    }

    /** The path of the bad key, e.g. {@code schools[0].buildings[0].rooms[2].capacity}; empty for the whole document. */
    public String key() {
        return key;
    }
}
