package org.smartschool.gateway.coap;

import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.network.interceptors.MessageInterceptorAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.gateway.telemetry.GatewayMetrics;
import org.smartschool.gateway.telemetry.RateLimitedLog;

/**
 * Counts the 4.13 answers Californium gives itself: a body over {@code coap.maxPayloadBytes}
 * (Californium's {@code MAX_RESOURCE_BODY_SIZE}), in one datagram or block-wise, is refused before
 * it reaches {@link DeviceResource}.
 */
final class OversizeCounter extends MessageInterceptorAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(OversizeCounter.class);

    private final GatewayMetrics metrics;
    private final RateLimitedLog log = new RateLimitedLog(LOG, 10_000);

    OversizeCounter(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void sendResponse(Response response) {
        if (response.getCode() == ResponseCode.REQUEST_ENTITY_TOO_LARGE && !response.isDuplicate()) {
            metrics.coapRefused("too_large").increment();
            log.warn("too-large", "CoAP request from {} refused: 4.13 {}", response.getDestinationContext().getPeerAddress(),
                    response.getPayloadString());
        }
    }
}
