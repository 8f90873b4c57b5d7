package org.smartschool.bridge.text;

/**
 * Makes text that came from outside (a device's payload, a topic, an id someone configured) safe to
 * put in a message or a log line: one line, bounded, control characters escaped. A hostile value
 * must not forge log lines or flood them.
 */
public final class SafeText {
    private SafeText() {
    }

    /**
     * The text on one line, control characters and unpaired surrogates as {@code \\uXXXX}, cut to {@code max}
     * characters but never inside a surrogate pair: a lone surrogate cannot be written as UTF-8, so a problem
     * holding one could not be logged, stored as JSON or sent uplink (found by CodecFuzzTest).
     */
    public static String clean(String text, int max) {
        if (text == null) {
            return "null";
        }
        boolean cut = text.length() > max;
        int end = cut && max > 0 && Character.isHighSurrogate(text.charAt(max - 1))
                && Character.isLowSurrogate(text.charAt(max)) ? max - 1 : max;
        String head = cut ? text.substring(0, end) : text;
        StringBuilder out = new StringBuilder(head.length() + 8);
        for (int i = 0; i < head.length(); i++) {
            char c = head.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < head.length() && Character.isLowSurrogate(head.charAt(i + 1))) {
                out.append(c).append(head.charAt(++i));
            } else if (Character.isISOControl(c) || Character.isSurrogate(c) || c == '\u2028' || c == '\u2029') {
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
