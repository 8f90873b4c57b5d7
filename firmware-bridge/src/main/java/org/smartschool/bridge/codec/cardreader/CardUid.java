package org.smartschool.bridge.codec.cardreader;

import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An ISO/IEC 14443 card UID as RC522 / PN532 readers report it: 4 (single size), 7 (double size)
 * or 10 (triple size) bytes.
 *
 * @param hex the UID as upper-case hex without separators ({@code 04A22B1C})
 */
record CardUid(String hex) {
    /** "UID:", "UID ", "Card UID:" (MFRC522 DumpInfo), "UID Value:" (Adafruit PN532 examples). */
    private static final Pattern PREFIX = Pattern.compile("^(?:card\\s*)?uid(?:\\s*value)?\\s*[:=]?\\s*",
            Pattern.CASE_INSENSITIVE);
    /** Bytes of 1-2 hex digits, each maybe "0x"-prefixed, all separated by the same one of ':', '-', ' '. */
    private static final Pattern SEPARATED = Pattern.compile(
            "(?:0[xX])?\\p{XDigit}{1,2}(?:([:\\- ])(?:0[xX])?\\p{XDigit}{1,2}(?:\\1(?:0[xX])?\\p{XDigit}{1,2})*)?");
    /** "0x04 0xA2 0x2B 0x1C 0x.." for 10 bytes is 49 characters; more is not a UID (and would cost the regex). */
    static final int MAX_TEXT_CHARS = 64;
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    int bytes() {
        return hex.length() / 2;
    }

    /**
     * Reads a UID written as the common reader firmware write it: {@code 04A22B1C},
     * {@code 04:A2:2B:1C}, {@code 04 a2 2b 1c}, {@code 04-A2-2B-1C}, {@code 0x04 0xA2 0x2B 0x1C},
     * optionally after a prefix such as {@code UID:}.
     *
     * @throws CardFormatException naming the shape (never the digits) of a UID that is not 4, 7 or 10 bytes
     */
    static CardUid parse(String text) throws CardFormatException {
        if (text.length() > MAX_TEXT_CHARS + 16) {
            throw new CardFormatException("UID text of " + text.length() + " characters is too long for a card UID");
        }
        String body = PREFIX.matcher(text.strip()).replaceFirst("").strip();
        if (body.length() > MAX_TEXT_CHARS) {
            throw new CardFormatException("UID text of " + body.length() + " characters is too long for a card UID");
        }
        if (body.isEmpty()) {
            throw new CardFormatException("frame has no UID after its prefix");
        }
        String hex;
        if (body.length() > 2 && isHexRun(body, body.startsWith("0x") || body.startsWith("0X") ? 2 : 0)) {
            hex = body.startsWith("0x") || body.startsWith("0X") ? body.substring(2) : body;
            if (hex.length() % 2 != 0) {
                throw new CardFormatException("UID of " + hex.length() + " hex digits is not a whole number of bytes");
            }
        } else {
            Matcher separated = SEPARATED.matcher(body);
            if (!separated.matches()) {
                throw new CardFormatException("UID is not hex bytes (" + describe(body) + ")");
            }
            String separator = separated.group(1);
            String[] parts = separator == null ? new String[] {body} : body.split(Pattern.quote(separator), -1);
            StringBuilder joined = new StringBuilder(parts.length * 2);
            for (String part : parts) {
                String digits = part.startsWith("0x") || part.startsWith("0X") ? part.substring(2) : part;
                if (digits.length() == 1) {
                    joined.append('0'); // Serial.print(b, HEX) drops the leading zero of a byte below 0x10
                }
                joined.append(digits);
            }
            hex = joined.toString();
        }
        int bytes = hex.length() / 2;
        if (bytes != 4 && bytes != 7 && bytes != 10) {
            throw new CardFormatException("UID of " + bytes + (bytes == 1 ? " byte" : " bytes")
                    + ": ISO 14443 card UIDs have 4, 7 or 10 bytes");
        }
        return new CardUid(hex.toUpperCase(Locale.ROOT));
    }

    static CardUid of(byte[] bytes) {
        return new CardUid(HEX.formatHex(bytes));
    }

    private static boolean isHexRun(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            if (Character.digit(text.charAt(i), 16) < 0 || text.charAt(i) > 'f') {
                return false;
            }
        }
        return from < text.length();
    }

    /** The shape of text that is not a UID, without its characters: "12 characters, first bad one at position 3". */
    private static String describe(String body) {
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            boolean allowed = Character.digit(c, 16) >= 0 && c <= 'f' || c == ':' || c == '-' || c == ' ' || c == 'x' || c == 'X';
            if (!allowed) {
                return body.length() + " characters, one that is not a hex digit or separator at position " + i;
            }
        }
        return body.length() + " characters, mixed or doubled separators or bytes longer than 2 hex digits";
    }
}
