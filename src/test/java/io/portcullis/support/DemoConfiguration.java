package io.portcullis.support;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;

/**
 * What {@code ./mvnw quarkus:dev} runs, on a port that is not 8080: the demo file from the class path
 * and its printed credentials (DemoWalkthroughTest). Brute-force thresholds small enough to reach in a
 * test (BruteForceTest) share its start, because the walkthrough never fails an authentication: each
 * test profile costs a build and a start, ~12 s of the suite.
 */
public class DemoConfiguration implements QuarkusTestProfile {
    /** The secret of the demo's two subscriptions, whose hash is in the demo file. */
    public static final String DEMO_SECRET = "JO826DHlc8KDAGB380d5ektuvECC6h50AFWc_yeDGwk";

    /** Chosen once: the profile may be asked for its overrides more than once. */
    static final int PORT = freePort();

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.http.test-port", Integer.toString(PORT),
                "portcullis.demo.enabled", "true",
                "portcullis.demo.client-secret", DEMO_SECRET,
                "portcullis.config-file", "classpath:demo/portcullis-demo.yaml",
                "portcullis.lockout.max-failures", "5",
                "portcullis.lockout.max-failures-per-address", "40",
                "portcullis.lockout.window", "60s");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
