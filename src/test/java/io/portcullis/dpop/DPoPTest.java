package io.portcullis.dpop;

import io.portcullis.registry.ApiDefinition;
import io.portcullis.registry.ApiService;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.portcullis.registry.IssuedCredentials;
import io.portcullis.support.Fixtures;
import io.portcullis.support.TestUpstream;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** RFC 9449 at the token endpoint and the gateway, with proofs made here by Nimbus JOSE+JWT. */
@QuarkusTest
class DPoPTest {
    static TestUpstream upstream;

    @Inject
    Fixtures fixtures;

    @Inject
    ApiService apis;

    String api;
    IssuedCredentials client;
    ECKey key;

    @BeforeAll
    static void start() throws Exception {
        upstream = new TestUpstream();
    }

    @AfterAll
    static void stop() {
        upstream.close();
    }

    String createApi(boolean dpopRequired) {
        fixtures.ensureBasics();
        String id = Fixtures.uniqueId("dpop");
        apis.create(ApiDefinition.builder(id).name("DPoP").requestPath("/" + id).upstreamUrl(upstream.url("/"))
                .authMethods(List.of(Fixtures.AUTH_METHOD)).scopes(List.of(new ApiDefinition.Scope("read", "Read")))
                .routes(List.of()).plans(List.of(Fixtures.PLAN)).dpopRequired(dpopRequired).build());
        return id;
    }

    @BeforeEach
    void setUp() throws Exception {
        api = createApi(false);
        client = fixtures.subscribe(api);
        key = new ECKeyGenerator(Curve.P_256).generate();
    }

    String tokenUrl(String apiId) {
        return "http://localhost:8081/auth/" + Fixtures.AUTH_METHOD + "/api/" + apiId + "/token";
    }

    static String ath(String token) throws Exception {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
    }

    static JWTClaimsSet.Builder claims(String htm, String htu) {
        return new JWTClaimsSet.Builder().jwtID(UUID.randomUUID().toString()).claim("htm", htm).claim("htu", htu).issueTime(new Date());
    }

