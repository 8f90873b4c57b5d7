package org.smartschool.bridge.codec;

/**
 * Makes text that came from a device safe to put in a {@link DecodeProblem} message: one line,
 * short, control characters escaped. A hostile payload must not forge log lines or flood them.
 */
public final class ProblemText {
    /** How much of a device's value a problem message quotes. */
    public static final int QUOTE_LIMIT = 40;

    private ProblemText() {
    }

    /** {@code "hot"}: the value in quotes, escaped and cut to {@link #QUOTE_LIMIT} characters. */
    public static String quote(String value) {
        return "\"" + clean(value, QUOTE_LIMIT) + "\"";
    }

    /** The text on one line, control characters as {@code \\uXXXX}, cut to {@code max} characters. */
    public static String clean(String text, int max) {
        if (text == null) {
            return "null";
        }
        boolean cut = text.length() > max;
        String head = cut ? text.substring(0, max) : text;
        StringBuilder out = new StringBuilder(head.length() + 8);
        for (int i = 0; i < head.length(); i++) {
            char c = head.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                out.append(String.format("\\u%04x", (int) c));
            } else if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else {
                out.append(c);
            }
        }
        if (cut) {
            out.append("...");
        }
        return out.toString();
    }
}
