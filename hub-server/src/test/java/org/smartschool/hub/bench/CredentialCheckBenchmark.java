package org.smartschool.hub.bench;

import org.smartschool.hub.registry.CredentialHash;

/**
 * What one check of a registered gateway's secret costs (PBKDF2-HMAC-SHA256, {@link CredentialHash}):
 * the first CONNECT of a gateway, and every CONNECT with a wrong secret, pays it on the endpoint's
 * thread. Run on demand, not a test:
 * <pre>
 * ./mvnw -q -pl hub-server -am test-compile -DskipTests
 * java -cp hub-server/target/classes:hub-server/target/test-classes org.smartschool.hub.bench.CredentialCheckBenchmark
 * </pre>
 */
public final class CredentialCheckBenchmark {
    private static final int WARM_UP = 50;
    private static final int ROUNDS = 200;

    private CredentialCheckBenchmark() {
    }

    public static void main(String[] args) {
        CredentialHash hash = CredentialHash.of(CredentialHash.newSecret());
        boolean any = false;
        for (int i = 0; i < WARM_UP; i++) {
            any |= hash.matches("wrong");
        }
        long start = System.nanoTime();
        for (int i = 0; i < ROUNDS; i++) {
            any |= hash.matches("wrong");
        }
        double ms = (System.nanoTime() - start) / 1e6 / ROUNDS;
        System.out.printf("PBKDF2-HMAC-SHA256, %d iterations: %.2f ms per check (%d checks; matched: %s)%n",
                CredentialHash.DEFAULT_ITERATIONS, ms, ROUNDS, any);
    }
}
