package org.smartschool.hub.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.smartschool.hub.config.GatewayConfig;
import org.smartschool.hub.registry.GatewayCredentials;

/** The school a refused CONNECT claimed, for the district's security alarms. */
class ClaimedSchoolTest {

    /** A registry that knows gw-reg of school s-reg, and no secret at all. */
    private static final GatewayCredentials REGISTRY = new GatewayCredentials() {
        @Override
        public Optional<RegisteredGateway> verify(String gatewayId, String secret) {
            return Optional.empty();
        }

        @Override
        public Optional<String> schoolOf(String gatewayId) {
            return "gw-reg".equals(gatewayId) ? Optional.of("s-reg") : Optional.empty();
        }
    };

    private final GatewayAuthenticator authenticator = new GatewayAuthenticator(
            List.of(new GatewayConfig("gw-1", "s1", "secret-1")), REGISTRY);

    private String claimedSchool(String user, String password) {
        try {
            authenticator.authenticate(user, user, password);
        } catch (ConnectRefusedException e) {
            assertThat(e.refusal()).isEqualTo(ConnectRefusedException.Refusal.BAD_CREDENTIALS);
            return e.claimedSchool();
        }
        throw new AssertionError("credential of " + user + " accepted");
    }

    /** Verifies that a wrong secret names the school of a configured or registered gateway, and an unknown id none. */
    @Test
    void aRefusedCredentialNamesTheClaimedGatewaysSchoolWhenKnown() {
        assertThat(claimedSchool("gw-1", "wrong")).isEqualTo("s1");
        assertThat(claimedSchool("gw-1", null)).isEqualTo("s1");
        assertThat(claimedSchool("gw-reg", "wrong")).isEqualTo("s-reg");
        assertThat(claimedSchool("gw-nobody", "wrong")).isNull();
        assertThat(claimedSchool(null, "wrong")).isNull();
    }
}
