package io.portcullis.lifecycle;

import io.portcullis.registry.ApiDefinition;
import io.portcullis.registry.ApiService;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.portcullis.keys.SigningKeys;
import io.portcullis.registry.IssuedCredentials;
import io.portcullis.support.Fixtures;
import io.portcullis.support.TestUpstream;
import io.portcullis.support.TokenClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A full key rotation (docs/contract.md#discovery-and-keys): tokens signed before, during and after it all verify at
 * the gateway and with the keys of /auth/jwks; the next key is published before it signs anything.
 */
@QuarkusTest
class KeyRotationTest {
    @Inject
    Fixtures fixtures;

    @Inject
    ApiService apis;

    @Inject
    SigningKeys keys;

    @Inject
    io.agroal.api.AgroalDataSource dataSource;

    static String kid(String token) throws Exception {
        return SignedJWT.parse(token).getHeader().getKeyID();
    }

    static Set<String> publishedKids() throws Exception {
        JWKSet set = JWKSet.parse(given().get("/auth/jwks").then().statusCode(200).extract().asString());
        Set<String> kids = new java.util.HashSet<>();
        set.getKeys().forEach(k -> kids.add(k.getKeyID()));
        return kids;
    }

    static void verifiesWithPublishedKeys(String token) throws Exception {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier<>(new com.nimbusds.jose.JOSEObjectType("at+jwt")));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256,
                new ImmutableJWKSet<>(JWKSet.parse(given().get("/auth/jwks").then().extract().asString()))));
        processor.process(token, null);
    }

    @Test
    void tokensFromBeforeDuringAndAfterARotationAllVerify() throws Exception {
        try (TestUpstream upstream = new TestUpstream()) {
            fixtures.ensureBasics();
            String api = Fixtures.uniqueId("rot");
            apis.create(ApiDefinition.builder(api).name("Rotation").requestPath("/" + api).upstreamUrl(upstream.url("/"))
                    .authMethods(List.of(Fixtures.AUTH_METHOD)).scopes(List.of()).routes(List.of())
                    .plans(List.of(Fixtures.PLAN)).build());
            IssuedCredentials client = fixtures.subscribe(api);

            String before = TokenClient.token(api, client.clientId(), client.clientSecret(), null);
            Set<String> publishedBefore = publishedKids();
            assertTrue(publishedBefore.size() >= 2, "the next key is published ahead: " + publishedBefore);

            // tokens issued while the rotation happens, by a task whose failures reach this test
            List<String> during = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean rotating = new AtomicBoolean(true);
            java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newSingleThreadExecutor();
            java.util.concurrent.Future<?> issuer = executor.submit(() -> {
                while (rotating.get()) {
                    during.add(TokenClient.token(api, client.clientId(), client.clientSecret(), null));
                }
            });
            String newKid;
            try {
                awaitTokens(during, 3, issuer);
                newKid = rotateWhenAllowed();
                awaitTokens(during, during.size() + 3, issuer);
            } finally {
                rotating.set(false);
            }
            issuer.get(30, java.util.concurrent.TimeUnit.SECONDS);
            executor.shutdown();

            String after = TokenClient.token(api, client.clientId(), client.clientSecret(), null);
            assertNotEquals(kid(before), kid(after));
            assertEquals(newKid, kid(after));
            assertTrue(publishedBefore.contains(newKid), "the key that signs now was published before it signed anything");
            assertFalse(during.isEmpty(), "tokens were issued while the rotation happened");
            Set<String> publishedAfter = publishedKids();
            assertTrue(publishedAfter.contains(kid(before)), "the retired key stays published while its tokens live");
            assertTrue(publishedAfter.contains(newKid));
            // the old active key retired (still published), the next became active, a new next appeared
            assertEquals(publishedBefore.size() + 1, publishedAfter.size(), publishedBefore + " then " + publishedAfter);

            List<String> all = new ArrayList<>(during);
            all.add(before);
            all.add(after);
            for (String token : all) {
                verifiesWithPublishedKeys(token);
                given().header("Authorization", "Bearer " + token).get("/" + api + "/x").then().statusCode(200);
            }
        }
    }

    /** Until the issuing task has made {@code count} tokens (or failed), within a bound. */
    static void awaitTokens(List<String> tokens, int count, java.util.concurrent.Future<?> issuer) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (tokens.size() < count) {
            if (issuer.isDone()) {
                issuer.get(); // its failure, if any
                throw new AssertionError("the issuing task stopped after " + tokens.size() + " tokens");
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + tokens.size() + " tokens in 30 s");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
        }
    }

    /**
     * Rotates once the next key may sign: it must have been published for portcullis.keys.publish-ahead
     * (2 min), so the test says it was published an hour ago instead of waiting for the clock.
     */
    String rotateWhenAllowed() throws java.sql.SQLException {
        try (var c = dataSource.getConnection(); var s = c.createStatement()) {
            s.executeUpdate("update signing_key set created_at = created_at - interval '1 hour' where status = 'next'");
        }
        return keys.rotate();
    }

    @Test
    void aNextKeyPublishedTooRecentlyCannotSignYet() throws Exception {
        rotateWhenAllowed();
        // the next key made by that rotation is brand new
        IllegalStateException refused = assertThrows(IllegalStateException.class, keys::rotate);
        assertTrue(refused.getMessage().contains("published for less than"), refused.getMessage());
        assertFalse(publishedKids().isEmpty());
    }
}
