package org.smartschool.hub.forward.edfi;

/**
 * An attempt that did not go through: the HTTP status (0 when there was none) and why, in a line that
 * holds no learner id.
 */
public final class EdfiException extends Exception {
    private final int status;

    public EdfiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    /**
     * Whether trying again cannot help: Ed-Fi refused the request itself (a dead letter at once). A 403
     * (the client may not write for this school) or 404 (a wrong base URL) is the operator's to fix, and
     * 409 (a learner or section Ed-Fi does not know yet) may resolve when the roster is loaded: those
     * are retried for {@code edfi.retryHours}.
     */
    public boolean permanent() {
        return status == 400 || status == 405 || status == 413 || status == 422;
    }
}
