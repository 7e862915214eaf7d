package io.portcullis.resource;

import io.portcullis.registry.ApiDefinition;
import io.portcullis.registry.ApiView;
import io.portcullis.registry.AuthMethodView;
import io.portcullis.registry.ClientType;
import io.portcullis.registry.RegisteredClient;
import io.portcullis.registry.SubscriptionDefinition;
import io.portcullis.registry.ScopeMode;
import io.portcullis.token.VerifiedToken;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The guard's decisions, without HTTP: each rule, and what it answers when it refuses. */
class AccessTokenRulesTest {
    static final String BASE = "https://api.example.com";
    static final UUID SUBSCRIPTION = UUID.randomUUID();

    static ApiView api(boolean dpopRequired, Set<String> authMethods) {
        return ApiView.of(ApiDefinition.builder("pets").name("Pets").requestPath("/pets").upstreamUrl("http://pets:8080")
                .tokenLifetimeSeconds(3600).clientCredentialsEnabled(true).hideCredentials(false).deprecated(false)
                .upstreamTimeoutSeconds(60).dpopRequired(dpopRequired).accessTokenType("at+jwt").authMethods(List.copyOf(authMethods))
                .scopes(List.of(new ApiDefinition.Scope("read", "Read"), new ApiDefinition.Scope("write", "Write")))
                .routes(new ApiDefinition.Route("/", List.of("POST"), List.of("write")), new ApiDefinition.Route("/", List.of("GET"), List.of("read")))
                .plans().build());
    }

    static VerifiedToken token(String authMethod, String audience, String issuer, Set<String> scopes, String jkt) {
        return VerifiedToken.builder().issuer(issuer).audience(audience).clientId("client-1")
                .subscriptionId(SUBSCRIPTION.toString()).applicationId("app").planId("basic").authMethod(authMethod)
                .scopes(scopes).issuedAt(1_000).expiresAt(2_000).jti("jti-1").subject("client-1").jkt(jkt)
                .type(io.portcullis.registry.AccessTokenType.AT_JWT).build();
    }

    static VerifiedToken good() {
        return token("default", "pets", BASE + "/auth/default/api/pets", Set.of("read"), null);
    }

    static RegisteredClient client(UUID subscription, String api, boolean approved) {
        return new RegisteredClient("client-1", subscription, ClientType.CONFIDENTIAL, approved,
                new SubscriptionDefinition("app", api, "basic", false, ScopeMode.ALL, List.of()),
                new RegisteredClient.Credentials("sha256$x", null, null, null, null, null));
    }

    static final Optional<AuthMethodView> DEFAULT = Optional.of(new AuthMethodView("default", "Default", null, true));

    @Test
    void aCertificateBoundTokenNeedsThatCertificate() {
        ApiView pets = api(false, Set.of("default"));
        VerifiedToken bound = VerifiedToken.builder().issuer(BASE + "/auth/default/api/pets").audience("pets").clientId("client-1")
                .subscriptionId(SUBSCRIPTION.toString()).applicationId("app").planId("basic").authMethod("default")
                .scopes(Set.of("read")).issuedAt(1_000).expiresAt(2_000).jti("jti-1").subject("client-1").x5t("thumbprint-a")
                .type(io.portcullis.registry.AccessTokenType.AT_JWT).build();
        AccessTokenRules.checkCertificateBinding(pets, bound, () -> "thumbprint-a");
        assertEquals("invalid_token", assertThrows(BearerError.class,
                () -> AccessTokenRules.checkCertificateBinding(pets, bound, () -> null)).error);
        assertEquals("invalid_token", assertThrows(BearerError.class,
                () -> AccessTokenRules.checkCertificateBinding(pets, bound, () -> "thumbprint-b")).error);
        // an unbound token is not asked about a certificate, unless the API requires mutual TLS
        AccessTokenRules.checkCertificateBinding(pets, good(), () -> {
            throw new AssertionError("the certificate was looked at for an unbound token");
        });
        ApiView strict = ApiView.of(pets.definition().toBuilder().mtlsRequired(true).build());
        assertEquals("invalid_token", assertThrows(BearerError.class,
                () -> AccessTokenRules.checkCertificateBinding(strict, good(), () -> "thumbprint-a")).error);
        AccessTokenRules.checkCertificateBinding(strict, bound, () -> "thumbprint-a");
    }

