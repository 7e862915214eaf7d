package io.portcullis.keys;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import io.portcullis.registry.IssuedCredentials;
import io.portcullis.support.Fixtures;
import io.portcullis.support.TokenClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;


import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/contract.md#access-tokens: ES256 is selectable by configuration (portcullis.keys.algorithm, set in the profile). */
@QuarkusTest
@TestProfile(io.portcullis.support.SecondConfiguration.class)
class Es256SigningTest {
    @Inject
    Fixtures fixtures;

    @Test
    void tokensAreSignedWithAnEs256KeyFromTheJwks() throws Exception {
        String api = fixtures.api("read");
        IssuedCredentials client = fixtures.subscribe(api);
        SignedJWT jwt = SignedJWT.parse(TokenClient.token(api, client.clientId(), client.clientSecret(), "read"));
        assertEquals(JWSAlgorithm.ES256, jwt.getHeader().getAlgorithm());
        assertEquals("at+jwt", jwt.getHeader().getType().getType());

        JWKSet jwks = JWKSet.parse(given().get("/auth/jwks").then().statusCode(200).extract().asString());
        ECKey key = (ECKey) jwks.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertEquals("P-256", key.getCurve().getName());
        assertTrue(!key.isPrivate(), "only the public part is published");
        assertTrue(jwt.verify(new ECDSAVerifier(key)));

        given().get("/.well-known/oauth-authorization-server/auth/" + Fixtures.AUTH_METHOD + "/api/" + api).then()
                .body("access_token_signing_alg_values_supported", contains("ES256"));
    }
}
