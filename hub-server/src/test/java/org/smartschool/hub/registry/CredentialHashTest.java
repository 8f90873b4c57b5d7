package org.smartschool.hub.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.smartschool.hub.registry.GatewayCredentials.RegisteredGateway;
import org.smartschool.hub.registry.RegistryStore.StoredCredential;

class CredentialHashTest {

    @Test
    void hashMatchesOnlyItsSecretAndReadsBackFromItsEncoding() {
        String secret = CredentialHash.newSecret();
        CredentialHash hash = CredentialHash.of(secret);

        CredentialHash parsed = CredentialHash.parse(hash.encoded());

        assertThat(parsed.matches(secret)).isTrue();
        assertThat(parsed.matches(secret + "x")).isFalse();
        assertThat(parsed.matches("")).isFalse();
        assertThat(parsed.matches(null)).isFalse();
        assertThat(hash.encoded()).matches("pbkdf2-sha256\\$20000\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(hash.toString()).doesNotContain(hash.encoded().substring(25));
    }

    @Test
    void sameSecretGetsADifferentSaltEachTime() {
        CredentialHash a = CredentialHash.of("same secret");
        CredentialHash b = CredentialHash.of("same secret");

        assertThat(a.encoded()).isNotEqualTo(b.encoded());
        assertThat(a.matches("same secret")).isTrue();
        assertThat(b.matches("same secret")).isTrue();
        assertThat(CredentialHash.of("mật khẩu tiếng Việt").matches("mật khẩu tiếng Việt")).isTrue();
    }

    @Test
    void newSecretsAre256RandomBits() {
        String one = CredentialHash.newSecret();

        assertThat(one).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(CredentialHash.newSecret()).isNotEqualTo(one);
    }

    @Test
    void unreadableEncodingIsRefused() {
        assertThatThrownBy(() -> CredentialHash.parse("sha1$1$abc$def")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CredentialHash.parse("pbkdf2-sha256$10$AAAAAAAAAAAAAAAAAAAAAA$AAAA"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CredentialHash.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void registryCredentialsVerifyTheSecretAndForgetItWhenReplaced() {
        RegistryGatewayCredentials credentials = new RegistryGatewayCredentials();
        credentials.replaceAll(List.of(new StoredCredential("gw-1", "school-01", "THCS Nguyễn Du", CredentialHash.of("first"))));

        assertThat(credentials.verify("gw-1", "first")).contains(new RegisteredGateway("gw-1", "school-01", "THCS Nguyễn Du"));
        assertThat(credentials.verify("gw-1", "first")).isPresent(); // the remembered digest
        assertThat(credentials.verify("gw-1", "wrong")).isEmpty();
        assertThat(credentials.verify("gw-2", "first")).isEmpty();
        assertThat(credentials.verify(null, "first")).isEmpty();

        credentials.replaceAll(List.of(new StoredCredential("gw-1", "school-01", "THCS Nguyễn Du", CredentialHash.of("second"))));

        assertThat(credentials.verify("gw-1", "first")).isEmpty();
        assertThat(credentials.verify("gw-1", "second")).isPresent();
        credentials.replaceAll(List.of());
        assertThat(credentials.verify("gw-1", "second")).isEmpty();
        assertThat(GatewayCredentials.NONE.verify("gw-1", "second")).isEmpty();
    }

    /** Verifies that the school of a registered gateway id is known whatever the secret (security alarms name it). */
    @Test
    void registryCredentialsNameTheSchoolOfARegisteredId() {
        RegistryGatewayCredentials credentials = new RegistryGatewayCredentials();
        credentials.replaceAll(List.of(new StoredCredential("gw-1", "school-01", "THCS Nguyễn Du", CredentialHash.of("s"))));

        assertThat(credentials.schoolOf("gw-1")).contains("school-01");
        assertThat(credentials.schoolOf("gw-2")).isEmpty();
        assertThat(credentials.schoolOf(null)).isEmpty();
        assertThat(GatewayCredentials.NONE.schoolOf("gw-1")).isEmpty();
    }
}
