package org.smartschool.bridge.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class JsonPayloadReaderTest {

    @Test
    void readsCborWithTheSameLimits() throws Exception {
        ObjectMapper cbor = new ObjectMapper(new CBORFactory());
        byte[] ok = cbor.writeValueAsBytes(Map.of("v", 21.5));
        Object deep = 1;
        for (int i = 0; i < 100; i++) {
            deep = java.util.List.of(deep);
        }
        byte[] tooDeep = cbor.writeValueAsBytes(deep);

        JsonPayloadReader.Parsed parsed = JsonPayloadReader.cbor().read(ok, "s/r/d");
        JsonPayloadReader.Parsed rejected = JsonPayloadReader.cbor().read(tooDeep, "s/r/d");
        JsonPayloadReader.Parsed truncated = JsonPayloadReader.cbor().read(java.util.Arrays.copyOf(ok, ok.length - 2), "s/r/d");

        assertThat(parsed.ok()).isTrue();
        assertThat(parsed.root().get("v").doubleValue()).isEqualTo(21.5);
        assertThat(rejected.problem().message()).contains("nesting depth");
        assertThat(truncated.problem().message()).startsWith("payload is not valid CBOR");
        assertThat(truncated.problem().device()).isEqualTo("s/r/d");
    }

    @Test
    void readsNumbersAndSaysWhyOtherValuesAreNot() {
        JsonNodeFactory f = JsonNodeFactory.instance;

        assertThat(JsonPayloadReader.number(f.numberNode(21.5)).value()).isEqualTo(21.5);
        assertThat(JsonPayloadReader.number(f.numberNode(7L)).ok()).isTrue();
        assertThat(JsonPayloadReader.number(f.textNode("21.5")).problem()).isEqualTo("expected a number, got the string \"21.5\"");
        assertThat(JsonPayloadReader.number(f.textNode(" Infinity ")).problem()).contains("not a finite number");
        assertThat(JsonPayloadReader.number(f.numberNode(Double.NaN)).problem()).contains("NaN");
        assertThat(JsonPayloadReader.number(f.booleanNode(true)).problem()).isEqualTo("expected a number, got the boolean true");
        assertThat(JsonPayloadReader.number(f.nullNode()).problem()).isEqualTo("expected a number, got null");
        assertThat(JsonPayloadReader.number(f.objectNode()).problem()).isEqualTo("expected a number, got an object");
    }

    @Test
    void validatesUtf8Precisely() {
        assertThat(JsonPayloadReader.firstInvalidUtf8("plain ascii".getBytes(StandardCharsets.US_ASCII))).isEqualTo(-1);
        assertThat(JsonPayloadReader.firstInvalidUtf8("Nhiệt độ 😀".getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
        byte[] cut = "ab😀".getBytes(StandardCharsets.UTF_8);
        assertThat(JsonPayloadReader.firstInvalidUtf8(java.util.Arrays.copyOf(cut, cut.length - 1))).isEqualTo(2);
        assertThat(JsonPayloadReader.firstInvalidUtf8(new byte[] {'a', (byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80})).isEqualTo(1);
    }

    @Test
    void rejectsLongNumberLiteralsAndNamesTheLimit() {
        String digits = "1".repeat(JsonPayloadReader.MAX_NUMBER_LENGTH + 1);
        JsonPayloadReader.Parsed parsed = JsonPayloadReader.json().read(("{\"v\":" + digits + "}").getBytes(StandardCharsets.UTF_8), "s/r/d");

        assertThat(parsed.ok()).isFalse();
        assertThat(parsed.problem().message()).contains("parser limit");
    }
}
