package org.smartschool.hub.store;

import java.util.List;

import org.smartschool.bridge.uplink.Batch;

/**
 * What the hub itself keeps about its gateways, beside the time series: the ids of the batches
 * stored (to tell a replay) and each gateway's last contact and health report.
 *
 * <p>Blocking and thread-safe like {@link TimeSeriesStore}.
 */
public interface HubState extends AutoCloseable {

    /**
     * Records that a batch was stored (its time series are already written) and marks its gateway as
     * seen now.
     *
     * @return {@link BatchOutcome#REPLAYED} when this batch id of this gateway was recorded before
     */
    BatchOutcome recordBatch(Batch batch);

    /** Records a gateway's latest health report as received (JSON text) and marks the gateway as seen now. */
    void recordHealth(String gatewayId, String school, String healthJson);

    /** What the hub knows about each gateway that has ever been seen, ordered by gateway id. */
    List<GatewayStatus> gatewayStatuses();

    /** Answers quickly when the state is usable; throws {@link StoreException} otherwise. */
    void ping();

    @Override
    void close();
}
