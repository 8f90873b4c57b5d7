package org.smartschool.bridge.codec;

import org.smartschool.bridge.text.SafeText;

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

    /** {@link SafeText#clean}: one line, control characters escaped, cut to {@code max} characters. */
    public static String clean(String text, int max) {
        return SafeText.clean(text, max);
    }
}
