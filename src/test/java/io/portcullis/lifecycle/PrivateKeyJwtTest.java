package io.portcullis.lifecycle;

import io.portcullis.registry.CredentialService;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.portcullis.registry.IssuedCredentials;
import io.portcullis.support.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.hamcrest.Matchers.hasItem;

/** private_key_jwt (RFC 7523 section 3, RFC 7521 section 4.2) as a third client authentication method. */
@QuarkusTest
class PrivateKeyJwtTest {
    static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    @Inject
    Fixtures fixtures;

    @Inject
    CredentialService credentials;

    @Inject
    io.agroal.api.AgroalDataSource dataSource;

    String api;
    IssuedCredentials client;
    RSAKey key;

    @BeforeEach
    void setUp() throws Exception {
        api = fixtures.api("read");
        client = fixtures.subscribe(api);
        key = new RSAKeyGenerator(2048).keyID("client-key-1").generate();
        credentials.setClientKeys(client.subscriptionId(), new JWKSet(key.toPublicJWK()).toString(), null);
    }

    String tokenEndpoint() {
        return "http://localhost:8081/auth/" + Fixtures.AUTH_METHOD + "/api/" + api + "/token";
    }

    JWTClaimsSet.Builder claims(String audience) {
        long now = System.currentTimeMillis();
        return new JWTClaimsSet.Builder().issuer(client.clientId()).subject(client.clientId()).audience(audience)
                .expirationTime(new Date(now + 60_000)).issueTime(new Date(now)).jwtID(UUID.randomUUID().toString());
    }

