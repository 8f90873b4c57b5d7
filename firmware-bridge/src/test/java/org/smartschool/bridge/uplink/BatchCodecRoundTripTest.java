package org.smartschool.bridge.uplink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smartschool.bridge.uplink.SampleBatches.batch;
import static org.smartschool.bridge.uplink.SampleBatches.groupedBySeries;
import static org.smartschool.bridge.uplink.SampleBatches.reading;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;

@Timeout(30)
class BatchCodecRoundTripTest {
    private final BatchCodec codec = new BatchCodec();

    private Batch roundTrip(Batch batch) throws BatchFormatException {
        return codec.decode(codec.encode(batch));
    }

    private void assertSameBatch(Batch decoded, Batch original) {
        assertThat(decoded.batchId()).isEqualTo(original.batchId());
        assertThat(decoded.gatewayId()).isEqualTo(original.gatewayId());
        assertThat(decoded.school()).isEqualTo(original.school());
        assertThat(decoded.readings()).containsExactlyElementsOf(groupedBySeries(original.readings()));
        assertThat(decoded.events()).containsExactlyElementsOf(original.events());
    }

    @Test
    void classroomBatchComesBackIdenticalGroupedBySeries() throws Exception {
        Batch original = SampleBatches.classroom(42);

        Batch decoded = roundTrip(original);

        assertSameBatch(decoded, original);
        assertThat(decoded.readings()).hasSize(210);
        assertThat(decoded.events()).hasSize(3);
    }
}
