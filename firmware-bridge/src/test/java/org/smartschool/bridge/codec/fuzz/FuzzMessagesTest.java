package org.smartschool.bridge.codec.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.smartschool.bridge.codec.RawMessage;

class FuzzMessagesTest {

    @Test
    void readsTopicsContentTypesAndPayloadsOfASequence() {
        byte[] input = "homie/5/air/$state\nready\n\u001e\nrd/air\tapplication/senml+json\n[{\"n\":\"co2\",\"v\":1}]"
                .getBytes(StandardCharsets.UTF_8);

        List<RawMessage> messages = FuzzMessages.parse(input);

        assertThat(messages).extracting(RawMessage::topic, RawMessage::contentType, m -> new String(m.payload(), StandardCharsets.UTF_8))
                .containsExactly(
                        tuple("homie/5/air/$state", null, "ready"),
                        tuple("rd/air", "application/senml+json", "[{\"n\":\"co2\",\"v\":1}]"));
        assertThat(messages).allSatisfy(m -> assertThat(m.receivedAt()).isEqualTo(FuzzMessages.RECEIVED_AT));
    }

    @Test
    void keepsBinaryPayloadsWholeAndBoundsTheNumberOfMessages() {
        byte[] cbor = {(byte) 0x81, (byte) 0xa1, 0x00, 0x0a, '\n', (byte) 0xff};
        byte[] input = new byte[3 + cbor.length];
        input[0] = 't';
        input[1] = '\n';
        System.arraycopy(cbor, 0, input, 2, cbor.length);
        input[input.length - 1] = '\n';

        assertThat(FuzzMessages.parse(input)).singleElement().satisfies(m -> {
            assertThat(m.topic()).isEqualTo("t");
            assertThat(m.payload()).hasSize(cbor.length + 1).startsWith(cbor);
        });
        assertThat(FuzzMessages.parse("x\n\u001e\n".repeat(100).getBytes(StandardCharsets.US_ASCII))).hasSize(FuzzMessages.MAX_MESSAGES);
        assertThat(FuzzMessages.parse(new byte[0])).singleElement().satisfies(m -> assertThat(m.payload()).isEmpty());
    }
}
