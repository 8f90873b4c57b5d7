package org.smartschool.gateway.coap;

import org.eclipse.californium.scandium.DtlsHealth;
import org.eclipse.californium.scandium.dtls.Handshaker;
import org.eclipse.californium.scandium.dtls.SessionAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.bridge.text.SafeText;
import org.smartschool.gateway.telemetry.GatewayMetrics;
import org.smartschool.gateway.telemetry.RateLimitedLog;

/**
 * Counts what goes wrong in DTLS and logs it at most once per interval (a device with a wrong key
 * retries forever and must not flood the log). A wrong key shows first as records the gateway
 * cannot decrypt (DTLS drops them silently, RFC 6347 section 4.1.2.7), later as a handshake that
 * failed or expired.
 */
final class DtlsFailures extends SessionAdapter implements DtlsHealth {
    private static final Logger LOG = LoggerFactory.getLogger(DtlsFailures.class);

    private final GatewayMetrics metrics;
    private final RateLimitedLog log = new RateLimitedLog(LOG, 10_000);

    DtlsFailures(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void handshakeFailed(Handshaker handshaker, Throwable error) {
        metrics.coapDtlsFailures("handshake_failed").increment();
        log.warn("handshake-failed", "DTLS handshake from {} failed: {}", handshaker.getPeerAddress(),
                SafeText.clean(String.valueOf(error.getMessage()), 200));
    }

    @Override
    public void receivingRecord(boolean dropped) {
        if (dropped) {
            metrics.coapDtlsFailures("record_dropped").increment();
            log.warn("record-dropped", "DTLS record dropped (wrong key, replay or garbage)");
        }
    }

    @Override
    public boolean isEnabled() {
        return true;
    }

    @Override
    public void dump(String tag, int maxConnections, int remainingCapacity, int pendingWithoutVerify) {
        // the counters are the report
    }

    @Override
    public void startHandshake() {
        // counted by outcome only
    }

    @Override
    public void endHandshake(boolean success) {
        // failures are counted with their reason by handshakeFailed
    }

    @Override
    public void sendingRecord(boolean dropped) {
        // nothing a device did
    }
}
