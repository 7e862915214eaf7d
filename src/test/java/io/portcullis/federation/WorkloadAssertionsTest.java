package io.portcullis.federation;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import io.portcullis.registry.TrustedIssuerDefinition;
import io.portcullis.registry.TrustedIssuerView;
import io.portcullis.support.TestWorkloadIssuer;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.junit.jupiter.api.Test;

import java.util.Date;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The checks of a workload's JWT, without HTTP: each one refuses alone. */
class WorkloadAssertionsTest {
    static final String ISS = "https://kubernetes.default.svc.cluster.local";
    static final String AUD = "https://portcullis.example";

    final TestWorkloadIssuer platform;
    final TrustedIssuerView issuer;
    final WorkloadAssertions assertions;
    final long now = System.currentTimeMillis() / 1000;

    WorkloadAssertionsTest() throws Exception {
        platform = new TestWorkloadIssuer();
        platform.close();
        issuer = TrustedIssuerView.of(TrustedIssuerDefinition.builder("cluster").issuer(ISS).jwksUri("https://keys.example/jwks")
                .audiences(AUD, "other-audience").maxTokenLifetimeSeconds(3600).build());
        List<JsonWebKey> keys = new JsonWebKeySet(platform.jwks()).getJsonWebKeys();
        assertions = new WorkloadAssertions((view, kid) -> keys);
    }

    String pod(java.util.function.UnaryOperator<com.nimbusds.jwt.JWTClaimsSet.Builder> change, JWK key, JWSAlgorithm alg) throws Exception {
        return TestWorkloadIssuer.sign(change.apply(TestWorkloadIssuer.kubernetesClaims(ISS, AUD, "payments", "billing")).build(), key, alg, null);
    }

    @Test
    void aProjectedServiceAccountTokenNamesItsWorkload() throws Exception {
        assertEquals("system:serviceaccount:payments:billing", assertions.verify(issuer, WorkloadAssertions.parse(pod(b -> b, platform.rsa, JWSAlgorithm.RS256)), now));
        assertEquals("system:serviceaccount:payments:billing", assertions.verify(issuer, WorkloadAssertions.parse(pod(b -> b, platform.ec, JWSAlgorithm.ES256)), now));
        assertEquals("system:serviceaccount:payments:billing",
                assertions.verify(issuer, WorkloadAssertions.parse(pod(b -> b.audience(List.of("x", AUD)), platform.ec, JWSAlgorithm.ES256)), now),
                "one of its audiences among others");
    }

    @Test
    void eachCheckRefusesAlone() throws Exception {
        long ms = now * 1000;
        assertNull(assertions.verify(issuer, WorkloadAssertions.parse(pod(b -> b.issuer(ISS + "/"), platform.rsa, JWSAlgorithm.RS256)), now));
        assertNull(assertions.verify(issuer, WorkloadAssertions.parse(pod(b -> b.audience("x"), platform.rsa, JWSAlgorithm.RS256)), now));
        assertNull(assertions.verify(issuer, WorkloadAssertions.parse(pod(b -> b.audience((String) null), platform.rsa, JWSAlgorithm.RS256)), now));
        assertNull(assertions.verify(issuer, WorkloadAssertions.parse(pod(b -> b.subject(null), platform.rsa, JWSAlgorithm.RS256)), now));
        assertNull(assertions.verify(issuer, WorkloadAssertions.parse(pod(b -> b.expirationTime(null), platform.rsa, JWSAlgorithm.RS256)), now));
        // exp 31 s ago is past the skew; 29 s ago is within it
        assertNull(assertions.verify(issuer, WorkloadAssertions.parse(pod(b -> b.issueTime(new Date(ms - 600_000)).notBeforeTime(new Date(ms - 600_000))
                .expirationTime(new Date(ms - 31_000)), platform.rsa, JWSAlgorithm.RS256)), now));
        assertEquals("system:serviceaccount:payments:billing", assertions.verify(issuer, WorkloadAssertions.parse(pod(b -> b.issueTime(new Date(ms - 600_000))
                .notBeforeTime(new Date(ms - 600_000)).expirationTime(new Date(ms - 29_000)), platform.rsa, JWSAlgorithm.RS256)), now));
        assertNull(assertions.verify(issuer, WorkloadAssertions.parse(pod(b -> b.notBeforeTime(new Date(ms + 31_000)), platform.rsa, JWSAlgorithm.RS256)), now));
        assertNull(assertions.verify(issuer, WorkloadAssertions.parse(pod(b -> b.issueTime(new Date(ms + 31_000)), platform.rsa, JWSAlgorithm.RS256)), now));
        // a lifetime of 3600 s passes, 3601 s does not; without iat, what is left of it counts
        assertEquals("system:serviceaccount:payments:billing", assertions.verify(issuer, WorkloadAssertions.parse(pod(b -> b.issueTime(new Date(ms))
                .expirationTime(new Date(ms + 3_600_000)), platform.rsa, JWSAlgorithm.RS256)), now));
        assertNull(assertions.verify(issuer, WorkloadAssertions.parse(pod(b -> b.issueTime(new Date(ms)).expirationTime(new Date(ms + 3_601_000)),
                platform.rsa, JWSAlgorithm.RS256)), now));
        assertNull(assertions.verify(issuer, WorkloadAssertions.parse(pod(b -> b.issueTime(null).expirationTime(new Date(ms + 3_601_000)),
                platform.rsa, JWSAlgorithm.RS256)), now));
        assertNull(assertions.verify(issuer, WorkloadAssertions.parse(TestWorkloadIssuer.sign(TestWorkloadIssuer.kubernetesClaims(ISS, AUD, "p", "b").build(),
                platform.rsa, JWSAlgorithm.RS256, TestWorkloadIssuer.typ("dpop+jwt"))), now));
        assertNull(assertions.verify(issuer, WorkloadAssertions.parse("x".repeat(20_000)), now));
        assertNull(assertions.verify(issuer, WorkloadAssertions.parse(null), now));
    }

    @Test
    void theIssuerIsReadBeforeAnythingIsVerified() throws Exception {
        assertEquals(ISS, WorkloadAssertions.claimedIssuer(WorkloadAssertions.parse(pod(b -> b, platform.rsa, JWSAlgorithm.RS256))));
        assertNull(WorkloadAssertions.claimedIssuer(WorkloadAssertions.parse("not-a-jwt")));
        assertNull(WorkloadAssertions.claimedIssuer(WorkloadAssertions.parse(null)));
    }
}
