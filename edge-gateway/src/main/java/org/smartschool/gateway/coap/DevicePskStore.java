package org.smartschool.gateway.coap;

import java.net.InetSocketAddress;
import java.util.function.Supplier;

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
 * Scandium's server-side key store over the device keys in force: answers a handshake with the
 * device's key, and counts (and logs, rate-limited) the identities it does not know.
 *
 * <p>The keys are read from {@code keys} at every handshake, so a key the hub's desired
 * configuration adds is used by the next handshake and a removed one is refused, without
 * restarting the DTLS endpoint. Scandium's own {@link AdvancedMultiPskStore} does the key
 * derivation; one is built per key set and kept until the set changes.
 */
final class DevicePskStore implements AdvancedPskStore {
    private static final Logger LOG = LoggerFactory.getLogger(DevicePskStore.class);

    private final Supplier<DeviceKeys> keys;
    private final GatewayMetrics metrics;
    private final RateLimitedLog log;
    private volatile Built built;
    private volatile HandshakeResultHandler resultHandler;

    DevicePskStore(Supplier<DeviceKeys> keys, GatewayMetrics metrics) {
        this.keys = keys;
        this.metrics = metrics;
        this.log = new RateLimitedLog(LOG, 10_000);
    }

    /** Scandium's store for the keys in force now (the same instance while they do not change). */
    private AdvancedMultiPskStore current() {
        DeviceKeys now = keys.get();
        Built last = built;
        if (last != null && last.source == now) {
            return last.store;
        }
        AdvancedMultiPskStore store = new AdvancedMultiPskStore();
        for (DeviceKey key : now.all()) {
            store.setKey(key.identity(), key.secretBytes());
        }
        HandshakeResultHandler handler = resultHandler;
        if (handler != null) {
            store.setResultHandler(handler);
        }
        built = new Built(now, store);
        return store;
    }

    @Override
    public boolean hasEcdhePskSupported() {
        return current().hasEcdhePskSupported();
    }

    @Override
    public PskSecretResult requestPskSecretResult(ConnectionId cid, ServerNames serverName, PskPublicInformation identity,
                                                  String hmacAlgorithm, SecretKey otherSecret, byte[] seed,
                                                  boolean useExtendedMasterSecret) {
        PskSecretResult result = current().requestPskSecretResult(cid, serverName, identity, hmacAlgorithm, otherSecret,
                seed, useExtendedMasterSecret);
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
        this.resultHandler = resultHandler;
        current().setResultHandler(resultHandler);
    }

    private record Built(DeviceKeys source, AdvancedMultiPskStore store) {
    }
}
