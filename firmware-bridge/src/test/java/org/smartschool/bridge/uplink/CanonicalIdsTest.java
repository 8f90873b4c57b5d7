package org.smartschool.bridge.uplink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** Decoded ids are shared instances across batches, and sharing never lets an invalid id through. */
class CanonicalIdsTest {
    private final BatchCodec codec = new BatchCodec();

    @Test
    void twoDecodesOfOneSchoolShareTheirIdInstances() throws Exception {
        byte[] frame = codec.encode(SampleBatches.schoolSnapshot(11));
        Batch first = codec.decode(frame);
        Batch second = codec.decode(frame.clone());

        assertThat(second).isEqualTo(first);
        assertThat(second.school()).isSameAs(first.school());
        assertThat(second.gatewayId()).isSameAs(first.gatewayId());
        for (int i = 0; i < first.readings().size(); i++) {
            assertThat(second.readings().get(i).room()).isSameAs(first.readings().get(i).room());
            assertThat(second.readings().get(i).device()).isSameAs(first.readings().get(i).device());
        }
    }

    @Test
    void anInvalidIdIsRefusedEvenAfterValidOnesWereShared() throws Exception {
        Batch valid = codec.decode(TestFrames.frame(TestFrames.validBody()));
        assertThat(valid.readings()).isNotEmpty();
        // the shared "d1" is no reason to take "d1 " (or a school "s1 ") without the check
        Map<Object, Object> badDevice = TestFrames.validBody();
        badDevice.put(5, TestFrames.list("r1", "d1 "));
        assertThatThrownBy(() -> codec.decode(TestFrames.frame(badDevice))).isInstanceOf(BatchFormatException.class)
                .hasMessageContaining("strings[1]: invalid room or device id");
        Map<Object, Object> badSchool = TestFrames.validBody();
        badSchool.put(3, "s1 ");
        assertThatThrownBy(() -> codec.decode(TestFrames.frame(badSchool))).isInstanceOf(BatchFormatException.class)
                .hasMessageContaining("school");
    }
}
