package org.smartschool.bridge.codec;

/**
 * Why (part of) a device message could not be decoded.
 *
 * @param device the device id or topic the message came from
 * @param field the path to the bad field ({@code $.temperature}, {@code $[3].v}), or {@code $} for the whole payload
 * @param message what is wrong, in words a facility manager's technician can act on
 */
public record DecodeProblem(String device, String field, String message) {
    @Override
    public String toString() {
        return "device '" + device + "' field " + field + ": " + message;
    }
}
