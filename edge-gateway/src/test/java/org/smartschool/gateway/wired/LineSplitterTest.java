package org.smartschool.gateway.wired;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Verifies how a UART's byte stream is cut into lines. */
class LineSplitterTest {
    private final List<String> lines = new ArrayList<>();

    private void feed(LineSplitter s, String text) {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        s.feed(b, 0, b.length, line -> lines.add(new String(line, StandardCharsets.US_ASCII)));
    }

    @Test
    void joinsChunksAndDropsCrAndBlankLines() {
        LineSplitter s = new LineSplitter(64);
        feed(s, "CO2=81");
        feed(s, "2;T=29.4\r\n\r\n  \nH=71\n");
        assertThat(lines).containsExactly("CO2=812;T=29.4", "H=71");
    }

    @Test
    void cutsAnOverlongLineAndDropsItsRest() {
        LineSplitter s = new LineSplitter(16);
        feed(s, "0123456789abcdefXYZXYZXYZ\nok\n");
        assertThat(lines).containsExactly("0123456789abcdef", "ok");
        assertThat(s.overlongLines()).isEqualTo(1);
    }
}