    @Test
    void credentialsAreTheB64tokenAfterTheScheme() {
        assertEquals("abc.DEF-_~+/==", AccessTokenRules.credentials("Bearer abc.DEF-_~+/==", "Bearer"));
        assertEquals("abc", AccessTokenRules.credentials("bEaReR abc", "Bearer"));
        assertNull(AccessTokenRules.credentials("Bearer  abc", "Bearer"));
        assertNull(AccessTokenRules.credentials("Bearer a,b", "Bearer"));
        assertNull(AccessTokenRules.credentials("Bearer ===", "Bearer"));
        assertNull(AccessTokenRules.credentials("Bearerabc", "Bearer"));
        assertNull(AccessTokenRules.credentials("Basic abc", "Bearer"));
        assertNull(AccessTokenRules.credentials("Bearer é", "Bearer"));
    }

    @Test
    void presentationTellsTheSchemeAndRefusesWhatIsNotOne() {
        assertTrue(AccessTokenRules.presentation(List.of("DPoP abc"), "pets").dpop());
        assertEquals("abc", AccessTokenRules.presentation(List.of("Bearer abc"), "pets").token());
        BearerError missing = assertThrows(BearerError.class, () -> AccessTokenRules.presentation(List.of(), "pets"));
        assertEquals(401, missing.status);
        assertEquals("Bearer realm=\"pets\"", missing.challenge());
        assertEquals(400, assertThrows(BearerError.class, () -> AccessTokenRules.presentation(List.of("Bearer a", "Bearer b"), "pets")).status);
        assertEquals("invalid_token", assertThrows(BearerError.class, () -> AccessTokenRules.presentation(List.of("Bearer <>"), "pets")).error);
        assertEquals("invalid_request", assertThrows(BearerError.class, () -> AccessTokenRules.presentation(List.of("Basic x"), "pets")).error);
    }

    @Test
    void theTokenMustBeForThisApiFromAnAuthMethodThatStillStands() {
        ApiView api = api(false, Set.of("default"));
        assertDoesNotThrow(() -> AccessTokenRules.checkAudienceAndIssuer(api, good(), BASE, DEFAULT));
        assertThrows(BearerError.class, () -> AccessTokenRules.checkAudienceAndIssuer(api,
                token("default", "other", BASE + "/auth/default/api/pets", Set.of(), null), BASE, DEFAULT));
        assertThrows(BearerError.class, () -> AccessTokenRules.checkAudienceAndIssuer(api,
                token("default", "pets", BASE + "/auth/default/api/other", Set.of(), null), BASE, DEFAULT));
        assertThrows(BearerError.class, () -> AccessTokenRules.checkAudienceAndIssuer(api,
                token("default", "pets", "https://evil.example/auth/default/api/pets", Set.of(), null), BASE, DEFAULT));
        // the API no longer accepts the auth method
        BearerError dropped = assertThrows(BearerError.class, () -> AccessTokenRules.checkAudienceAndIssuer(api(false, Set.of("other")), good(), BASE, DEFAULT));
        assertEquals("invalid_token", dropped.error);
        // the auth method was disabled, or is gone
        assertThrows(BearerError.class, () -> AccessTokenRules.checkAudienceAndIssuer(api, good(), BASE,
                Optional.of(new AuthMethodView("default", "Default", null, false))));
        assertThrows(BearerError.class, () -> AccessTokenRules.checkAudienceAndIssuer(api, good(), BASE, Optional.empty()));
    }