    static String proof(ECKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("dpop+jwt"))
                .jwk(key.toPublicJWK()).build(), claims);
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    ValidatableResponse tokenRequest(String apiId, IssuedCredentials c, String proof) {
        var request = given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .formParam("client_id", c.clientId()).formParam("client_secret", c.clientSecret()).formParam("scope", "read");
        if (proof != null) {
            request.header("DPoP", proof);
        }
        return request.post(Fixtures.tokenPath(apiId)).then();
    }

    String boundToken() throws Exception {
        return tokenRequest(api, client, proof(key, claims("POST", tokenUrl(api)).build())).statusCode(200)
                .body("token_type", equalTo("DPoP")).extract().path("access_token");
    }

    ValidatableResponse call(String token, String scheme, String proof, String method, String path) {
        var request = given().header("Authorization", scheme + " " + token);
        if (proof != null) {
            request.header("DPoP", proof);
        }
        return request.request(method, path).then();
    }

    // ---- the good flow ----

    @Test
    void boundTokenEndToEnd() throws Exception {
        String token = boundToken();
        assertEquals(key.computeThumbprint().toString(),
                ((java.util.Map<?, ?>) SignedJWT.parse(token).getJWTClaimsSet().getClaim("cnf")).get("jkt"));
        String url = "http://localhost:8081/" + api + "/things";
        call(token, "DPoP", proof(key, claims("GET", url).claim("ath", ath(token)).build()), "GET", "/" + api + "/things")
                .statusCode(200).body("uri", equalTo("/things"));
        // introspection reports the binding
        given().auth().preemptive().basic(client.clientId(), client.clientSecret()).contentType("application/x-www-form-urlencoded")
                .formParam("token", token).post("/auth/" + Fixtures.AUTH_METHOD + "/api/" + api + "/introspect").then()
                .statusCode(200).body("token_type", equalTo("DPoP")).body("cnf.jkt", equalTo(key.computeThumbprint().toString()));
        given().get("/.well-known/oauth-authorization-server/auth/" + Fixtures.AUTH_METHOD + "/api/" + api).then()
                .body("dpop_signing_alg_values_supported", hasItem("ES256"));
    }

    /** The admin API takes a DPoP-bound admin token with a fresh proof, and refuses the same proof again (it was accepted before). */
    @Test
    void theAdminApiAcceptsAProofOnce() throws Exception {
        String adminToken = given().contentType("application/x-www-form-urlencoded").header("DPoP",
                        proof(key, claims("POST", "http://localhost:8081/auth/default/api/admin/token").build()))
                .formParam("grant_type", "client_credentials").formParam("scope", "admin")
                .formParam("client_id", io.portcullis.support.AdminClient.CLIENT_ID).formParam("client_secret", io.portcullis.support.AdminClient.CLIENT_SECRET)
                .post("/auth/default/api/admin/token").then().statusCode(200).body("token_type", equalTo("DPoP")).extract().path("access_token");
        String once = proof(key, claims("GET", "http://localhost:8081/admin/v1/apis").claim("ath", ath(adminToken)).build());
        call(adminToken, "DPoP", once, "GET", "/admin/v1/apis").statusCode(200);
        call(adminToken, "DPoP", once, "GET", "/admin/v1/apis").statusCode(401)
                .header("WWW-Authenticate", containsString("error=\"invalid_dpop_proof\""));
        call(adminToken, "DPoP", proof(key, claims("GET", "http://localhost:8081/admin/v1/apis").claim("ath", ath(adminToken)).build()),
                "GET", "/admin/v1/apis").statusCode(200);
    }

    // ---- token endpoint refusals ----

    void badProof(String proof) {
        tokenRequest(api, client, proof).statusCode(400).body("error", equalTo("invalid_dpop_proof"));
    }

    @Test
    void tokenEndpointRefusesBadProofs() throws Exception {
        badProof(proof(key, claims("GET", tokenUrl(api)).build()));                                   // wrong htm
        badProof(proof(key, claims("POST", "http://localhost:8081/elsewhere").build()));              // wrong htu
        badProof(proof(key, claims("POST", tokenUrl(api)).issueTime(new Date(System.currentTimeMillis() - 300_000)).build())); // old iat
        String once = proof(key, claims("POST", tokenUrl(api)).build());
        tokenRequest(api, client, once).statusCode(200);
        badProof(once);                                                                               // replayed jti
        // alg none
        String header = Base64URL.encode("{\"typ\":\"dpop+jwt\",\"alg\":\"none\",\"jwk\":" + key.toPublicJWK().toJSONString() + "}").toString();
        badProof(header + "." + Base64URL.encode(claims("POST", tokenUrl(api)).build().toString()) + ".");
        // HS256, keyed with anything
        SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType("dpop+jwt"))
                .jwk(key.toPublicJWK()).build(), claims("POST", tokenUrl(api)).build());
        hmac.sign(new MACSigner(new byte[32]));
        badProof(hmac.serialize());
        // a private key in the header
        SignedJWT leaky = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("dpop+jwt"))
                .jwk(key.toPublicJWK()).build(), claims("POST", tokenUrl(api)).build());
        leaky.sign(new ECDSASigner(key));
        String[] parts = leaky.serialize().split("\\.");
        String privateHeader = Base64URL.encode("{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"jwk\":" + key.toJSONString() + "}").toString();
        badProof(privateHeader + "." + parts[1] + "." + parts[2]);
        // typ other than dpop+jwt
        SignedJWT untyped = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).jwk(key.toPublicJWK()).build(),
                claims("POST", tokenUrl(api)).build());
        untyped.sign(new ECDSASigner(key));
        badProof(untyped.serialize());
        badProof("not-a-jwt");
    }

    @Test
    void anApiThatRequiresDPoPRefusesARequestWithoutAProof() throws Exception {
        String strict = createApi(true);
        IssuedCredentials c = fixtures.subscribe(strict);
        tokenRequest(strict, c, null).statusCode(400).body("error", equalTo("invalid_dpop_proof"));
        String token = tokenRequest(strict, c, proof(key, claims("POST", tokenUrl(strict)).build())).statusCode(200)
                .extract().path("access_token");
        call(token, "DPoP", proof(key, claims("GET", "http://localhost:8081/" + strict).claim("ath", ath(token)).build()), "GET", "/" + strict)
                .statusCode(200);
        given().get("/" + strict).then().statusCode(401).header("WWW-Authenticate", containsString("DPoP realm=\"" + strict + "\", algs=\""));
    }

    // ---- gateway refusals ----

    void refusedAtGateway(String token, String scheme, String proof, String method, String error) {
        call(token, scheme, proof, method, "/" + api + "/things").statusCode(401)
                .header("WWW-Authenticate", containsString("DPoP realm=\"" + api + "\", algs=\"ES256 PS256 RS256 EdDSA\", error=\"" + error + "\""))
                .body("error", equalTo(error));
    }

    @Test
    void gatewayRefusesWhatDoesNotProveTheKey() throws Exception {
        String token = boundToken();
        String url = "http://localhost:8081/" + api + "/things";
        ECKey other = new ECKeyGenerator(Curve.P_256).generate();
        refusedAtGateway(token, "DPoP", proof(other, claims("GET", url).claim("ath", ath(token)).build()), "GET", "invalid_dpop_proof");
        refusedAtGateway(token, "DPoP", proof(key, claims("GET", url).build()), "GET", "invalid_dpop_proof");               // no ath
        refusedAtGateway(token, "DPoP", proof(key, claims("GET", url).claim("ath", ath(token + "x")).build()), "GET", "invalid_dpop_proof");
        refusedAtGateway(token, "DPoP", proof(key, claims("POST", url).claim("ath", ath(token)).build()), "GET", "invalid_dpop_proof");
        refusedAtGateway(token, "DPoP", proof(key, claims("GET", url + "/other").claim("ath", ath(token)).build()), "GET", "invalid_dpop_proof");
        refusedAtGateway(token, "DPoP", null, "GET", "invalid_dpop_proof");
        refusedAtGateway(token, "Bearer", null, "GET", "invalid_token");                                                  // bearer use of a bound token
        String replayed = proof(key, claims("GET", url).claim("ath", ath(token)).build());
        call(token, "DPoP", replayed, "GET", "/" + api + "/things").statusCode(200);
        refusedAtGateway(token, "DPoP", replayed, "GET", "invalid_dpop_proof");
        // a plain bearer token presented with the DPoP scheme
        String bearer = tokenRequest(api, client, null).statusCode(200).body("token_type", equalTo("bearer")).extract().path("access_token");
        refusedAtGateway(bearer, "DPoP", proof(key, claims("GET", url).claim("ath", ath(bearer)).build()), "GET", "invalid_token");
        call(bearer, "Bearer", null, "GET", "/" + api + "/things").statusCode(200);
    }
}
