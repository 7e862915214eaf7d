package io.portcullis.federation;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.portcullis.ops.AuditLog;
import io.portcullis.registry.IssuedCredentials;
import io.portcullis.support.Fixtures;
import io.portcullis.support.TestCertificates;
import io.portcullis.support.TestWorkloadIssuer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.portcullis.support.AdminClient.admin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Federated workload identity (docs/contract.md#federated-workload-identity) end to end: a real issuer
 * server started here, tokens shaped like Kubernetes projected service-account tokens and SPIFFE
 * JWT-SVIDs, signed RS256 and ES256, the admin API, and every refusal answered 401 invalid_client.
 */
@QuarkusTest
class FederatedIdentityTest {
    static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    static final String JWT_SPIFFE = "urn:ietf:params:oauth:client-assertion-type:jwt-spiffe";
    static final String AUDIENCE = "http://localhost:8081";

    @Inject
    Fixtures fixtures;

    @Inject
    AuditLog auditLog;

    TestWorkloadIssuer platform;
    String api;
    IssuedCredentials client;
    String issuerId;
    /** The iss of the platform's tokens: an in-cluster name, its keys at a URL. */
    String iss;

    @BeforeEach
    void setUp() throws Exception {
        platform = new TestWorkloadIssuer();
        api = fixtures.api("read", "write");
        client = fixtures.subscribe(api);
        issuerId = Fixtures.uniqueId("cluster");
        iss = "https://" + issuerId + ".kubernetes.default.svc.cluster.local";
        trust(issuerId, Map.of("issuer", iss, "jwksUri", platform.url() + "/jwks", "audiences", List.of(AUDIENCE),
                "maxTokenLifetimeSeconds", 3600)).statusCode(201);
        bind(client, issuerId, "system:serviceaccount:payments:billing").statusCode(200);
    }

    @AfterEach
    void tearDown() {
        platform.close();
    }

    static ValidatableResponse trust(String id, Map<String, Object> body) {
        Map<String, Object> doc = new java.util.LinkedHashMap<>(body);
        doc.put("id", id);
        return admin().body(doc).post("/admin/v1/trusted-issuers").then();
    }

    static ValidatableResponse bind(IssuedCredentials subscription, String trustedIssuer, String subject) {
        return admin().body(Map.of("identities", List.of(Map.of("trustedIssuer", trustedIssuer, "subject", subject))))
                .put("/admin/v1/subscriptions/" + subscription.subscriptionId() + "/federated-identities").then();
    }

    ValidatableResponse token(String assertion, String type, String clientId) {
        var request = given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .formParam("client_assertion_type", type).formParam("client_assertion", assertion).formParam("scope", "read");
        if (clientId != null) {
            request.formParam("client_id", clientId);
        }
        return request.post(Fixtures.tokenPath(api)).then();
    }

    void refused(String assertion) {
        refused(assertion, null);
    }

    void refused(String assertion, String clientId) {
        token(assertion, JWT_BEARER, clientId).statusCode(401).body("error", equalTo("invalid_client"))
                .body("error_description", equalTo(givenDescription()));
    }

    /** The one description every client authentication failure carries: no hint of which check failed. */
    String givenDescription() {
        return token("not-a-jwt", JWT_BEARER, null).statusCode(401).extract().path("error_description");
    }

    JWTClaimsSet.Builder pod() {
        return TestWorkloadIssuer.kubernetesClaims(iss, AUDIENCE, "payments", "billing");
    }

    @Test
    void aKubernetesPodGetsTheSubscriptionsTokenWithItsServiceAccountToken() throws Exception {
        String access = token(platform.signRs256(pod().build()), JWT_BEARER, null).statusCode(200)
                .body("token_type", equalTo("bearer")).body("scope", equalTo("read"))
                .extract().path("access_token");
        JWTClaimsSet claims = SignedJWT.parse(access).getJWTClaimsSet();
        assertEquals(client.clientId(), claims.getSubject());
        assertEquals(client.clientId(), claims.getStringClaim("client_id"));

        // the same token again (platforms rotate it themselves), with the subscription's client_id, and ES256
        String same = platform.signRs256(pod().build());
        token(same, JWT_BEARER, client.clientId()).statusCode(200);
        token(same, JWT_BEARER, null).statusCode(200);
        token(platform.signEs256(pod().build()), JWT_BEARER, null).statusCode(200);

        // the audit record names the trusted issuer and the workload
        auditLog.flush();
        admin().queryParam("kind", "token").queryParam("actor", client.clientId()).get("/admin/v1/audit").then().statusCode(200)
                .body("items.credential", hasItem("federated"))
                .body("items.credentialSubject", hasItem(issuerId + " system:serviceaccount:payments:billing"));
        // and the subscription shows who it belongs to, and never a secret
        admin().get("/admin/v1/subscriptions/" + client.subscriptionId()).then().statusCode(200)
                .body("federatedIdentities[0].trustedIssuer", equalTo(issuerId))
                .body("federatedIdentities[0].subject", equalTo("system:serviceaccount:payments:billing"))
                .body("clientSecret", nullValue());
    }

    @Test
    void aSpiffeWorkloadGetsATokenWithItsJwtSvidFoundThroughDiscovery() throws Exception {
        String spiffeIssuer = Fixtures.uniqueId("spire");
        trust(spiffeIssuer, Map.of("issuer", platform.url(), "discovery", true, "audiences", List.of("portcullis", AUDIENCE),
                "maxTokenLifetimeSeconds", 600)).statusCode(201);
        String spiffeId = "spiffe://example.org/ns/payments/sa/" + UUID.randomUUID();
        IssuedCredentials other = fixtures.subscribe(api);
        bind(other, spiffeIssuer, spiffeId).statusCode(200);
        String svid = platform.signEs256(TestWorkloadIssuer.spiffeClaims(platform.url(), "portcullis", spiffeId).build());
        String access = token(svid, JWT_SPIFFE, null).statusCode(200).extract().path("access_token");
        assertEquals(other.clientId(), SignedJWT.parse(access).getJWTClaimsSet().getSubject());
        assertTrue(platform.discoveryHits.get() >= 1, "the keys were found through discovery");
        // a JWT-SVID whose signature does not verify
        token(svid.substring(0, svid.length() - 4) + "AAAA", JWT_SPIFFE, null).statusCode(401).body("error", equalTo("invalid_client"));
    }

    @Test
    void everyFailedCheckIsTheSameInvalidClient() throws Exception {
        long now = System.currentTimeMillis();
        // unknown issuer, and the trusted one but for a trailing slash
        refused(platform.signRs256(pod().issuer("https://elsewhere.example").build()));
        refused(platform.signRs256(pod().issuer(iss + "/").build()));
        // a key of another issuer, under the kid of one of this issuer's
        ECKey stranger = new ECKeyGenerator(Curve.P_256).keyID(platform.ec.getKeyID()).generate();
        refused(TestWorkloadIssuer.sign(pod().build(), stranger, JWSAlgorithm.ES256, null));
        // alg none, and HS256 keyed with the issuer's public key
        refused(new PlainJWT(new PlainHeader(), pod().build()).serialize());
        SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(platform.rsa.getKeyID()).build(), pod().build());
        hmac.sign(new MACSigner(platform.rsa.toPublicJWK().toRSAPublicKey().getEncoded()));
        refused(hmac.serialize());
        // aud missing, or another
        refused(platform.signRs256(pod().audience((String) null).build()));
        refused(platform.signRs256(pod().audience("https://other.example").build()));
        // expired; not yet valid; living longer than the issuer allows; issued in the future
        refused(platform.signRs256(pod().issueTime(new Date(now - 3_000_000)).notBeforeTime(new Date(now - 3_000_000))
                .expirationTime(new Date(now - 120_000)).build()));
        refused(platform.signRs256(pod().notBeforeTime(new Date(now + 600_000)).build()));
        refused(platform.signRs256(pod().expirationTime(new Date(now + 3_700_000)).build()));
        refused(platform.signRs256(pod().issueTime(new Date(now + 600_000)).build()));
        // an access token's or DPoP proof's type (token confusion)
        refused(TestWorkloadIssuer.sign(pod().build(), platform.rsa, JWSAlgorithm.RS256, TestWorkloadIssuer.typ("at+jwt")));
        // a key the token carries itself (jwk header) is not the issuer's
        ECKey attacker = new ECKeyGenerator(Curve.P_256).keyID("attacker").generate();
        refused(TestWorkloadIssuer.sign(pod().build(), attacker, JWSAlgorithm.ES256, h -> h.jwk(attacker.toPublicJWK())));
        // a subject no subscription has; one bound to a subscription of another API
        refused(platform.signRs256(pod().subject("system:serviceaccount:payments:intruder").build()));
        String otherApi = fixtures.api("read");
        IssuedCredentials elsewhere = fixtures.subscribe(otherApi);
        bind(elsewhere, issuerId, "system:serviceaccount:reports:reader").statusCode(200);
        refused(platform.signRs256(TestWorkloadIssuer.kubernetesClaims(iss, AUDIENCE, "reports", "reader").build()));
        // the right workload, but with the client_id of another subscription
        IssuedCredentials neighbour = fixtures.subscribe(api);
        refused(platform.signRs256(pod().build()), neighbour.clientId());
        // and after all that, the workload still gets its token: no lockout of an honest client
        String valid = platform.signRs256(pod().build());
        token(valid, JWT_BEARER, null).statusCode(200);
        // until its identity is taken away: refused at once, the same valid JWT
        admin().body(Map.of("identities", List.of())).put("/admin/v1/subscriptions/" + client.subscriptionId() + "/federated-identities")
                .then().statusCode(200);
        refused(valid);
    }

    @Test
    void aKeyHostThatIsDownRefusesTheFirstUseAndServesFromItsCacheOnceFetched() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String downId = Fixtures.uniqueId("down");
        String downIss = "https://" + downId + ".example";
        trust(downId, Map.of("issuer", downIss, "jwksUri", "http://127.0.0.1:" + closedPort + "/jwks", "audiences", List.of(AUDIENCE)))
                .statusCode(201);
        IssuedCredentials down = fixtures.subscribe(api);
        bind(down, downId, "system:serviceaccount:payments:down").statusCode(200);
        refused(platform.signRs256(TestWorkloadIssuer.kubernetesClaims(downIss, AUDIENCE, "payments", "down").build()));

        // fetched once, the keys outlive their host
        token(platform.signRs256(pod().build()), JWT_BEARER, null).statusCode(200);
        int fetches = platform.jwksHits.get();
        platform.close();
        token(platform.signEs256(pod().build()), JWT_BEARER, null).statusCode(200);
        assertEquals(fetches, platform.jwksHits.get());
    }

    @Test
    void aKeyRotatedAtTheIssuerIsPickedUpByTheFirstTokenThatNamesIt() throws Exception {
        token(platform.signRs256(pod().build()), JWT_BEARER, null).statusCode(200);
        int fetches = platform.jwksHits.get();
        platform.rotate(false);
        token(platform.signRs256(pod().build()), JWT_BEARER, null).statusCode(200);
        assertEquals(fetches + 1, platform.jwksHits.get(), "one refetch for the new kid");
        // the old key is no longer published: its tokens are refused, and fetch no more than once per 30 s
        ECKey old = new ECKeyGenerator(Curve.P_256).keyID("gone-" + UUID.randomUUID()).generate();
        refused(TestWorkloadIssuer.sign(pod().build(), old, JWSAlgorithm.ES256, null));
        refused(TestWorkloadIssuer.sign(pod().build(), old, JWSAlgorithm.ES256, null));
        assertTrue(platform.jwksHits.get() <= fetches + 1, "unknown kids refetched " + (platform.jwksHits.get() - fetches - 1) + " more times");
    }

    @Test
    void anInClusterApiServerIsReadWithItsCaAndTheRotatingServiceAccountToken() throws Exception {
        TestCertificates.Issued ca = TestCertificates.ca("cluster-ca");
        TestCertificates.Issued tls = TestCertificates.server(ca);
        Path root = Path.of("target/federation-files").toAbsolutePath();
        Path dir = Files.createDirectories(root.resolve("serviceaccount-" + UUID.randomUUID()));
        Path caFile = Files.writeString(dir.resolve("ca.crt"), ca.pem());
        Path tokenFile = Files.writeString(dir.resolve("token"), "first-projected-token\n");
        try (TestWorkloadIssuer apiServer = new TestWorkloadIssuer(TestCertificates.serverContext(tls, ca))) {
            apiServer.requiredBearer = "first-projected-token";
            String id = Fixtures.uniqueId("incluster");
            trust(id, Map.of("issuer", apiServer.url(), "discovery", true, "audiences", List.of(AUDIENCE),
                    "caFile", caFile.toString(), "bearerTokenFile", tokenFile.toString())).statusCode(201);
            IssuedCredentials workload = fixtures.subscribe(api);
            bind(workload, id, "system:serviceaccount:payments:ledger").statusCode(200);
            String sat = apiServer.signRs256(TestWorkloadIssuer.kubernetesClaims(apiServer.url(), AUDIENCE, "payments", "ledger").build());
            token(sat, JWT_BEARER, null).statusCode(200);
            assertTrue(apiServer.authorizations.stream().allMatch("Bearer first-projected-token"::equals), apiServer.authorizations.toString());

            // kubelet rotates the token file: the next fetch (a new kid) sends the new token
            Files.writeString(tokenFile, "second-projected-token\n");
            apiServer.requiredBearer = "second-projected-token";
            apiServer.rotate(false);
            token(apiServer.signRs256(TestWorkloadIssuer.kubernetesClaims(apiServer.url(), AUDIENCE, "payments", "ledger").build()),
                    JWT_BEARER, null).statusCode(200);
            assertEquals("Bearer second-projected-token", apiServer.authorizations.get(apiServer.authorizations.size() - 1));
        }
        // a file outside portcullis.federation.file-root is refused: the admin API reads no other file
        trust(Fixtures.uniqueId("escape"), Map.of("issuer", "https://escape.example", "jwksUri", "https://escape.example/jwks",
                "audiences", List.of(AUDIENCE), "bearerTokenFile", "/etc/passwd")).statusCode(400).body("field", equalTo("bearerTokenFile"));
        trust(Fixtures.uniqueId("escape"), Map.of("issuer", "https://escape2.example", "jwksUri", "https://escape2.example/jwks",
                "audiences", List.of(AUDIENCE), "caFile", root + "/../../pom.xml")).statusCode(400).body("field", equalTo("caFile"));
    }

    @Test
    void theAdminApiHoldsTheRulesOfTrustedIssuersAndIdentities() {
        String id = Fixtures.uniqueId("rules");
        // exactly one key source
        trust(id, Map.of("issuer", "https://a.example", "audiences", List.of(AUDIENCE))).statusCode(400).body("field", equalTo("jwksUri"));
        trust(id, Map.of("issuer", "https://a.example", "jwksUri", "https://a.example/jwks", "discovery", true,
                "audiences", List.of(AUDIENCE))).statusCode(400);
        // keys over plain http only on loopback; an audience is required; the lifetime is bounded
        trust(id, Map.of("issuer", "https://a.example", "jwksUri", "http://a.example/jwks", "audiences", List.of(AUDIENCE)))
                .statusCode(400).body("field", equalTo("jwksUri"));
        trust(id, Map.of("issuer", "https://a.example", "jwksUri", "https://a.example/jwks", "audiences", List.of())).statusCode(400)
                .body("field", equalTo("audiences"));
        trust(id, Map.of("issuer", "https://a.example", "jwksUri", "https://a.example/jwks", "audiences", List.of(AUDIENCE),
                "maxTokenLifetimeSeconds", 0)).statusCode(400).body("field", equalTo("maxTokenLifetimeSeconds"));
        // an inline key set holds public keys only
        trust(id, Map.of("issuer", "https://a.example", "jwks", Map.of("keys", List.of(Map.of("kty", "oct", "k", "c2VjcmV0"))),
                "audiences", List.of(AUDIENCE))).statusCode(400).body("field", equalTo("jwks"));
        // an issuer is a URL or a SPIFFE ID, never a bare name a client id could be
        trust(id, Map.of("issuer", "billing-client-0001", "jwksUri", "https://a.example/jwks", "audiences", List.of(AUDIENCE)))
                .statusCode(400).body("field", equalTo("issuer"));
        // Portcullis's own token goes only over https, to the CA given, to a configured host
        Path token = Path.of("target/federation-files").toAbsolutePath().resolve("token");
        trust(id, Map.of("issuer", "https://a.example", "jwksUri", "https://a.example/jwks", "audiences", List.of(AUDIENCE),
                "bearerTokenFile", token.toString())).statusCode(400).body("field", equalTo("bearerTokenFile"));
        trust(id, Map.of("issuer", "https://a.example", "jwksUri", "https://a.example/jwks", "audiences", List.of(AUDIENCE),
                "bearerTokenFile", token.toString(), "caFile", token.toString())).statusCode(400).body("field", equalTo("bearerTokenFile"));
        // the issuer of a trusted issuer that identities name cannot change: they were named by that platform
        admin().body(Map.of("id", issuerId, "issuer", "https://another.example", "jwksUri", platform.url() + "/jwks",
                "audiences", List.of(AUDIENCE))).put("/admin/v1/trusted-issuers/" + issuerId).then().statusCode(409)
                .body("field", equalTo("issuer"));
        // the same issuer twice is a conflict
        trust(id, Map.of("issuer", iss, "jwksUri", "https://a.example/jwks", "audiences", List.of(AUDIENCE))).statusCode(409);
        admin().get("/admin/v1/trusted-issuers/" + id).then().statusCode(404);

        // one (issuer, subject) belongs to one subscription of an API
        IssuedCredentials second = fixtures.subscribe(api);
        bind(second, issuerId, "system:serviceaccount:payments:billing").statusCode(409);
        bind(second, "no-such-issuer", "system:serviceaccount:payments:billing").statusCode(400).body("field", equalTo("identities"));
        // another API's subscription may hold the same workload
        IssuedCredentials otherApi = fixtures.subscribe(fixtures.api("read"));
        bind(otherApi, issuerId, "system:serviceaccount:payments:billing").statusCode(200);
        // an issuer still named cannot go; once its identities are gone, it can
        admin().delete("/admin/v1/trusted-issuers/" + issuerId).then().statusCode(409);
        admin().get("/admin/v1/trusted-issuers/" + issuerId).then().statusCode(200).body("issuer", equalTo(iss))
                .body("jwksUri", equalTo(platform.url() + "/jwks")).body("audiences", equalTo(List.of(AUDIENCE)));
        for (IssuedCredentials s : List.of(client, otherApi)) {
            admin().body(Map.of("identities", List.of())).put("/admin/v1/subscriptions/" + s.subscriptionId() + "/federated-identities")
                    .then().statusCode(200).body("federatedIdentities", equalTo(List.of()));
        }
        admin().delete("/admin/v1/trusted-issuers/" + issuerId).then().statusCode(204);
        given().get("/admin/v1/trusted-issuers").then().statusCode(401);
        admin().get("/admin/v1/trusted-issuers").then().statusCode(200).body("items.id", not(hasItem(issuerId)));
    }
}
