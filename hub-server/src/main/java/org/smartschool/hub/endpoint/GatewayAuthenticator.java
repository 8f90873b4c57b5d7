package org.smartschool.hub.endpoint;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.smartschool.hub.config.GatewayConfig;
import org.smartschool.hub.registry.GatewayCredentials;
import org.smartschool.hub.registry.GatewayCredentials.RegisteredGateway;

/**
 * Checks a gateway's CONNECT credential against the configured gateways (docs/protocol.md, "CONNECT").
 *
 * <p>Secrets are compared as SHA-256 digests with {@link MessageDigest#isEqual}, which takes the same
 * time wherever the first difference is; hashing first also hides the secret's length, and an
 * unknown gateway id costs the same comparison as a known one.
 */
final class GatewayAuthenticator {
    private static final byte[] NO_SECRET = sha256("no gateway has this secret");

    private final Map<String, Credential> byId;
    private final GatewayCredentials registered;

    GatewayAuthenticator(List<GatewayConfig> gateways) {
        this(gateways, GatewayCredentials.NONE);
    }

    /** @param registered the registry's gateways, asked about ids that hub.yaml does not list */
    GatewayAuthenticator(List<GatewayConfig> gateways, GatewayCredentials registered) {
        this.byId = gateways.stream().map(g -> new Credential(g, sha256(g.secret())))
                .collect(Collectors.toUnmodifiableMap(c -> c.gateway().id(), Function.identity()));
        this.registered = registered;
    }

    /**
     * @param password the CONNECT password as UTF-8 text, or null
     * @return the gateway the credential belongs to
     * @throws ConnectRefusedException why the connection is refused
     */
    GatewayConfig authenticate(String clientId, String username, String password) {
        Credential credential = username == null ? null : byId.get(username);
        if (credential == null && username != null && password != null) {
            Optional<RegisteredGateway> gateway = registered.verify(username, password);
            if (gateway.isPresent()) {
                credential = new Credential(new GatewayConfig(gateway.get().id(), gateway.get().school(),
                        gateway.get().schoolName(), password, null), sha256(password));
            }
        }
        byte[] given = sha256(password == null ? "" : password);
        boolean secretMatches = MessageDigest.isEqual(credential == null ? NO_SECRET : credential.secretDigest(), given);
        if (credential == null || password == null || !secretMatches) {
            // which school the claimed id belongs to, for the district's security alarms (not told to the client)
            String school = credential != null ? credential.gateway().school()
                    : username == null ? null : registered.schoolOf(username).orElse(null);
            throw new ConnectRefusedException(ConnectRefusedException.Refusal.BAD_CREDENTIALS,
                    credential == null ? "unknown gateway or no user name" : "wrong secret", school);
        }
        if (!username.equals(clientId)) {
            throw new ConnectRefusedException(ConnectRefusedException.Refusal.CLIENT_ID_MISMATCH,
                    "client identifier must equal the user name (the gateway id)");
        }
        return credential.gateway();
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private record Credential(GatewayConfig gateway, byte[] secretDigest) {
    }
}
