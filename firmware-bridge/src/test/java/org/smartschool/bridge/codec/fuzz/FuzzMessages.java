package org.smartschool.bridge.codec.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.smartschool.bridge.codec.RawMessage;

/**
 * The device messages one fuzz input stands for, so that the fuzzer mutates topics and content types as well
 * as payloads, and can reach the state a codec learns from earlier messages (Sparkplug BIRTH alias maps,
 * Homie {@code $datatype}/{@code $description}).
 *
 * <p>The format, readable in a seed file: messages separated by {@link #SEPARATOR} ({@code \n}, 0x1E,
 * {@code \n}); each message is a header line, {@code \n}, then the payload bytes up to the separator. The
 * header is the topic, or the topic, a tab and the content type. An input without a newline is a topic with
 * an empty payload. At most {@link #MAX_MESSAGES} messages are read, so that no input runs long.
 */
final class FuzzMessages {
    static final byte[] SEPARATOR = {'\n', 0x1e, '\n'};
    static final int MAX_MESSAGES = 16;
    /** 2025-03-10T02:15:00Z, a Monday morning lesson in Ho Chi Minh City. */
    static final long RECEIVED_AT = 1_741_572_900_000L;

    private FuzzMessages() {
    }

    static List<RawMessage> parse(byte[] input) {
        List<RawMessage> messages = new ArrayList<>();
        int from = 0;
        while (from <= input.length && messages.size() < MAX_MESSAGES) {
            int end = indexOf(input, SEPARATOR, from);
            int to = end < 0 ? input.length : end;
            messages.add(message(input, from, to));
            if (end < 0) {
                break;
            }
            from = end + SEPARATOR.length;
        }
        return messages;
    }

    private static RawMessage message(byte[] input, int from, int to) {
        int newline = from;
        while (newline < to && input[newline] != '\n') {
            newline++;
        }
        String header = new String(input, from, newline - from, StandardCharsets.UTF_8);
        int tab = header.indexOf('\t');
        String topic = tab < 0 ? header : header.substring(0, tab);
        String contentType = tab < 0 ? null : header.substring(tab + 1);
        byte[] payload = newline < to ? Arrays.copyOfRange(input, newline + 1, to) : new byte[0];
        return new RawMessage(topic, contentType, payload, RECEIVED_AT);
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
