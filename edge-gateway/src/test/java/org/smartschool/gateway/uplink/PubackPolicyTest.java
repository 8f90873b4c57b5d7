package org.smartschool.gateway.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.smartschool.gateway.uplink.PubackPolicy.Action;
import org.smartschool.gateway.uplink.PubackPolicy.Outcome;

/** Verifies what the gateway does with each answer of the hub (docs/protocol.md, PUBACK for a batch). */
class PubackPolicyTest {

    @ParameterizedTest(name = "PUBACK 0x{0} -> {1}")
    @CsvSource({
            "00, REMOVE",        // stored (or a replay, stored before)
            "10, REMOVE",        // a plain broker: no matching subscribers, but accepted
            "87, DEAD_LETTER",   // not authorized for this school/gateway
            "97, SPLIT",         // quota exceeded: frame larger than the hub's limit: resend in halves
            "99, DEAD_LETTER",   // payload format invalid
            "83, RETRY",         // the hub could not store: keep and resend
            "80, RETRY",         // any other refusal: keep, never drop what devices were told is safe
            "90, RETRY",
    })
    void decidesByReasonCode(String hex, Action expected) {
        PubackPolicy.Decision decision = PubackPolicy.decide(new Outcome.Acked(Integer.parseInt(hex, 16), null));

        assertThat(decision.action()).isEqualTo(expected);
        assertThat(decision.reason()).contains("0x" + hex.toUpperCase());
    }

    @Test
    void noPubackKeepsTheBatchForAResend() {
        assertThat(PubackPolicy.decide(new Outcome.NoAck("no PUBACK within 30000 ms", false)).action())
                .isEqualTo(Action.RETRY);
        assertThat(PubackPolicy.decide(new Outcome.NoAck("not connected", true)).action())
                .isEqualTo(Action.RETRY);
    }

    @Test
    void theHubsReasonStringIsKeptOnOneLine() {
        PubackPolicy.Decision decision = PubackPolicy.decide(new Outcome.Acked(0x99, "truncated frame\nat byte 12"));

        assertThat(decision.reason()).isEqualTo("hub refused the batch: 0x99 Payload format invalid: truncated frame at byte 12");
    }
}