    @Test
    void theTypeMustBeTheApis() {
        assertDoesNotThrow(() -> AccessTokenRules.checkType(api(false, Set.of("default")), good()));
        VerifiedToken plainJwt = VerifiedToken.builder().issuer(BASE + "/auth/default/api/pets").audience("pets")
                .clientId("client-1").subscriptionId(SUBSCRIPTION.toString()).applicationId("app").planId("basic")
                .authMethod("default").scopes(Set.of()).issuedAt(1_000).expiresAt(2_000).jti("jti-1").subject("client-1")
                .type(io.portcullis.registry.AccessTokenType.JWT).build();
        assertEquals("invalid_token", assertThrows(BearerError.class, () -> AccessTokenRules.checkType(api(false, Set.of("default")), plainJwt)).error);
        assertEquals(io.portcullis.registry.AccessTokenType.AT_JWT, io.portcullis.registry.AccessTokenType.ofHeader("application/AT+JWT"));
        assertEquals(io.portcullis.registry.AccessTokenType.JWT, io.portcullis.registry.AccessTokenType.ofHeader("jwt"));
        assertNull(io.portcullis.registry.AccessTokenType.ofHeader("dpop+jwt"));
        assertNull(io.portcullis.registry.AccessTokenType.ofHeader(null));
    }

    @Test
    void theSubscriptionMustStillStand() {
        ApiView api = api(false, Set.of("default"));
        assertDoesNotThrow(() -> AccessTokenRules.checkSubscription(api, good(), Optional.of(client(SUBSCRIPTION, "pets", true))));
        assertThrows(BearerError.class, () -> AccessTokenRules.checkSubscription(api, good(), Optional.empty()));
        assertThrows(BearerError.class, () -> AccessTokenRules.checkSubscription(api, good(), Optional.of(client(UUID.randomUUID(), "pets", true))));
        assertThrows(BearerError.class, () -> AccessTokenRules.checkSubscription(api, good(), Optional.of(client(SUBSCRIPTION, "other", true))));
        assertThrows(BearerError.class, () -> AccessTokenRules.checkSubscription(api, good(), Optional.of(client(SUBSCRIPTION, "pets", false))));
    }

    @Test
    void aRouteNeedsItsScopesAndSaysWhichInTheChallenge() {
        ApiView api = api(false, Set.of("default"));
        assertDoesNotThrow(() -> AccessTokenRules.checkScopes(api, good(), "GET", "/x"));
        // HEAD needs what GET needs, though the route names only GET
        assertEquals(Set.of("read"), api.requiredScopes("HEAD", "/x"));
        assertThrows(BearerError.class, () -> AccessTokenRules.checkScopes(api,
                token("default", "pets", BASE + "/auth/default/api/pets", Set.of(), null), "HEAD", "/x"));
        BearerError e = assertThrows(BearerError.class, () -> AccessTokenRules.checkScopes(api, good(), "POST", "/x"));
        assertEquals(403, e.status);
        assertEquals("Bearer realm=\"pets\", error=\"insufficient_scope\", error_description=\"The access token lacks a scope this request needs\", scope=\"write\"",
                e.challenge("https://x/meta"));
    }

    @Test
    void aBindingMustBeHonouredBothWays() {
        DPoPReplay none = new DPoPReplay();
        AccessTokenRules.Presentation bearer = new AccessTokenRules.Presentation("t", false);
        AccessTokenRules.Presentation dpop = new AccessTokenRules.Presentation("t", true);
        ApiView api = api(false, Set.of("default"));
        assertDoesNotThrow(() -> AccessTokenRules.checkProofOfPossession(api, good(), bearer, List.of(), "GET", BASE + "/pets", 1_500, none));
        // an unbound token with the DPoP scheme, an unbound token where DPoP is required, a bound token as a bearer token
        assertEquals("DPoP", assertThrows(BearerError.class, () -> AccessTokenRules.checkProofOfPossession(api, good(), dpop, List.of(), "GET",
                BASE + "/pets", 1_500, none)).scheme);
        assertThrows(BearerError.class, () -> AccessTokenRules.checkProofOfPossession(api(true, Set.of("default")), good(), bearer, List.of(),
                "GET", BASE + "/pets", 1_500, none));
        VerifiedToken bound = token("default", "pets", BASE + "/auth/default/api/pets", Set.of("read"), "thumbprint");
        assertThrows(BearerError.class, () -> AccessTokenRules.checkProofOfPossession(api, bound, bearer, List.of(), "GET", BASE + "/pets", 1_500, none));
        // a bound token with no proof
        assertEquals("invalid_dpop_proof", assertThrows(BearerError.class, () -> AccessTokenRules.checkProofOfPossession(api, bound, dpop, List.of(),
                "GET", BASE + "/pets", 1_500, none)).error);
        assertEquals(0, none.remembered.size());
    }

