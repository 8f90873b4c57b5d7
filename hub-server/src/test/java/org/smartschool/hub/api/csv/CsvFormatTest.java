package org.smartschool.hub.api.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** CSV records as RFC 4180 writes them, and the time and number columns. */
class CsvFormatTest {

    /** Verifies that fields with a comma, quote, CR or LF are quoted with quotes doubled, others left as they are, and a record ends in CRLF. */
    @Test
    void quotesFieldsAsRfc4180Says() {
        assertThat(CsvFormat.record(List.of("r101", "a,b", "say \"hi\"", "two\nlines", "cr\r", "")))
                .isEqualTo("r101,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\r\",\r\n");
        assertThat(CsvFormat.record(Arrays.asList("x", null))).isEqualTo("x,\r\n");
    }

    /** Verifies times in UTC with milliseconds always written, and numbers as plain decimals without exponents. */
    @Test
    void writesTimesWithMillisecondsAndNumbersPlain() {
        assertThat(CsvFormat.time(1_741_568_400_000L)).isEqualTo("2025-03-10T01:00:00.000Z");
        assertThat(CsvFormat.time(1_741_568_400_007L)).isEqualTo("2025-03-10T01:00:00.007Z");
        assertThat(CsvFormat.number(700.0)).isEqualTo("700");
        assertThat(CsvFormat.number(412.75)).isEqualTo("412.75");
        assertThat(CsvFormat.number(0.0001)).isEqualTo("0.0001");
        assertThat(CsvFormat.number(12_345_678.0)).isEqualTo("12345678");
        assertThat(CsvFormat.number(-0.0)).isEqualTo("0");
        assertThat(CsvFormat.number(-3.5)).isEqualTo("-3.5");
    }
}
