package org.smartschool.bridge.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProblemTextTest {

    @Test
    void escapesControlCharactersQuotesAndLineSeparators() {
        assertThat(ProblemText.quote("a\nb\"c\\d\u2028")).isEqualTo("\"a\\u000ab\\\"c\\\\d\\u2028\"");
    }

    @Test
    void neverCutsASurrogatePairInHalf() {
        // found by CodecFuzzTest: a 40-character cut through an emoji left a lone high surrogate in the problem
        String text = "x".repeat(ProblemText.QUOTE_LIMIT - 1) + "\uD83D\uDE00" + "tail";

        assertThat(ProblemText.quote(text)).isEqualTo("\"" + "x".repeat(ProblemText.QUOTE_LIMIT - 1) + "...\"");
        assertThat(ProblemText.clean("ab\uD83D\uDE00", 4)).isEqualTo("ab\uD83D\uDE00");
    }

    @Test
    void escapesUnpairedSurrogatesFromTheDevice() {
        // JSON allows "\ud800" escapes; a lone surrogate cannot be written as UTF-8 (log, JSON, uplink)
        assertThat(ProblemText.quote("a\uD800b\uDC00")).isEqualTo("\"a\\ud800b\\udc00\"");
    }
}
