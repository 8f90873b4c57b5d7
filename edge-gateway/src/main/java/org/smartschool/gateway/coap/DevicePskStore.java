package org.smartschool.gateway.coap;

import java.net.InetSocketAddress;

import javax.crypto.SecretKey;

import org.eclipse.californium.scandium.dtls.ConnectionId;
import org.eclipse.californium.scandium.dtls.HandshakeResultHandler;
import org.eclipse.californium.scandium.dtls.PskPublicInformation;
import org.eclipse.californium.scandium.dtls.PskSecretResult;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedMultiPskStore;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedPskStore;
import org.eclipse.californium.scandium.util.ServerNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.bridge.text.SafeText;
import org.smartschool.gateway.config.CoapSettings.DeviceKey;
import org.smartschool.gateway.telemetry.GatewayMetrics;
import org.smartschool.gateway.telemetry.RateLimitedLog;

/**
 * Scandium's server-side key store, filled from {@link DeviceKeys}: answers a handshake with the
 * device's key, and counts (and logs, rate-limited) the identities it does not know.
 */
final class DevicePskStore implements AdvancedPskStore {
    private static final Logger LOG = LoggerFactory.getLogger(DevicePskStore.class);

    private final AdvancedMultiPskStore keys = new AdvancedMultiPskStore();
    private final GatewayMetrics metrics;
    private final RateLimitedLog log;

    DevicePskStore(DeviceKeys deviceKeys, GatewayMetrics metrics) {
        for (DeviceKey key : deviceKeys.all()) {
            keys.setKey(key.identity(), key.secretBytes());
        }
        this.metrics = metrics;
        this.log = new RateLimitedLog(LOG, 10_000);
    }

    @Override
    public boolean hasEcdhePskSupported() {
        return keys.hasEcdhePskSupported();
    }

    @Override
    public PskSecretResult requestPskSecretResult(ConnectionId cid, ServerNames serverName, PskPublicInformation identity,
                                                  String hmacAlgorithm, SecretKey otherSecret, byte[] seed,
                                                  boolean useExtendedMasterSecret) {
        PskSecretResult result = keys.requestPskSecretResult(cid, serverName, identity, hmacAlgorithm, otherSecret, seed,
                useExtendedMasterSecret);
        if (result == null || result.getSecret() == null) {
            metrics.coapDtlsFailures("unknown_identity").increment();
            log.warn("unknown-identity", "DTLS handshake with unknown PSK identity '{}': refused",
                    SafeText.clean(identity.getPublicInfoAsString(), 80));
        }
        return result;
    }

    @Override
    public PskPublicInformation getIdentity(InetSocketAddress peerAddress, ServerNames virtualHost) {
        return null; // a server only
    }

    @Override
    public void setResultHandler(HandshakeResultHandler resultHandler) {
        keys.setResultHandler(resultHandler);
    }
}
