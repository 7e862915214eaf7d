package io.portcullis.token;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.portcullis.registry.IssuedCredentials;
import io.portcullis.support.Fixtures;
import io.portcullis.support.TokenClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/contract.md#access-tokens: a token verified with Nimbus JOSE+JWT (not the library that signed it),
 * using only the keys of /auth/jwks and the issuer of the RFC 8414 metadata.
 */
@QuarkusTest
class AccessTokenTest {
    @Inject
    Fixtures fixtures;

    @Test
    void tokenFollowsRfc9068AndVerifiesWithThePublishedKeys() throws Exception {
        String api = fixtures.api("read", "write");
        IssuedCredentials client = fixtures.subscribe(api);
        long before = System.currentTimeMillis() / 1000;
        String token = TokenClient.token(api, client.clientId(), client.clientSecret(), "write read");

        String metadataPath = "/.well-known/oauth-authorization-server/auth/" + Fixtures.AUTH_METHOD + "/api/" + api;
        String issuer = given().get(metadataPath).then().statusCode(200).extract().path("issuer");
        String jwksUri = given().get(metadataPath).then().extract().path("jwks_uri");
        JWKSet jwks = JWKSet.parse(given().get(jwksUri).then().statusCode(200).extract().asString());

        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        // RFC 9068 section 4: the resource server checks typ
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(
                Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256, JWSAlgorithm.PS256, JWSAlgorithm.EdDSA), new ImmutableJWKSet<>(jwks)));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(api,
                new JWTClaimsSet.Builder().issuer(issuer).build(),
                new HashSet<>(List.of("iss", "exp", "aud", "sub", "client_id", "iat", "jti"))));
        JWTClaimsSet claims = processor.process(token, null);

        SignedJWT jwt = SignedJWT.parse(token);
        assertEquals("at+jwt", jwt.getHeader().getType().getType());
        assertEquals(JWSAlgorithm.RS256, jwt.getHeader().getAlgorithm());
        assertTrue(jwks.getKeys().stream().anyMatch(k -> k.getKeyID().equals(jwt.getHeader().getKeyID())));

        assertEquals("http://localhost:8081/auth/" + Fixtures.AUTH_METHOD + "/api/" + api, claims.getIssuer());
        assertEquals(client.clientId(), claims.getSubject());
        assertEquals(client.clientId(), claims.getStringClaim("client_id"));
        assertEquals(List.of(api), claims.getAudience());
        assertEquals("read write", claims.getStringClaim("scope"));
        long iat = claims.getIssueTime().getTime() / 1000;
        assertTrue(iat >= before - 1 && iat <= before + 5);
        assertEquals(iat + 600, claims.getExpirationTime().getTime() / 1000);
        assertTrue(Base64.getUrlDecoder().decode(claims.getJWTID()).length >= 16, "jti has at least 128 random bits");
        assertEquals(client.subscriptionId().toString(), claims.getStringClaim("subscription"));
        assertTrue(claims.getStringClaim("application").startsWith("app-"));
        assertEquals(Fixtures.PLAN, claims.getStringClaim("plan"));
        assertEquals(Fixtures.AUTH_METHOD, claims.getStringClaim("auth_method"));
    }

    @Test
    void scopeClaimIsAbsentWhenNothingWasGrantedAndJtisAreUnique() throws Exception {
        String api = fixtures.api("read");
        IssuedCredentials client = fixtures.subscribe(api);
        JWTClaimsSet first = SignedJWT.parse(TokenClient.token(api, client.clientId(), client.clientSecret(), null)).getJWTClaimsSet();
        JWTClaimsSet second = SignedJWT.parse(TokenClient.token(api, client.clientId(), client.clientSecret(), null)).getJWTClaimsSet();
        assertFalse(first.getClaims().containsKey("scope"));
        assertNotEquals(first.getJWTID(), second.getJWTID());
    }

    @Test
    void aTamperedTokenDoesNotVerify() throws Exception {
        String api = fixtures.api("read");
        IssuedCredentials client = fixtures.subscribe(api);
        String token = TokenClient.token(api, client.clientId(), client.clientSecret(), null);
        String[] parts = token.split("\\.");
        String forgedPayload = Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(Base64.getUrlDecoder().decode(parts[1])).replace(api, "other-api").getBytes());
        JWKSet jwks = JWKSet.parse(given().get("/auth/jwks").then().extract().asString());
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, new ImmutableJWKSet<>(jwks)));
        assertThrows(Exception.class, () -> processor.process(parts[0] + "." + forgedPayload + "." + parts[2], null));
    }

    @Test
    void jwksPublishesOnlyPublicSigningKeys() {
        given().get("/auth/jwks").then()
                .statusCode(200)
                .contentType("application/json")
                .body("keys.size()", org.hamcrest.Matchers.greaterThanOrEqualTo(1))
                .body("keys[0].use", org.hamcrest.Matchers.equalTo("sig"))
                .body("keys[0].alg", org.hamcrest.Matchers.equalTo("RS256"))
                .body("keys[0].kid", org.hamcrest.Matchers.notNullValue())
                .body("keys[0]", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("d")))
                .body("keys[0]", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("p")));
    }
}
