package io.portcullis.hardening;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * Limits small enough to reach within a test, shared by the tests that need them so that Quarkus
 * starts once for all: a client cache smaller than a flood of made-up ids (RefusalFloodTest), and
 * an idle timeout of one second (HttpLimitsTest; production's is 75 s).
 */
public class SmallLimits implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("portcullis.registry.cache-max-entries", "50", "quarkus.http.idle-timeout", "1S");
    }
}