    @Test
    void theChallengeNamesResourceMetadataOnlyOnA401() {
        assertEquals("Bearer realm=\"pets\", error=\"invalid_token\", error_description=\"x\", resource_metadata=\"https://m\"",
                BearerError.invalidToken("pets", "x").challenge("https://m"));
        assertEquals("DPoP realm=\"pets\", algs=\"" + String.join(" ", io.portcullis.keys.JwsAlgorithm.NAMES) + "\"",
                BearerError.missing("pets").asDPoP().challenge());
    }

    @Test
    void aProofOfAnotherKeyIsRefusedBeforeItsIdIsRemembered() throws Exception {
        var key = org.jose4j.jwk.EcJwkGenerator.generateJwk(org.jose4j.keys.EllipticCurves.P256);
        String jkt = key.calculateBase64urlEncodedThumbprint("SHA-256");
        long now = java.time.Instant.now().getEpochSecond();
        String proof = proof(key, "GET", BASE + "/pets/1", now, "t");
        AccessTokenRules.Presentation dpop = new AccessTokenRules.Presentation("t", true);
        ApiView api = api(false, Set.of("default"));
        DPoPReplay replay = new DPoPReplay();

        VerifiedToken otherKey = token("default", "pets", BASE + "/auth/default/api/pets", Set.of(), "not-" + jkt);
        BearerError e = assertThrows(BearerError.class, () -> AccessTokenRules.checkProofOfPossession(api, otherKey, dpop, List.of(proof), "GET",
                BASE + "/pets/1", now, replay));
        assertEquals("invalid_dpop_proof", e.error);
        assertEquals(0, replay.remembered.size(), "a proof of another key filled the replay store");

        VerifiedToken bound = token("default", "pets", BASE + "/auth/default/api/pets", Set.of(), jkt);
        assertDoesNotThrow(() -> AccessTokenRules.checkProofOfPossession(api, bound, dpop, List.of(proof), "GET", BASE + "/pets/1", now, replay));
        assertEquals(1, replay.remembered.size());
        assertThrows(BearerError.class, () -> AccessTokenRules.checkProofOfPossession(api, bound, dpop, List.of(proof), "GET", BASE + "/pets/1", now, replay),
                "a replayed proof");
        assertThrows(BearerError.class, () -> AccessTokenRules.checkProofOfPossession(api, bound, dpop,
                List.of(proof(key, "GET", BASE + "/pets/2", now, "t")), "GET", BASE + "/pets/1", now, replay), "a proof for another URL");
    }

    static String proof(org.jose4j.jwk.PublicJsonWebKey key, String method, String url, long iat, String accessToken) throws Exception {
        var jws = new org.jose4j.jws.JsonWebSignature();
        jws.setHeader("typ", "dpop+jwt");
        jws.setAlgorithmHeaderValue("ES256");
        jws.setJwkHeader(key);
        jws.setPayload(org.jose4j.json.JsonUtil.toJson(Map.of("jti", UUID.randomUUID().toString(), "htm", method, "htu", url, "iat", iat,
                "ath", io.portcullis.token.DPoPProofs.accessTokenHash(accessToken))));
        jws.setKey(key.getPrivateKey());
        return jws.getCompactSerialization();
    }

    /** A replay store that keeps what it is asked to remember. */
    static final class DPoPReplay implements io.portcullis.token.DPoPProofs.ReplayGuard {
        final java.util.Set<String> remembered = new java.util.HashSet<>();

        @Override
        public boolean firstUse(String jkt, String jti, long expiresAtEpochSecond) {
            return remembered.add(jkt + " " + jti);
        }
    }
}
