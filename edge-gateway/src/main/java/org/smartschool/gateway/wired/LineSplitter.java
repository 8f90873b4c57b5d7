package org.smartschool.gateway.wired;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Cuts the byte stream of a UART into lines: a line ends at LF (a CR before it is dropped); blank
 * lines are skipped. A line longer than the limit is noise (wrong baud rate, a reader stuck
 * printing): its first bytes go out as one line, the rest up to the next LF is dropped and counted.
 * Not thread-safe: one reader.
 */
public final class LineSplitter {
    private final byte[] buffer;
    private int length;
    private boolean overlong;
    private long overlongLines;

    public LineSplitter(int maxLineBytes) {
        this.buffer = new byte[maxLineBytes];
    }

    /** Feeds {@code count} bytes; calls {@code line} for every complete line. */
    public void feed(byte[] bytes, int offset, int count, Consumer<byte[]> line) {
        for (int i = offset; i < offset + count; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                if (!overlong) {
                    emit(line);
                }
                length = 0;
                overlong = false;
            } else if (overlong) {
                continue;
            } else if (length == buffer.length) {
                overlong = true;
                overlongLines++;
                emit(line);
                length = 0;
            } else {
                buffer[length++] = b;
            }
        }
    }

    private void emit(Consumer<byte[]> line) {
        int end = length;
        if (end > 0 && buffer[end - 1] == '\r') {
            end--;
        }
        boolean blank = true;
        for (int i = 0; i < end && blank; i++) {
            blank = buffer[i] == ' ' || buffer[i] == '\t' || buffer[i] == '\r';
        }
        if (!blank) {
            line.accept(Arrays.copyOf(buffer, end));
        }
    }

    /** Lines longer than the limit so far. */
    public long overlongLines() {
        return overlongLines;
    }
}
