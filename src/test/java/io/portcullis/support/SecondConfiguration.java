package io.portcullis.support;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;
import java.util.Map;

/**
 * The configuration of the tests that cannot run on the default one, gathered so that Quarkus builds
 * and starts once for all of them (each test profile costs a build and a start, ~13 s of the suite):
 * <ul>
 *   <li>a client cache smaller than a flood of made-up ids (RefusalFloodTest);</li>
 *   <li>an idle timeout of 3 s (HttpLimitsTest; production's is 75 s), which is longer than the 1 s
 *       database timeouts below, so that a refusal during the outage is answered before its connection
 *       is closed as idle;</li>
 *   <li>ES256 signing keys (Es256SigningTest; the default profile signs with RS256);</li>
 *   <li>the database behind a relay the test can cut (DatabaseOutageTest, which reconnects it after
 *       each test, so the others see a database that is always there), and connection timeouts of
 *       1 s instead of production's 3 s, so that each refusal during the cut comes sooner.</li>
 * </ul>
 * None of these changes what the other tests here check. A setting that would is elsewhere: the
 * brute-force lockout, whose address lock would refuse RefusalFloodTest's failures, is in
 * {@link DemoConfiguration}.
 */
public class SecondConfiguration implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("portcullis.registry.cache-max-entries", "50", "quarkus.http.idle-timeout", "3S",
                "portcullis.keys.algorithm", "ES256",
                "quarkus.datasource.jdbc.acquisition-timeout", "1S",
                "quarkus.datasource.jdbc.additional-jdbc-properties.connectTimeout", "1");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(DatabaseProxyResource.class));
    }
}
