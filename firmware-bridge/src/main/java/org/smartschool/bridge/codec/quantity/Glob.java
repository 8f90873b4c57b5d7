package org.smartschool.bridge.codec.quantity;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A channel-name pattern: {@code *} matches any run of characters, {@code ?} one character,
 * everything else itself, ignoring case ({@code *co2*} matches {@code classroom_CO2_level}).
 */
public final class Glob {
    private final String text;
    private final Pattern pattern;

    public Glob(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("pattern: must not be empty");
        }
        this.text = text;
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : text.toLowerCase(Locale.ROOT).toCharArray()) {
            if (c == '*' || c == '?') {
                if (!literal.isEmpty()) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            regex.append(Pattern.quote(literal.toString()));
        }
        this.pattern = Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    public boolean matches(String name) {
        return pattern.matcher(name.toLowerCase(Locale.ROOT)).matches();
    }

    @Override
    public String toString() {
        return text;
    }
}