    String sign(JWTClaimsSet claims, RSAKey with) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(with.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner(with));
        return jwt.serialize();
    }

    ValidatableResponse token(String assertion) {
        return given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials")
                .formParam("client_assertion_type", JWT_BEARER)
                .formParam("client_assertion", assertion)
                .formParam("scope", "read")
                .post(Fixtures.tokenPath(api)).then();
    }

    String issuer() {
        return tokenEndpoint().replace("/token", "");
    }

    String sign(JWTClaimsSet claims, RSAKey with, String typ) throws Exception {
        JWSHeader.Builder header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(with.getKeyID());
        SignedJWT jwt = new SignedJWT((typ == null ? header : header.type(new JOSEObjectType(typ))).build(), claims);
        jwt.sign(new RSASSASigner(with));
        return jwt.serialize();
    }

    @Test
    void goodAssertionGetsAToken() throws Exception {
        token(sign(claims(issuer()).build(), key)).statusCode(200).body("scope", equalTo("read"));
        // an array whose only member is the issuer; no typ; the explicit client-authentication type
        token(sign(claims(null).audience(List.of(issuer())).build(), key)).statusCode(200);
        token(sign(claims(issuer()).build(), key, null)).statusCode(200);
        token(sign(claims(issuer()).build(), key, "client-authentication+jwt")).statusCode(200);
    }

    /** draft-ietf-oauth-rfc7523bis: the issuer identifier alone; an assertion made for another party is no good here. */
    @Test
    void onlyTheIssuerIsAnAudience() throws Exception {
        for (String endpoint : List.of("/token", "/introspect", "/revoke")) {
            token(sign(claims(issuer() + endpoint).build(), key)).statusCode(401).body("error", equalTo("invalid_client"));
        }
        token(sign(claims(null).audience(List.of(issuer(), "https://other.example")).build(), key)).statusCode(401);
        token(sign(claims(null).audience(List.of(issuer(), issuer())).build(), key)).statusCode(401);
    }

    /** An access token or a DPoP proof of the client's key is not a client assertion (token confusion). */
    @Test
    void anAssertionSaysItIsOne() throws Exception {
        token(sign(claims(issuer()).build(), key, "at+jwt")).statusCode(401).body("error", equalTo("invalid_client"));
        token(sign(claims(issuer()).build(), key, "dpop+jwt")).statusCode(401).body("error", equalTo("invalid_client"));
    }

    /** The jti is remembered until exp plus the 30 s skew that still accepts the assertion. */
    @Test
    void theJtiOutlivesExpByTheSkew() throws Exception {
        JWTClaimsSet claims = claims(issuer()).build();
        token(sign(claims, key)).statusCode(200);
        try (java.sql.Connection c = dataSource.getConnection(); java.sql.PreparedStatement q = c.prepareStatement(
                "select expires_at from used_assertion where client_id = ? and jti = ?")) {
            q.setString(1, client.clientId());
            q.setString(2, claims.getJWTID());
            try (java.sql.ResultSet r = q.executeQuery()) {
                org.junit.jupiter.api.Assertions.assertTrue(r.next());
                assertEquals(claims.getExpirationTime().toInstant().getEpochSecond() + 30,
                        r.getObject(1, java.time.OffsetDateTime.class).toEpochSecond());
            }
        }
    }

    @Test
    void expiredAssertion() throws Exception {
        long past = System.currentTimeMillis() - 600_000;
        token(sign(claims(issuer()).expirationTime(new Date(past)).issueTime(new Date(past - 60_000)).build(), key))
                .statusCode(401).body("error", equalTo("invalid_client"));
    }

    @Test
    void assertionValidForTooLong() throws Exception {
        token(sign(claims(issuer()).expirationTime(new Date(System.currentTimeMillis() + 3_600_000)).build(), key))
                .statusCode(401).body("error", equalTo("invalid_client"));
    }

    @Test
    void replayedAssertion() throws Exception {
        String assertion = sign(claims(issuer()).build(), key);
        token(assertion).statusCode(200);
        token(assertion).statusCode(401).body("error", equalTo("invalid_client"));
    }

    @Test
    void wrongAudience() throws Exception {
        token(sign(claims("https://somebody-else.example/token").build(), key)).statusCode(401).body("error", equalTo("invalid_client"));
    }

    @Test
    void wrongKey() throws Exception {
        RSAKey other = new RSAKeyGenerator(2048).keyID("client-key-1").generate();
        token(sign(claims(issuer()).build(), other)).statusCode(401).body("error", equalTo("invalid_client"));
    }

    @Test
    void algNone() {
        token(new PlainJWT(claims(issuer()).build()).serialize()).statusCode(401).body("error", equalTo("invalid_client"));
    }

    @Test
    void issuerAndSubjectMustBeTheClient() throws Exception {
        token(sign(claims(issuer()).issuer("someone-else").build(), key)).statusCode(401);
        given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .formParam("client_assertion_type", JWT_BEARER).formParam("client_id", "0123456789abcdef0123456789abcdef")
                .formParam("client_assertion", sign(claims(issuer()).build(), key))
                .post(Fixtures.tokenPath(api)).then().statusCode(401);
    }

    @Test
    void mixingMethodsOrAWrongAssertionTypeIsInvalidRequest() throws Exception {
        given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .formParam("client_assertion_type", "urn:other").formParam("client_assertion", "x")
                .post(Fixtures.tokenPath(api)).then().statusCode(400).body("error", equalTo("invalid_request"));
        given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .formParam("client_id", client.clientId()).formParam("client_secret", client.clientSecret())
                .formParam("client_assertion_type", JWT_BEARER).formParam("client_assertion", sign(claims(issuer()).build(), key))
                .post(Fixtures.tokenPath(api)).then().statusCode(400).body("error", equalTo("invalid_request"));
    }

    @Test
    void keysPublishedAtAJwksUri() throws Exception {
        ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] body = new JWKSet(ec.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        server.createContext("/jwks", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            credentials.setClientKeys(client.subscriptionId(), null, "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks");
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ec-1").build(), claims(issuer()).build());
            jwt.sign(new ECDSASigner(ec));
            token(jwt.serialize()).statusCode(200);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void privateKeysAreNotAccepted() {
        org.junit.jupiter.api.Assertions.assertThrows(io.portcullis.registry.RegistryException.class,
                () -> credentials.setClientKeys(client.subscriptionId(), new JWKSet(key).toString(false), null));
    }

    @Test
    void metadataAdvertisesIt() {
        given().get("/.well-known/oauth-authorization-server/auth/" + Fixtures.AUTH_METHOD + "/api/" + api).then()
                .body("token_endpoint_auth_methods_supported", hasItem("private_key_jwt"))
                .body("token_endpoint_auth_signing_alg_values_supported", hasItem("RS256"))
                .body("introspection_endpoint", equalTo(tokenEndpoint().replace("/token", "/introspect")))
                .body("revocation_endpoint", equalTo(tokenEndpoint().replace("/token", "/revoke")));
    }
}
