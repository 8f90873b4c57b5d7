package org.smartschool.hub.registry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.smartschool.hub.registry.RegistryStore.StoredCredential;

/**
 * The registry's gateway credentials in memory, for the MQTT endpoint's CONNECT check (which runs on
 * an event loop: no database call here). {@link #replaceAll} installs what the state database holds;
 * the hub calls it at start, after each registration and periodically (another replica may register).
 *
 * <p>The first CONNECT with the right secret costs one PBKDF2 ({@link CredentialHash}); after that the
 * SHA-256 digest of the secret that matched is remembered in memory only, so a gateway reconnecting
 * over a flaky link is checked with one hash and a constant-time compare. A new credential forgets it.
 */
public final class RegistryGatewayCredentials implements GatewayCredentials {
    private volatile Map<String, Entry> byId = Map.of();

    /** Installs every stored credential; entries whose hash did not change keep what they learnt. */
    public void replaceAll(List<StoredCredential> credentials) {
        Map<String, Entry> old = byId;
        byId = credentials.stream().map(c -> {
            Entry previous = old.get(c.gatewayId());
            return previous != null && previous.credential.hash().encoded().equals(c.hash().encoded())
                    && previous.credential.schoolId().equals(c.schoolId()) ? previous : new Entry(c);
        }).collect(Collectors.toUnmodifiableMap(e -> e.credential.gatewayId(), Function.identity()));
    }

    /** How many gateways have a registry credential. */
    public int size() {
        return byId.size();
    }

    @Override
    public Optional<RegisteredGateway> verify(String gatewayId, String secret) {
        Entry entry = gatewayId == null ? null : byId.get(gatewayId);
        if (entry == null || secret == null) {
            return Optional.empty();
        }
        byte[] digest = sha256(secret);
        byte[] known = entry.verifiedDigest.get();
        boolean ok = known != null && MessageDigest.isEqual(known, digest);
        if (!ok && entry.credential.hash().matches(secret)) {
            entry.verifiedDigest.set(digest);
            ok = true;
        }
        StoredCredential c = entry.credential;
        return ok ? Optional.of(new RegisteredGateway(c.gatewayId(), c.schoolId(), c.schoolName())) : Optional.empty();
    }

    @Override
    public Optional<String> schoolOf(String gatewayId) {
        Entry entry = gatewayId == null ? null : byId.get(gatewayId);
        return entry == null ? Optional.empty() : Optional.of(entry.credential.schoolId());
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static final class Entry {
        final StoredCredential credential;
        /** The digest of the secret that last matched; null until one has. */
        final AtomicReference<byte[]> verifiedDigest = new AtomicReference<>();

        Entry(StoredCredential credential) {
            this.credential = credential;
        }
    }
}
